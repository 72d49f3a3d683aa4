package org.orderly.mwl.query;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Person Name (PN) helpers for matching (PS3.5 §6.2.1): trailing empty components and component groups are
 * insignificant ("DOE^JOHN^^" = "DOE^JOHN"), and the case-/accent-folded form used for insensitive matching,
 * which PS3.4 §C.2.2.2.1 allows for PN ("literal matching that is either case-sensitive, or that is insensitive
 * to some or all aspects of case, position, accent, or other character encoding variants").
 */
public final class PersonNames {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private PersonNames() {
    }

    /** Removes trailing '^' of each component group and trailing empty groups. */
    public static String trimComponents(String pn) {
        if (pn == null) {
            return "";
        }
        String[] groups = pn.split("=", -1);
        StringBuilder sb = new StringBuilder();
        int last = groups.length - 1;
        while (last > 0 && stripCarets(groups[last]).isEmpty()) {
            last--;
        }
        for (int g = 0; g <= last; g++) {
            if (g > 0) {
                sb.append('=');
            }
            sb.append(stripCarets(groups[g]));
        }
        return sb.toString();
    }

    private static String stripCarets(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '^' || s.charAt(end - 1) == ' ')) {
            end--;
        }
        return s.substring(0, end);
    }

    /** The alphabetic (first) component group. */
    public static String alphabetic(String pn) {
        int eq = pn.indexOf('=');
        return eq < 0 ? pn : pn.substring(0, eq);
    }

    /** Folds case and/or accents: NFD with combining marks removed, then upper case (Locale.ROOT). */
    public static String fold(String s, boolean caseInsensitive, boolean accentInsensitive) {
        String r = s;
        if (accentInsensitive) {
            r = MARKS.matcher(Normalizer.normalize(r, Normalizer.Form.NFD)).replaceAll("");
            r = Normalizer.normalize(r, Normalizer.Form.NFC);
        }
        if (caseInsensitive) {
            r = r.toUpperCase(Locale.ROOT);
        }
        return r;
    }

    /** The form stored in {@code scheduled_procedure_step.patient_name_norm}: both folds. */
    public static String normalized(String pn) {
        return fold(trimComponents(pn), true, true);
    }
}
