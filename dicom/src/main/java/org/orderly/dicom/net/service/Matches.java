package org.orderly.dicom.net.service;

import java.util.Iterator;
import java.util.List;
import java.util.Objects;

import org.orderly.dicom.data.Attributes;

/**
 * The matches of one C-FIND, produced lazily: the framework sends one Pending response per {@link #next()} as soon
 * as it is produced, stops iterating at once on C-CANCEL (answering Cancel FE00H, PS3.4 §C.4.1.3.1), and
 * {@link #close() closes} the matches whatever happens (release a database cursor here). Pending responses carry
 * FF01H instead of FF00H when {@link #optionalKeysUnsupported()} (PS3.4 §C.4.1.1.4).
 */
public interface Matches extends Iterator<Attributes>, AutoCloseable {

    /** True: answer Pending FF01H "one or more optional keys were not supported". */
    default boolean optionalKeysUnsupported() {
        return false;
    }

    /**
     * The most matches to send; 0 = no limit. When there are more, the framework stops after this many and answers
     * Refused: Out of resources (A700H) with an error comment asking to narrow the query, so that no modality takes a
     * cut list for the whole worklist.
     */
    default int limit() {
        return 0;
    }

    /**
     * True if every match is already trimmed to the requested keys (the handler applied its own, stricter rules, e.g.
     * the worklist's zero-length return keys, PS3.4 §C.2.2.1.2): the framework then sends it as it is instead of
     * trimming it again with {@link ReturnKeys#trim}.
     */
    default boolean trimmed() {
        return false;
    }

    /** Releases resources (cursor, connection); called exactly once by the framework. */
    @Override
    default void close() {
    }

    /** Matches from a list (or any iterable), with no limit. */
    static Matches of(Iterable<Attributes> matches) {
        Iterator<Attributes> it = matches.iterator();
        return new Matches() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Attributes next() {
                return it.next();
            }
        };
    }

    static Matches of(Attributes... matches) {
        return of(List.of(matches));
    }

    /** A copy of these matches with a limit (see {@link #limit()}) and the optional-keys flag. */
    static Matches limited(Matches m, int limit, boolean optionalKeysUnsupported) {
        Objects.requireNonNull(m);
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0");
        }
        return new Matches() {
            @Override
            public boolean hasNext() {
                return m.hasNext();
            }

            @Override
            public Attributes next() {
                return m.next();
            }

            @Override
            public boolean optionalKeysUnsupported() {
                return optionalKeysUnsupported;
            }

            @Override
            public int limit() {
                return limit;
            }

            @Override
            public void close() {
                m.close();
            }
        };
    }
}
