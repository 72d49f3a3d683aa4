package org.orderly.hl7.mapping;

import java.util.List;
import org.orderly.hl7.MshHeader;

/**
 * The default mapping and the site overlays (each already merged with the default), as loaded
 * together from one directory.
 */
public record MappingSet(Mapping base, List<Mapping> sites) {

    public MappingSet {
        sites = List.copyOf(sites);
    }

    /**
     * The mapping for a message: the site overlay whose MSH-4 (and MSH-3) match best, else the
     * default. Equal-scoring overlays for one sender are refused at load time.
     */
    public Mapping select(MshHeader header) {
        Mapping best = base;
        int bestScore = 0;
        for (Mapping m : sites) {
            int score = m.site().score(header);
            if (score > bestScore) {
                best = m;
                bestScore = score;
            }
        }
        return best;
    }
}
