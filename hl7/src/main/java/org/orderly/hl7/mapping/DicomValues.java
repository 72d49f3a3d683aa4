package org.orderly.hl7.mapping;

/**
 * Conversions from HL7 v2 data types to DICOM value representations.
 */
final class DicomValues {

    private DicomValues() {
    }

    /**
     * HL7 DTM/TS {@code YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]} (HL7 v2.5.1 §2.A.22) to
     * DICOM DA {@code YYYYMMDD} (PS3.5 §6.2). A value with less than day precision has no DA
     * form and gives "". The time zone is dropped: DICOM DA/TM carry the sender's local value.
     */
    static String da(String dtm) {
        String d = digitsBeforeZone(dtm);
        if (d.length() < 8 || !isDigits(d, 0, 8)) {
            return "";
        }
        int month = Integer.parseInt(d.substring(4, 6));
        int day = Integer.parseInt(d.substring(6, 8));
        if (month < 1 || month > 12 || day < 1 || day > 31) {
            return "";
        }
        return d.substring(0, 8);
    }

    /**
     * The time part of an HL7 DTM/TS to DICOM TM {@code HHMMSS[.FFFFFF]} (PS3.5 §6.2); missing
     * minutes and seconds become 00. A value without time part (less than hour precision) gives
     * "": a 6-digit value is YYYYMM, not HHMMSS.
     */
    static String tm(String value) {
        String d = digitsBeforeZone(value);
        if (d.length() < 10 || !isDigits(d, 0, 8)) {
            return "";
        }
        String time = d.substring(8);
        if (time.length() < 2) {
            return "";
        }
        String whole = time.contains(".") ? time.substring(0, time.indexOf('.')) : time;
        String fraction = time.contains(".") ? time.substring(time.indexOf('.') + 1) : "";
        if (whole.length() > 6 || whole.length() % 2 != 0 || !isDigits(whole, 0, whole.length()) || !isDigits(fraction, 0, fraction.length())) {
            return "";
        }
        StringBuilder sb = new StringBuilder(whole);
        while (sb.length() < 6) {
            sb.append("00");
        }
        if (Integer.parseInt(sb.substring(0, 2)) > 23 || Integer.parseInt(sb.substring(2, 4)) > 59 || Integer.parseInt(sb.substring(4, 6)) > 60) {
            return "";
        }
        if (!fraction.isEmpty() && whole.length() == 6) {
            sb.append('.').append(fraction, 0, Math.min(6, fraction.length()));
        }
        return sb.toString();
    }

    /** HL7 DTM to DICOM DT (PS3.5 §6.2): same layout; the zone is kept. */
    static String dt(String dtm) {
        String v = dtm.trim();
        return v.length() >= 4 && isDigits(v, 0, 4) ? v : "";
    }

    /**
     * DICOM PN {@code Family^Given^Middle^Prefix^Suffix} (PS3.5 §6.2.1.1) from five name parts,
     * trailing empty components removed.
     */
    static String pn(String family, String given, String middle, String prefix, String suffix) {
        String s = family + '^' + given + '^' + middle + '^' + prefix + '^' + suffix;
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '^') {
            end--;
        }
        return s.substring(0, end);
    }

    /**
     * Makes a mapped string a valid DICOM value of the target VR: single-line VRs get no CR/LF
     * and no backslash (the value delimiter, PS3.5 §6.2, allowed only in ST, LT, UT), CS is
     * upper case, padding spaces go.
     */
    static String forVr(String value, String vr) {
        if (value.isEmpty()) {
            return value;
        }
        String v = value;
        boolean text = vr.equals("ST") || vr.equals("LT") || vr.equals("UT");
        if (!text) {
            v = v.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ').replace('\\', '/');
        }
        if (vr.equals("CS")) {
            v = v.toUpperCase(java.util.Locale.ROOT);
        }
        return text ? stripTrailing(v) : v.strip();
    }

    private static String stripTrailing(String v) {
        int end = v.length();
        while (end > 0 && v.charAt(end - 1) == ' ') {
            end--;
        }
        return v.substring(0, end);
    }

    private static String digitsBeforeZone(String v) {
        String t = v.trim();
        int zone = Math.max(t.indexOf('+'), t.indexOf('-'));
        return zone > 0 ? t.substring(0, zone) : t;
    }

    private static boolean isDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
