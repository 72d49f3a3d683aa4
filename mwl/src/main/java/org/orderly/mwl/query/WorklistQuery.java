package org.orderly.mwl.query;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.Tags;
import org.orderly.dicom.data.VR;
import org.orderly.mwl.model.DicomDateTime;
import org.orderly.mwl.model.SpsStatus;

/**
 * A Modality Worklist query compiled from a C-FIND Identifier (PS3.4 §K.6.1.2, matching per §C.2.2.2).
 *
 * <p>Two halves with one meaning: an SQL statement over the indexed key columns (schema {@code sql/V2}), which
 * selects a SUPERSET of the matches using indexes (exact values, {@code ABC*} as {@code LIKE 'ABC%'}, date-time
 * ranges on {@code sps_start}, station AE through {@code step_station_ae (ae_title, sps_start)}), and the exact
 * matching in Java on each decoded item ({@link #matches}), which decides. The cost of a query therefore grows with
 * the rows its indexed keys select, not with the size of the worklist.
 *
 * <p>Matching rules:
 * <ul>
 *   <li>Universal Matching, §C.2.2.2.3: a zero-length key (or an empty sequence) matches everything; so does a key
 *       of only {@code *} (§C.2.2.2.4, "*" matches a zero-length value too).</li>
 *   <li>Single Value Matching, §C.2.2.2.1: exact and case-sensitive, except PN, which may be matched insensitive to
 *       case and/or accents ({@link MatchOptions}); trailing empty PN components are insignificant (PS3.5 §6.2.1).
 *       A PN key without component groups ({@code =}) also matches the stored alphabetic group alone.</li>
 *   <li>Wildcard Matching, §C.2.2.2.4: {@code *} and {@code ?} anywhere, PN components included, but never in DA,
 *       TM, DT or UI keys (taken literally there).</li>
 *   <li>Range Matching, §C.2.2.2.5.1: DA, TM and DT, {@code a-b}, {@code -b}, {@code a-}, bounds inclusive; a time
 *       bound with omitted components is padded with zeros ({@code 1200} = 12:00:00.000000), as wlmscpfs does.
 *       SPS Start Date (0040,0002) and Time (0040,0003) are ONE date-time range when the time key is a range and the
 *       date key is a range or a single date (§C.2.2.2.5.1, combined Date and Time range matching); otherwise the
 *       date and the time are matched separately.</li>
 *   <li>List of UID Matching, §C.2.2.2.2: a UI key with several values matches any of them.</li>
 *   <li>Several values in a key of another VR (e.g. Modality {@code CT\MR}) match any of them. PS3.4 defines value
 *       multiplicity &gt; 1 in a key only for List of UID Matching; this is an Orderly extension (issue #5) that a
 *       strict SCU never triggers. Several values in a DA/TM/DT key are refused.</li>
 *   <li>Sequence Matching, §C.2.2.2.6: the Scheduled Procedure Step Sequence (and any other sequence key with one
 *       non-empty item) matches when a stored item matches every key of the key item.</li>
 *   <li>A stored value with several values (e.g. station AE {@code AA32\AA33}) matches when any value does (dcmtk
 *       wlmscpfs behaves the same).</li>
 *   <li>SPS Status: when the query gives no SPS Status (0040,0020) value, only the steps in
 *       {@link MatchOptions#defaultStatuses()} match (SCHEDULED, ARRIVED, READY by default).</li>
 * </ul>
 *
 * <p>An answer is the item trimmed to the keys of the Identifier ({@link #trim}, PS3.4 §C.2.2.1.2 and
 * §C.4.1.1.3.2): exactly those keys, recursively inside sequence key items; a key the item lacks comes back
 * zero-length; Specific Character Set (0008,0005) is added when the item has one.
 */
public final class WorklistQuery {

    private static final Map<Integer, String> TOP_COLUMNS = Map.of(
            Tag.PatientID, "s.patient_id",
            Tag.IssuerOfPatientID, "s.issuer_of_patient_id",
            Tag.AccessionNumber, "r.accession_number",
            Tag.RequestedProcedureID, "r.requested_procedure_id",
            Tag.StudyInstanceUID, "r.study_instance_uid",
            Tag.WorklistLabel, "r.worklist_label");
    private static final Map<Integer, String> SPS_COLUMNS = Map.of(
            Tag.Modality, "s.modality",
            Tag.ScheduledProcedureStepID, "s.sps_id",
            Tag.ScheduledProcedureStepStatus, "s.status");
    /** Keys that describe the query rather than select items. */
    private static final int QUERY_RETRIEVE_LEVEL = 0x00080052;

    private final Attributes keys;
    private final MatchOptions options;
    private final List<KeyMatcher> matchers;
    private final String sql;
    private final List<Object> params;
    private final boolean viaStationAe;

    private WorklistQuery(Attributes keys, MatchOptions options, List<KeyMatcher> matchers, String sql,
            List<Object> params, boolean viaStationAe) {
        this.keys = keys;
        this.options = options;
        this.matchers = matchers;
        this.sql = sql;
        this.params = params;
        this.viaStationAe = viaStationAe;
    }

    /**
     * Compiles an Identifier.
     *
     * @throws InvalidQueryException if a key cannot be matched (malformed date/time or range, several items in a
     *                               sequence key, several values in a date/time key)
     */
    public static WorklistQuery compile(Attributes keys, MatchOptions options) throws InvalidQueryException {
        return compile(keys, options, null);
    }

    /**
     * Compiles an Identifier with a restriction: {@code restriction} has the shape of an Identifier (top-level keys
     * and at most one Scheduled Procedure Step Sequence item) and is matched like one, AND-ed with the query, but
     * it is never returned (answers are trimmed to {@code keys} only). The broker uses it for what a calling AE may
     * see (its station AE titles, modalities, worklist labels).
     *
     * @param restriction null = none
     * @throws InvalidQueryException as {@link #compile(Attributes, MatchOptions)}; for a restriction key too
     */
    public static WorklistQuery compile(Attributes keys, MatchOptions options, Attributes restriction)
            throws InvalidQueryException {
        WorklistQuery q = compileKeys(keys, options, restriction);
        return q;
    }

    private static WorklistQuery compileKeys(Attributes keys, MatchOptions options, Attributes restriction)
            throws InvalidQueryException {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(options, "options");
        Builder b = new Builder(options);
        boolean spsSeen = false;
        for (int i = 0; i < keys.size(); i++) {
            int tag = keys.tagAt(i);
            if (tag == Tag.SpecificCharacterSet || tag == QUERY_RETRIEVE_LEVEL || Tags.isGroupLength(tag)) {
                continue;
            }
            if (tag == Tag.ScheduledProcedureStepSequence) {
                spsSeen = true;
                Sequence seq = keys.getSequence(tag);
                if (seq != null && seq.size() > 1) {
                    throw new InvalidQueryException(tag, "more than one item in a sequence key");
                }
                b.sps(seq == null || seq.isEmpty() ? new Attributes() : seq.get(0));
                continue;
            }
            KeyMatcher m = b.matcher(keys, i);
            if (m != null) {
                b.top.add(m);
                String col = TOP_COLUMNS.get(tag);
                if (col != null) {
                    b.column(col, keys.getStrings(tag), keys.vrAt(i));
                } else if (tag == Tag.PatientName) {
                    b.personName(keys.getStrings(tag));
                }
            }
        }
        if (!spsSeen) {
            b.sps(new Attributes());
        }
        if (restriction != null) {
            b.restrict(restriction);
        }
        return b.build(new Attributes(keys));
    }

    /** True if the stored item matches every key (the exact check after the SQL preselection). */
    public boolean matches(Attributes item) {
        for (KeyMatcher m : matchers) {
            if (!m.matches(item)) {
                return false;
            }
        }
        return true;
    }

    /** The Identifier this query was compiled from (a copy). */
    public Attributes keys() {
        return keys;
    }

    public MatchOptions options() {
        return options;
    }

    /** The preselecting SQL: columns {@code id, dataset}, ordered by SPS start. */
    public String sql() {
        return sql;
    }

    /** Parameters of {@link #sql()}, in order ({@code String} or {@code Timestamp}). */
    public List<Object> params() {
        return Collections.unmodifiableList(params);
    }

    /** True if the SQL drives from step_station_ae (an item may then come twice in a row; the cursor skips it). */
    boolean viaStationAe() {
        return viaStationAe;
    }

    /** The answer for a matching item: {@code item} trimmed to this query's keys (see class comment). */
    public Attributes trim(Attributes item) {
        Attributes out = new Attributes();
        byte[] cs = item.getBytes(Tag.SpecificCharacterSet);
        if (cs != null && cs.length > 0) {
            out.setBytes(Tag.SpecificCharacterSet, VR.CS, cs);
        }
        trimInto(item, keys, out);
        return out;
    }

    private static void trimInto(Attributes item, Attributes keys, Attributes out) {
        for (int i = 0; i < keys.size(); i++) {
            int tag = keys.tagAt(i);
            if (tag == Tag.SpecificCharacterSet || Tags.isGroupLength(tag)) {
                continue;
            }
            int j = item.indexOf(tag);
            if (j < 0) {
                out.setNull(tag, keys.vrAt(i));
                continue;
            }
            Object v = item.valueAt(j);
            if (v instanceof Sequence seq) {
                Sequence keySeq = keys.getSequence(tag);
                Attributes itemKeys = keySeq != null && keySeq.size() == 1 && !keySeq.get(0).isEmpty()
                        ? keySeq.get(0) : null;
                Sequence copy = out.newSequence(tag);
                for (Attributes it : seq) {
                    if (itemKeys == null) {
                        copy.add(new Attributes(it));
                    } else {
                        Attributes t = copy.addNewItem();
                        trimInto(it, itemKeys, t);
                    }
                }
            } else if (v instanceof byte[] bytes) {
                out.setValue(tag, item.vrAt(j), bytes.clone());
            } else {
                out.setValue(tag, item.vrAt(j), v);
            }
        }
    }

    // ------------------------------------------------------------------ compilation

    private static final class Builder {
        final MatchOptions options;
        final List<KeyMatcher> top = new ArrayList<>();
        final List<String> where = new ArrayList<>();
        final List<Object> params = new ArrayList<>();
        final List<String> aeWhere = new ArrayList<>();
        final List<Object> aeParams = new ArrayList<>();
        boolean joinProcedure;
        LocalDateTime startLower;
        LocalDateTime startUpper;

        Builder(MatchOptions options) {
            this.options = options;
        }

        /** The Scheduled Procedure Step Sequence key item (empty = universal). */
        void sps(Attributes item) throws InvalidQueryException {
            List<KeyMatcher> itemMatchers = new ArrayList<>();
            String dateKey = item.getString(Tag.ScheduledProcedureStepStartDate);
            String timeKey = item.getString(Tag.ScheduledProcedureStepStartTime);
            boolean combined = false;
            if (dateKey != null) {
                LocalDate[] d = dateRange(dateKey, Tag.ScheduledProcedureStepStartDate, item);
                if (timeKey != null && timeKey.contains("-")) {
                    LocalTime[] t = timeRange(timeKey, Tag.ScheduledProcedureStepStartTime, item);
                    combined = true;
                    LocalDateTime lo = d[0] == null ? null : d[0].atTime(t[0] == null ? LocalTime.MIDNIGHT : t[0]);
                    LocalDateTime hi = d[1] == null ? null : d[1].atTime(t[1] == null ? LocalTime.MAX : t[1]);
                    itemMatchers.add(new KeyMatcher.DateTimeRange(Tag.ScheduledProcedureStepStartDate,
                            Tag.ScheduledProcedureStepStartTime, lo, hi));
                    startLower = lo;
                    startUpper = hi;
                } else {
                    startLower = d[0] == null ? null : d[0].atStartOfDay();
                    startUpper = d[1] == null ? null : d[1].atTime(LocalTime.MAX);
                }
            }
            String statusKey = item.getString(Tag.ScheduledProcedureStepStatus);
            for (int i = 0; i < item.size(); i++) {
                int tag = item.tagAt(i);
                if (tag == Tag.SpecificCharacterSet || combined && (tag == Tag.ScheduledProcedureStepStartDate
                        || tag == Tag.ScheduledProcedureStepStartTime)) {
                    continue;
                }
                KeyMatcher m = matcher(item, i);
                if (m == null) {
                    continue;
                }
                itemMatchers.add(m);
                String col = SPS_COLUMNS.get(tag);
                if (col != null) {
                    column(col, item.getStrings(tag), item.vrAt(i));
                } else if (tag == Tag.ScheduledStationAETitle) {
                    stationAe(item.getStrings(tag));
                }
            }
            if (statusKey == null && options.defaultStatuses().size() < SpsStatus.values().length) {
                TreeSet<String> names = new TreeSet<>();
                options.defaultStatuses().forEach(s -> names.add(s.name()));
                itemMatchers.add(new KeyMatcher.StatusIn(Tag.ScheduledProcedureStepStatus, names));
                where.add("s.status IN (" + String.join(", ", Collections.nCopies(names.size(), "?")) + ")");
                params.addAll(names);
            }
            top.add(new KeyMatcher.Items(Tag.ScheduledProcedureStepSequence, List.copyOf(itemMatchers)));
        }

        /**
         * AND-s a restriction (same shape as an Identifier). Its station AE condition goes into the SQL only when the
         * query has none (one step_station_ae row must satisfy every SQL condition, whereas each matcher may be met
         * by another value of a multi-valued station AE); the Java check applies it always.
         */
        void restrict(Attributes r) throws InvalidQueryException {
            for (int i = 0; i < r.size(); i++) {
                int tag = r.tagAt(i);
                if (tag == Tag.ScheduledProcedureStepSequence) {
                    Sequence seq = r.getSequence(tag);
                    if (seq == null || seq.isEmpty()) {
                        continue;
                    }
                    Attributes item = seq.get(0);
                    List<KeyMatcher> ms = new ArrayList<>();
                    for (int k = 0; k < item.size(); k++) {
                        KeyMatcher m = matcher(item, k);
                        if (m == null) {
                            continue;
                        }
                        ms.add(m);
                        int t = item.tagAt(k);
                        String col = SPS_COLUMNS.get(t);
                        if (col != null) {
                            column(col, item.getStrings(t), item.vrAt(k));
                        } else if (t == Tag.ScheduledStationAETitle && aeWhere.isEmpty()) {
                            stationAe(item.getStrings(t));
                        }
                    }
                    if (!ms.isEmpty()) {
                        top.add(new KeyMatcher.Items(tag, List.copyOf(ms)));
                    }
                    continue;
                }
                KeyMatcher m = matcher(r, i);
                if (m != null) {
                    top.add(m);
                    String col = TOP_COLUMNS.get(tag);
                    if (col != null) {
                        column(col, r.getStrings(tag), r.vrAt(i));
                    }
                }
            }
        }

        /** The matcher of key {@code i} of {@code keys}, or null for universal matching. */
        KeyMatcher matcher(Attributes keys, int i) throws InvalidQueryException {
            int tag = keys.tagAt(i);
            VR vr = keys.vrAt(i);
            Object raw = keys.valueAt(i);
            if (raw instanceof Sequence seq) {
                if (seq.isEmpty() || seq.get(0).isEmpty()) {
                    return null;
                }
                if (seq.size() > 1) {
                    throw new InvalidQueryException(tag, "more than one item in a sequence key");
                }
                Attributes keyItem = seq.get(0);
                List<KeyMatcher> ms = new ArrayList<>();
                for (int k = 0; k < keyItem.size(); k++) {
                    if (keyItem.tagAt(k) != Tag.SpecificCharacterSet) {
                        KeyMatcher m = matcher(keyItem, k);
                        if (m != null) {
                            ms.add(m);
                        }
                    }
                }
                return ms.isEmpty() ? null : new KeyMatcher.Items(tag, List.copyOf(ms));
            }
            String[] values = keys.getStrings(tag);
            if (values.length == 0 || values.length == 1 && values[0].isEmpty()) {
                return null;
            }
            if (vr == VR.DA || vr == VR.TM || vr == VR.DT) {
                if (values.length > 1) {
                    throw new InvalidQueryException(tag, "several values in a date/time key");
                }
                Comparable<?>[] r = switch (vr) {
                    case DA -> dateRange(values[0], tag, keys);
                    case TM -> timeRange(values[0], tag, keys);
                    default -> dtRange(values[0], tag);
                };
                return new KeyMatcher.Range(tag, vr, r[0], r[1]);
            }
            boolean pn = vr == VR.PN;
            List<Pattern> patterns = new ArrayList<>();
            for (String v : values) {
                String key = pn ? PersonNames.fold(PersonNames.trimComponents(v), options.caseInsensitivePn(),
                        options.accentInsensitivePn()) : v;
                if (vr != VR.UI && isAllStars(key)) {
                    return null; // "*" matches everything, a zero-length value included (§C.2.2.2.4)
                }
                patterns.add(vr == VR.UI ? Pattern.compile(Pattern.quote(key)) : wildcard(key));
            }
            return new KeyMatcher.Values(tag, pn, List.copyOf(patterns), pn && options.caseInsensitivePn(),
                    pn && options.accentInsensitivePn());
        }

        /** SQL on a plain column: IN for exact values, LIKE for wildcards; nothing if any value is all '*'. */
        void column(String col, String[] values, VR vr) {
            if (col.startsWith("r.")) {
                joinProcedure = true;
            }
            where.add(valueCondition(col, values, vr, params));
        }

        void stationAe(String[] values) {
            aeWhere.add(valueCondition("a.ae_title", values, VR.AE, aeParams));
        }

        /** Appends this condition's parameters to {@code out}, in the order of its placeholders. */
        private static String valueCondition(String col, String[] values, VR vr, List<Object> out) {
            List<String> ors = new ArrayList<>();
            List<String> exact = new ArrayList<>();
            List<Object> likes = new ArrayList<>();
            for (String v : values) {
                if (vr != VR.UI && (v.indexOf('*') >= 0 || v.indexOf('?') >= 0)) {
                    ors.add(col + " LIKE ? ESCAPE '\\'");
                    likes.add(like(v));
                } else {
                    exact.add(v);
                }
            }
            if (!exact.isEmpty()) {
                ors.add(0, exact.size() == 1 ? col + " = ?"
                        : col + " IN (" + String.join(", ", Collections.nCopies(exact.size(), "?")) + ")");
                out.addAll(exact); // the exact condition comes first, so do its parameters
            }
            out.addAll(likes);
            return ors.size() == 1 ? ors.get(0) : "(" + String.join(" OR ", ors) + ")";
        }

        /** PN: a prefix LIKE on the literal part before the first wildcard (a superset; Java decides). */
        void personName(String[] values) {
            boolean fold = options.foldsPn();
            String col = fold ? "s.patient_name_norm" : "s.patient_name";
            List<String> ors = new ArrayList<>();
            List<Object> ps = new ArrayList<>();
            for (String v : values) {
                String t = PersonNames.trimComponents(v);
                int w = firstWildcard(t);
                String prefix = w < 0 ? t : t.substring(0, w);
                if (fold) {
                    prefix = PersonNames.fold(prefix, true, true);
                }
                if (prefix.isEmpty()) {
                    return; // no usable prefix for one of the values: no SQL condition at all
                }
                ors.add(col + " LIKE ? ESCAPE '\\'");
                ps.add(escapeLike(prefix) + "%");
            }
            where.add(ors.size() == 1 ? ors.get(0) : "(" + String.join(" OR ", ors) + ")");
            params.addAll(ps);
        }

        WorklistQuery build(Attributes keys) {
            StringBuilder sql = new StringBuilder("SELECT s.id, s.dataset");
            List<Object> all = new ArrayList<>();
            boolean viaAe = !aeWhere.isEmpty();
            String startCol = viaAe ? "a.sps_start" : "s.sps_start";
            List<String> conds = new ArrayList<>();
            if (viaAe) {
                sql.append(" FROM step_station_ae a JOIN scheduled_procedure_step s ON s.id = a.step_fk");
                conds.addAll(aeWhere);
                all.addAll(aeParams);
            } else {
                sql.append(" FROM scheduled_procedure_step s");
            }
            if (joinProcedure) {
                sql.append(" JOIN requested_procedure r ON r.id = s.requested_procedure_fk");
            }
            if (startLower != null) {
                conds.add(startCol + " >= ?");
                all.add(Timestamp.valueOf(startLower.truncatedTo(ChronoUnit.MICROS)));
            }
            if (startUpper != null) {
                conds.add(startCol + " <= ?");
                all.add(Timestamp.valueOf(startUpper.truncatedTo(ChronoUnit.MICROS)));
            }
            conds.addAll(where);
            all.addAll(params);
            if (!conds.isEmpty()) {
                sql.append(" WHERE ").append(String.join(" AND ", conds));
            }
            sql.append(" ORDER BY ").append(startCol).append(", s.id");
            return new WorklistQuery(keys, options, List.copyOf(top), sql.toString(), all, viaAe);
        }
    }

    // ------------------------------------------------------------------ value parsing

    private static LocalDate[] dateRange(String key, int tag, Attributes ds) throws InvalidQueryException {
        try {
            int dash = key.indexOf('-');
            if (dash < 0) {
                LocalDate d = DicomDateTime.parseDate(key);
                return new LocalDate[] {d, d};
            }
            String lo = key.substring(0, dash).trim();
            String hi = key.substring(dash + 1).trim();
            if (lo.isEmpty() && hi.isEmpty()) {
                throw new IllegalArgumentException("empty range");
            }
            return new LocalDate[] {lo.isEmpty() ? null : DicomDateTime.parseDate(lo),
                    hi.isEmpty() ? null : DicomDateTime.parseDate(hi)};
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException(tag, "bad date or date range");
        }
    }

    private static LocalTime[] timeRange(String key, int tag, Attributes ds) throws InvalidQueryException {
        try {
            int dash = key.indexOf('-');
            if (dash < 0) {
                LocalTime t = DicomDateTime.parseTime(key);
                return new LocalTime[] {t, t};
            }
            String lo = key.substring(0, dash).trim();
            String hi = key.substring(dash + 1).trim();
            if (lo.isEmpty() && hi.isEmpty()) {
                throw new IllegalArgumentException("empty range");
            }
            return new LocalTime[] {lo.isEmpty() ? null : DicomDateTime.parseTime(lo),
                    hi.isEmpty() ? null : DicomDateTime.parseTime(hi)};
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException(tag, "bad time or time range");
        }
    }

    /** DT range; an offset in a DT key is not supported ('-' separates the range). */
    private static LocalDateTime[] dtRange(String key, int tag) throws InvalidQueryException {
        try {
            int dash = key.indexOf('-');
            if (dash < 0) {
                LocalDateTime t = DicomDateTime.parseDt(key);
                return new LocalDateTime[] {t, t};
            }
            String lo = key.substring(0, dash).trim();
            String hi = key.substring(dash + 1).trim();
            return new LocalDateTime[] {lo.isEmpty() ? null : DicomDateTime.parseDt(lo),
                    hi.isEmpty() ? null : DicomDateTime.parseDt(hi)};
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException(tag, "bad date-time or range");
        }
    }

    private static boolean isAllStars(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != '*') {
                return false;
            }
        }
        return true;
    }

    private static int firstWildcard(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '*' || s.charAt(i) == '?') {
                return i;
            }
        }
        return -1;
    }

    /** §C.2.2.2.4: '*' any sequence (also empty), '?' one character; everything else literal. */
    static Pattern wildcard(String key) {
        StringBuilder re = new StringBuilder();
        StringBuilder lit = new StringBuilder();
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '*' || c == '?') {
                if (lit.length() > 0) {
                    re.append(Pattern.quote(lit.toString()));
                    lit.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                lit.append(c);
            }
        }
        if (lit.length() > 0) {
            re.append(Pattern.quote(lit.toString()));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    private static String like(String wildcardKey) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < wildcardKey.length(); i++) {
            char c = wildcardKey.charAt(i);
            switch (c) {
                case '*' -> sb.append('%');
                case '?' -> sb.append('_');
                case '%', '_', '\\' -> sb.append('\\').append(c);
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String escapeLike(String literal) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == '%' || c == '_' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "WorklistQuery[" + keys + "]";
    }
}
