package org.orderly.hl7.mapping;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters behind generated Accession Numbers, Requested Procedure IDs and SPS IDs. The
 * patterns live in the mapping file ({@code generate:}); the numbers come from here. The store
 * implements this with a persistent sequence so that a number is never handed out twice, also
 * across restarts.
 */
@FunctionalInterface
public interface IdGenerator {

    /**
     * The next value of a counter; never the same value twice for the same name.
     *
     * @param counter the counter's name: the attribute keyword (e.g. "AccessionNumber")
     */
    long next(String counter);

    /** A new UID for a value the mapping generates ({@code uuid}, e.g. a missing Study Instance UID). */
    default String newUid() {
        return StudyInstanceUidGenerator.newUid();
    }

    /** Counters in memory, starting at 1: for tests and tools, not for a broker. */
    static IdGenerator inMemory() {
        Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
        return name -> counters.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
    }
}
