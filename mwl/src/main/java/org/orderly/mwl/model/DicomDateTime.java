package org.orderly.mwl.model;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * DA, TM and DT values (PS3.5 §6.2, Table 6.2-1) as {@code java.time} values.
 *
 * <p>DA is {@code YYYYMMDD} (the ACR-NEMA form {@code YYYY.MM.DD} is accepted, PS3.5 Table 6.2-1 note). TM is
 * {@code HH[MM[SS[.F{1,6}]]]} (the ACR-NEMA form {@code HH:MM:SS} accepted); omitted components are zero, e.g.
 * "10" is 10:00:00, as dcmtk's wlmscpfs reads them. DT is {@code YYYY[MM[DD[HH[MM[SS[.F]]]]]][&ZZXX]}: the offset is
 * dropped (worklist times are local, PS3.4 §C.2.2.2.5 gives no offset for TM either).
 */
public final class DicomDateTime {

    private DicomDateTime() {
    }

    /** @throws IllegalArgumentException if malformed */
    public static LocalDate parseDate(String da) {
        String s = da.trim().replace(".", "");
        if (s.length() != 8 || !digits(s)) {
            throw new IllegalArgumentException("not a DA value");
        }
        try {
            return LocalDate.of(Integer.parseInt(s.substring(0, 4)), Integer.parseInt(s.substring(4, 6)),
                    Integer.parseInt(s.substring(6, 8)));
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("not a DA value", e);
        }
    }

    /** @throws IllegalArgumentException if malformed */
    public static LocalTime parseTime(String tm) {
        String s = tm.trim().replace(":", "");
        int dot = s.indexOf('.');
        String hms = dot < 0 ? s : s.substring(0, dot);
        String frac = dot < 0 ? "" : s.substring(dot + 1);
        if (hms.isEmpty() || hms.length() > 6 || (hms.length() & 1) != 0 || !digits(hms)
                || frac.length() > 6 || !digits(frac) || (dot >= 0 && hms.length() != 6)) {
            throw new IllegalArgumentException("not a TM value");
        }
        int h = Integer.parseInt(hms.substring(0, 2));
        int m = hms.length() >= 4 ? Integer.parseInt(hms.substring(2, 4)) : 0;
        int sec = hms.length() >= 6 ? Integer.parseInt(hms.substring(4, 6)) : 0;
        int nanos = frac.isEmpty() ? 0 : Integer.parseInt((frac + "000000").substring(0, 6)) * 1000;
        try {
            return LocalTime.of(h, m, Math.min(sec, 59), nanos); // 60 = leap second, PS3.5 Table 6.2-1
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("not a TM value", e);
        }
    }

    /** Date plus time; a null or empty time is midnight. */
    public static LocalDateTime parseDateTime(String da, String tm) {
        LocalDate d = parseDate(da);
        return tm == null || tm.isBlank() ? d.atStartOfDay() : d.atTime(parseTime(tm));
    }

    /** DT: the earliest moment the (possibly partial) value denotes; offset dropped. */
    public static LocalDateTime parseDt(String dt) {
        String s = dt.trim();
        int off = Math.max(s.indexOf('+', 4), s.indexOf('-', 4));
        if (off > 0) {
            s = s.substring(0, off);
        }
        try {
            if (s.length() < 4 || !digits(s.substring(0, Math.min(s.length(), 14)))) {
                throw new IllegalArgumentException("not a DT value");
            }
            int year = Integer.parseInt(s.substring(0, 4));
            int month = s.length() >= 6 ? Integer.parseInt(s.substring(4, 6)) : 1;
            int day = s.length() >= 8 ? Integer.parseInt(s.substring(6, 8)) : 1;
            LocalDate d = LocalDate.of(year, month, day);
            return s.length() > 8 ? d.atTime(parseTime(s.substring(8))) : d.atStartOfDay();
        } catch (java.time.DateTimeException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a DT value", e);
        }
    }

    /** DA text of a date. */
    public static String formatDate(LocalDate d) {
        return String.format("%04d%02d%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
