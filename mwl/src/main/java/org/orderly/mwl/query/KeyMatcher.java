package org.orderly.mwl.query;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.regex.Pattern;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.VR;
import org.orderly.mwl.model.DicomDateTime;

/**
 * One matching key applied to a stored data set (the item, or one sequence item), with the exact semantics of
 * PS3.4 §C.2.2.2. Universal matching (§C.2.2.2.3, a zero-length key) needs no matcher: it is never compiled.
 *
 * <p>Multi-valued stored values (e.g. Scheduled Station AE Title {@code AA32\AA33}) match when ANY value matches;
 * dcmtk's wlmscpfs does the same (see /work/shared/PEERS.md) and PS3.4 leaves it to the SCP.
 */
sealed interface KeyMatcher {

    boolean matches(Attributes dataset);

    /**
     * Single Value Matching (§C.2.2.2.1), Wildcard Matching (§C.2.2.2.4) and List of UID Matching (§C.2.2.2.2) of
     * a text attribute. {@code patterns} holds one entry per key value: several values match when any one does
     * (List of UID Matching for UI; an Orderly extension for other VRs, issue #5, documented in
     * {@link WorklistQuery}).
     */
    record Values(int tag, boolean pn, List<Pattern> patterns, boolean caseFold, boolean accentFold)
            implements KeyMatcher {
        @Override
        public boolean matches(Attributes dataset) {
            String[] stored = dataset.getStrings(tag);
            if (stored.length == 0) {
                stored = new String[] {""}; // "*" matches a zero-length value, §C.2.2.2.4
            }
            for (String s : stored) {
                if (pn) {
                    String v = PersonNames.fold(PersonNames.trimComponents(s), caseFold, accentFold);
                    String alpha = PersonNames.alphabetic(v);
                    for (Pattern p : patterns) {
                        boolean keyHasGroups = p.pattern().contains("=");
                        if (p.matcher(v).matches() || !keyHasGroups && p.matcher(alpha).matches()) {
                            return true;
                        }
                    }
                } else {
                    for (Pattern p : patterns) {
                        if (p.matcher(s).matches()) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }
    }

    /**
     * Range Matching (§C.2.2.2.5.1) or single value matching of one DA, TM or DT attribute, compared as
     * {@code java.time} values; bounds inclusive, null = open. A stored value that does not parse never matches.
     */
    record Range(int tag, VR vr, Comparable<?> lower, Comparable<?> upper) implements KeyMatcher {
        @Override
        public boolean matches(Attributes dataset) {
            for (String s : dataset.getStrings(tag)) {
                if (!s.isEmpty() && inRange(parse(vr, s))) {
                    return true;
                }
            }
            return false;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private boolean inRange(Comparable v) {
            if (v == null) {
                return false;
            }
            return (lower == null || v.compareTo(lower) >= 0) && (upper == null || v.compareTo(upper) <= 0);
        }

        static Comparable<?> parse(VR vr, String s) {
            try {
                return switch (vr) {
                    case DA -> DicomDateTime.parseDate(s);
                    case TM -> DicomDateTime.parseTime(s);
                    default -> DicomDateTime.parseDt(s);
                };
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /**
     * The combined date-time range of a DA and a TM attribute (§C.2.2.2.5.1: when both the Date and the Time key use
     * range matching they are one range, e.g. Date {@code 20261122-20261123} and Time {@code 2200-0600} is
     * 22 Nov 22:00 to 23 Nov 06:00, not two daily windows). Bounds inclusive, null = open.
     */
    record DateTimeRange(int dateTag, int timeTag, LocalDateTime lower, LocalDateTime upper) implements KeyMatcher {
        @Override
        public boolean matches(Attributes dataset) {
            String d = dataset.getString(dateTag);
            if (d == null) {
                return false;
            }
            LocalDateTime v;
            try {
                String t = dataset.getString(timeTag);
                v = t == null ? DicomDateTime.parseDate(d).atTime(LocalTime.MIDNIGHT)
                        : DicomDateTime.parseDateTime(d, t);
            } catch (IllegalArgumentException e) {
                return false;
            }
            return (lower == null || !v.isBefore(lower)) && (upper == null || !v.isAfter(upper));
        }
    }

    /**
     * Sequence Matching (§C.2.2.2.6): the stored sequence matches when at least one of its items matches every key
     * of the key item.
     */
    record Items(int tag, List<KeyMatcher> itemMatchers) implements KeyMatcher {
        @Override
        public boolean matches(Attributes dataset) {
            Sequence seq = dataset.getSequence(tag);
            if (seq == null) {
                return false;
            }
            for (Attributes item : seq) {
                if (itemMatchers.stream().allMatch(m -> m.matches(item))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The SPS Status filter applied when the query names no status (see {@link MatchOptions#defaultStatuses()}). */
    record StatusIn(int tag, java.util.Set<String> statuses) implements KeyMatcher {
        @Override
        public boolean matches(Attributes dataset) {
            String s = dataset.getString(tag);
            return statuses.contains(s == null ? "SCHEDULED" : s.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
