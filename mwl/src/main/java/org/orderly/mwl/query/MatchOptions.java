package org.orderly.mwl.query;

import java.util.EnumSet;
import java.util.Set;
import org.orderly.mwl.model.SpsStatus;

/**
 * How a worklist query matches and how many answers it may give.
 *
 * @param caseInsensitivePn   match PN keys ignoring case (PS3.4 §C.2.2.2.1 allows it for PN only)
 * @param accentInsensitivePn match PN keys ignoring accents (é = e), same allowance
 * @param defaultStatuses     the SPS statuses returned when the query names no SPS Status (0040,0020)
 * @param maxAnswers          the most answers a query may give, 0 = no limit
 * @param fetchSize           JDBC fetch size of the streamed result set
 */
public record MatchOptions(boolean caseInsensitivePn, boolean accentInsensitivePn, Set<SpsStatus> defaultStatuses,
                           int maxAnswers, int fetchSize) {

    /** Case- and accent-sensitive PN, statuses SCHEDULED/ARRIVED/READY, no limit, fetch size 100. */
    public static final MatchOptions DEFAULT = new MatchOptions(false, false, SpsStatus.DEFAULT_VISIBLE, 0, 100);

    public MatchOptions {
        if (defaultStatuses == null || defaultStatuses.isEmpty()) {
            throw new IllegalArgumentException("defaultStatuses must not be empty");
        }
        defaultStatuses = Set.copyOf(EnumSet.copyOf(defaultStatuses));
        if (maxAnswers < 0 || fetchSize < 1) {
            throw new IllegalArgumentException("maxAnswers >= 0 and fetchSize >= 1 required");
        }
    }

    public MatchOptions withPnFolding(boolean caseInsensitive, boolean accentInsensitive) {
        return new MatchOptions(caseInsensitive, accentInsensitive, defaultStatuses, maxAnswers, fetchSize);
    }

    public MatchOptions withDefaultStatuses(Set<SpsStatus> statuses) {
        return new MatchOptions(caseInsensitivePn, accentInsensitivePn, statuses, maxAnswers, fetchSize);
    }

    public MatchOptions withMaxAnswers(int max) {
        return new MatchOptions(caseInsensitivePn, accentInsensitivePn, defaultStatuses, max, fetchSize);
    }

    boolean foldsPn() {
        return caseInsensitivePn || accentInsensitivePn;
    }
}
