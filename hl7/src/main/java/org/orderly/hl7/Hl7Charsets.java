package org.orderly.hl7;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * MSH-18 character set names (HL7 table 0211) to Java charsets.
 *
 * <p>HL7 v2.5.1 §2.15.9.18: the first repetition of MSH-18 is the character set of the whole
 * message; an empty MSH-18 means the default, 7-bit ASCII. Real senders put 8-bit Latin-1 in
 * messages that declare nothing, so {@link #forMsh18(String)} decodes an empty MSH-18 as
 * ISO-8859-1, a superset of ASCII that never fails on a byte.
 */
public final class Hl7Charsets {

    // HL7 v2.5.1 Table 0211 - Alternate character sets; upper-cased keys.
    private static final Map<String, String> TABLE_0211 = Map.ofEntries(
            Map.entry("ASCII", "US-ASCII"),
            Map.entry("8859/1", "ISO-8859-1"),
            Map.entry("8859/2", "ISO-8859-2"),
            Map.entry("8859/3", "ISO-8859-3"),
            Map.entry("8859/4", "ISO-8859-4"),
            Map.entry("8859/5", "ISO-8859-5"),
            Map.entry("8859/6", "ISO-8859-6"),
            Map.entry("8859/7", "ISO-8859-7"),
            Map.entry("8859/8", "ISO-8859-8"),
            Map.entry("8859/9", "ISO-8859-9"),
            Map.entry("8859/15", "ISO-8859-15"),
            Map.entry("ISO IR14", "JIS_X0201"),
            Map.entry("ISO IR87", "x-JIS0208"),
            Map.entry("ISO IR159", "JIS_X0212-1990"),
            Map.entry("GB 18030-2000", "GB18030"),
            Map.entry("KS X 1001", "EUC-KR"),
            Map.entry("CNS 11643-1992", "x-EUC-TW"),
            Map.entry("BIG-5", "Big5"),
            Map.entry("UNICODE", "UTF-8"),
            Map.entry("UNICODE UTF-8", "UTF-8"));

    private Hl7Charsets() {
    }

    /**
     * The charset for an MSH-18 value (first repetition, as sent).
     *
     * @return empty when the name is not in table 0211 or the JVM lacks the charset
     */
    public static Optional<Charset> forMsh18(String msh18) {
        if (msh18 == null || msh18.isBlank()) {
            return Optional.of(StandardCharsets.ISO_8859_1);
        }
        String javaName = TABLE_0211.get(msh18.trim().toUpperCase(Locale.ROOT));
        if (javaName == null) {
            return Optional.empty();
        }
        if (javaName.equals("US-ASCII")) {
            // Decode declared ASCII leniently: an 8-bit byte becomes its Latin-1 character, not U+FFFD.
            return Optional.of(StandardCharsets.ISO_8859_1);
        }
        try {
            return Optional.of(Charset.forName(javaName));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
