package org.orderly.mwl.log;

import java.time.OffsetDateTime;

/**
 * One worklist query as the query log keeps it.
 *
 * @param id            row id (0 before it is written)
 * @param queriedAt     when the C-FIND-RQ arrived
 * @param callingAe     the modality's AE title
 * @param calledAe      our AE title as it called it
 * @param remoteAddress the modality's address
 * @param keys          the Identifier as findscu-style keys ({@link QueryKeys#format}); may contain PHI
 * @param appliedRule   the rule applied: the calling AE's own, {@code default}, or empty
 * @param answers       Pending responses sent
 * @param status        the final status, e.g. {@code 0000 Success}
 * @param elapsedMicros from the request to the final response
 */
public record QueryLogEntry(long id, OffsetDateTime queriedAt, String callingAe, String calledAe,
                            String remoteAddress, String keys, String appliedRule, int answers, String status,
                            long elapsedMicros) {
}
