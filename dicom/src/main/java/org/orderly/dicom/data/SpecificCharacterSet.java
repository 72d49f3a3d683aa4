package org.orderly.dicom.data;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Specific Character Set (0008,0005): decoding and encoding of the charset-dependent VRs
 * (SH LO ST LT UC UT PN, PS3.5 §6.1.2.3).
 *
 * <p>Supported defined terms (PS3.3 C.12.1.1.2, Tables C.12-2 to C.12-5):
 * <ul>
 *   <li>Without code extensions: (empty) / ISO_IR 6, ISO_IR 100, 101, 109, 110, 144, 127, 126, 138, 148,
 *       203, 166, ISO_IR 13, ISO_IR 192 (UTF-8), GB18030, GBK.</li>
 *   <li>With ISO 2022 code extensions (PS3.5 §6.1.2.5): ISO 2022 IR 6, IR 100/101/109/110/144/127/126/138/148/
 *       203/166 (G1), ISO 2022 IR 13 (JIS X 0201: Romaji in G0, Katakana in G1), IR 87 (JIS X 0208, ESC $ B),
 *       IR 159 (JIS X 0212, ESC $ ( D), IR 149 (KS X 1001, ESC $ ) C), IR 58 (GB 2312, ESC $ ) A).</li>
 * </ul>
 *
 * <p>PS3.5 §6.1.2.5.3: the character set of value 1 is active again before the end of a value, before
 * the {@code \} value delimiter, before control characters (CR, LF, FF, TAB) and, in PN, before the
 * {@code ^} and {@code =} delimiters. The encoder emits the escape sequences needed to get there; the
 * decoder resets its state at those bytes while a single-byte G0 set is active (a byte 5CH inside a
 * two-byte JIS X 0208 character is not a delimiter).
 *
 * <p>Decoding never fails: unknown defined terms and bytes outside the active sets decode as ISO 8859-1
 * so that no byte is lost. Encoding fails with {@link IllegalArgumentException} on a character the
 * declared sets cannot represent rather than silently substituting it.
 */
public final class SpecificCharacterSet {

    /** One graphic character set that ISO 2022 designates into G0 or G1 with an escape sequence. */
    enum GSet {
        ASCII(0, "(B", 1, null),
        JIS_ROMAN(0, "(J", 1, null),
        JIS_X0208(0, "$B", 2, "EUC-JP"),
        JIS_X0212(0, "$(D", 2, "EUC-JP"),
        LATIN1(1, "-A", 1, "ISO-8859-1"),
        LATIN2(1, "-B", 1, "ISO-8859-2"),
        LATIN3(1, "-C", 1, "ISO-8859-3"),
        LATIN4(1, "-D", 1, "ISO-8859-4"),
        CYRILLIC(1, "-L", 1, "ISO-8859-5"),
        ARABIC(1, "-G", 1, "ISO-8859-6"),
        GREEK(1, "-F", 1, "ISO-8859-7"),
        HEBREW(1, "-H", 1, "ISO-8859-8"),
        LATIN5(1, "-M", 1, "ISO-8859-9"),
        LATIN9(1, "-b", 1, "ISO-8859-15"),
        THAI(1, "-T", 1, "TIS-620"),
        KATAKANA(1, ")I", 1, "JIS_X0201"),
        KS_X1001(1, "$)C", 2, "EUC-KR"),
        GB2312(1, "$)A", 2, "GB2312");

        final int g;
        final byte[] escape;
        final int width;
        final Charset charset;

        GSet(int g, String esc, int width, String charset) {
            this.g = g;
            this.escape = ("\u001b" + esc).getBytes(StandardCharsets.US_ASCII);
            this.width = width;
            this.charset = charset == null ? StandardCharsets.US_ASCII : Charset.forName(charset);
        }

        /** Bytes of {@code c} in this set as they appear in the value (G0: 21-7E, G1: A0-FF), or null. */
        byte[] encode(char c) {
            switch (this) {
                case ASCII:
                case JIS_ROMAN:
                    return c < 0x80 ? new byte[] {(byte) c} : null;
                default:
                    break;
            }
            byte[] b = encodeStrict(charset, String.valueOf(c));
            if (b == null) {
                return null;
            }
            switch (this) {
                case JIS_X0208:
                    return b.length == 2 && (b[0] & 0xFF) >= 0xA1 && (b[1] & 0xFF) >= 0xA1
                            ? new byte[] {(byte) (b[0] & 0x7F), (byte) (b[1] & 0x7F)} : null;
                case JIS_X0212:
                    return b.length == 3 && (b[0] & 0xFF) == 0x8F
                            ? new byte[] {(byte) (b[1] & 0x7F), (byte) (b[2] & 0x7F)} : null;
                case KATAKANA:
                    return b.length == 1 && (b[0] & 0xFF) >= 0xA1 && (b[0] & 0xFF) <= 0xDF ? b : null;
                case KS_X1001:
                case GB2312:
                    return b.length == 2 && (b[0] & 0xFF) >= 0xA1 && (b[1] & 0xFF) >= 0xA1 ? b : null;
                default:
                    return b.length == 1 && (b[0] & 0xFF) >= 0xA0 ? b : null;
            }
        }

        /** Decodes a run of bytes that were all read while this set was active. */
        String decode(byte[] run, int len) {
            switch (this) {
                case ASCII:
                case JIS_ROMAN:
                    return new String(run, 0, len, StandardCharsets.ISO_8859_1);
                case JIS_X0208: {
                    byte[] euc = new byte[len];
                    for (int i = 0; i < len; i++) {
                        euc[i] = (byte) (run[i] | 0x80);
                    }
                    return new String(euc, charset);
                }
                case JIS_X0212: {
                    ByteArrayOutputStream euc = new ByteArrayOutputStream(len * 3 / 2 + 2);
                    for (int i = 0; i + 1 < len; i += 2) {
                        euc.write(0x8F);
                        euc.write(run[i] | 0x80);
                        euc.write(run[i + 1] | 0x80);
                    }
                    return new String(euc.toByteArray(), charset);
                }
                default:
                    return new String(run, 0, len, charset);
            }
        }
    }

    /** A defined term: either a single charset without code extensions, or the sets it designates. */
    private record Term(String name, Charset charset, GSet g0, GSet g1) {
    }

    private static final List<Term> TERMS = List.of(
            new Term("ISO_IR 6", StandardCharsets.US_ASCII, null, null),
            new Term("ISO_IR 100", StandardCharsets.ISO_8859_1, null, null),
            new Term("ISO_IR 101", Charset.forName("ISO-8859-2"), null, null),
            new Term("ISO_IR 109", Charset.forName("ISO-8859-3"), null, null),
            new Term("ISO_IR 110", Charset.forName("ISO-8859-4"), null, null),
            new Term("ISO_IR 144", Charset.forName("ISO-8859-5"), null, null),
            new Term("ISO_IR 127", Charset.forName("ISO-8859-6"), null, null),
            new Term("ISO_IR 126", Charset.forName("ISO-8859-7"), null, null),
            new Term("ISO_IR 138", Charset.forName("ISO-8859-8"), null, null),
            new Term("ISO_IR 148", Charset.forName("ISO-8859-9"), null, null),
            new Term("ISO_IR 203", Charset.forName("ISO-8859-15"), null, null),
            new Term("ISO_IR 166", Charset.forName("TIS-620"), null, null),
            new Term("ISO_IR 13", Charset.forName("JIS_X0201"), null, null),
            new Term("ISO_IR 192", StandardCharsets.UTF_8, null, null),
            new Term("GB18030", Charset.forName("GB18030"), null, null),
            new Term("GBK", Charset.forName("GBK"), null, null),
            new Term("ISO 2022 IR 6", null, GSet.ASCII, null),
            new Term("ISO 2022 IR 100", null, GSet.ASCII, GSet.LATIN1),
            new Term("ISO 2022 IR 101", null, GSet.ASCII, GSet.LATIN2),
            new Term("ISO 2022 IR 109", null, GSet.ASCII, GSet.LATIN3),
            new Term("ISO 2022 IR 110", null, GSet.ASCII, GSet.LATIN4),
            new Term("ISO 2022 IR 144", null, GSet.ASCII, GSet.CYRILLIC),
            new Term("ISO 2022 IR 127", null, GSet.ASCII, GSet.ARABIC),
            new Term("ISO 2022 IR 126", null, GSet.ASCII, GSet.GREEK),
            new Term("ISO 2022 IR 138", null, GSet.ASCII, GSet.HEBREW),
            new Term("ISO 2022 IR 148", null, GSet.ASCII, GSet.LATIN5),
            new Term("ISO 2022 IR 203", null, GSet.ASCII, GSet.LATIN9),
            new Term("ISO 2022 IR 166", null, GSet.ASCII, GSet.THAI),
            new Term("ISO 2022 IR 13", null, GSet.JIS_ROMAN, GSet.KATAKANA),
            new Term("ISO 2022 IR 87", null, GSet.JIS_X0208, null),
            new Term("ISO 2022 IR 159", null, GSet.JIS_X0212, null),
            new Term("ISO 2022 IR 149", null, null, GSet.KS_X1001),
            new Term("ISO 2022 IR 58", null, null, GSet.GB2312));

    /** The default character repertoire (ISO-IR 6), used when (0008,0005) is absent or empty. */
    public static final SpecificCharacterSet DEFAULT =
            new SpecificCharacterSet(new String[0], StandardCharsets.US_ASCII, null, null, List.of());

    private final String[] terms;
    /** Set when no code extensions are used. */
    private final Charset charset;
    private final GSet initialG0;
    private final GSet initialG1;
    /** All sets that may be designated, in the order of (0008,0005). */
    private final List<GSet> sets;

    private SpecificCharacterSet(String[] terms, Charset charset, GSet g0, GSet g1, List<GSet> sets) {
        this.terms = terms;
        this.charset = charset;
        this.initialG0 = g0;
        this.initialG1 = g1;
        this.sets = sets;
    }

    /**
     * The character set for the values of (0008,0005). Unknown terms are ignored (their bytes decode as
     * ISO 8859-1); an empty first value means ISO-IR 6 with code extensions when more values follow.
     */
    public static SpecificCharacterSet valueOf(String... values) {
        if (values == null || values.length == 0 || (values.length == 1 && values[0].isBlank())) {
            return DEFAULT;
        }
        String[] t = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            t[i] = values[i] == null ? "" : values[i].trim().toUpperCase(Locale.ROOT);
        }
        if (t.length == 1 && !t[0].startsWith("ISO 2022")) {
            Term term = find(t[0]);
            Charset cs = term != null && term.charset() != null ? term.charset() : StandardCharsets.ISO_8859_1;
            return new SpecificCharacterSet(t, cs, null, null, List.of());
        }
        // ISO 2022 code extensions, PS3.5 §6.1.2.5
        List<GSet> sets = new ArrayList<>();
        GSet g0 = GSet.ASCII;
        GSet g1 = null;
        for (int i = 0; i < t.length; i++) {
            String name = t[i].isEmpty() && i == 0 ? "ISO 2022 IR 6" : t[i].replace("ISO_IR", "ISO 2022 IR");
            Term term = find(name);
            if (term == null || term.charset() != null && term.g0() == null && term.g1() == null) {
                continue;
            }
            if (i == 0) {
                if (term.g0() != null && term.g0().width == 1) {
                    g0 = term.g0();
                }
                if (term.g1() != null && term.g1().width == 1) {
                    g1 = term.g1();
                }
            }
            if (term.g0() != null && !sets.contains(term.g0())) {
                sets.add(term.g0());
            }
            if (term.g1() != null && !sets.contains(term.g1())) {
                sets.add(term.g1());
            }
        }
        if (!sets.contains(GSet.ASCII) && g0 == GSet.ASCII) {
            sets.add(0, GSet.ASCII);
        }
        return new SpecificCharacterSet(t, null, g0, g1, List.copyOf(sets));
    }

    private static Term find(String name) {
        for (Term term : TERMS) {
            if (term.name().equals(name)) {
                return term;
            }
        }
        return null;
    }

    /** The defined terms as given in (0008,0005). */
    public String[] terms() {
        return terms.clone();
    }

    /** True if ISO 2022 escape sequences are used (PS3.5 §6.1.2.5). */
    public boolean usesCodeExtensions() {
        return charset == null;
    }

    /** Decodes a whole value field (all values, backslashes included). */
    public String decode(byte[] value, VR vr) {
        return decode(value, 0, value.length, vr);
    }

    public String decode(byte[] b, int off, int len, VR vr) {
        if (charset != null) {
            if (charset == StandardCharsets.US_ASCII) {
                return new String(b, off, len, StandardCharsets.ISO_8859_1);
            }
            return new String(b, off, len, charset);
        }
        boolean pn = vr == VR.PN;
        StringBuilder sb = new StringBuilder(len);
        GSet g0 = initialG0;
        GSet g1 = initialG1;
        byte[] run = new byte[len];
        int runLen = 0;
        GSet runSet = null;
        int end = off + len;
        for (int i = off; i < end; ) {
            int c = b[i] & 0xFF;
            if (c == 0x1B) {
                GSet designated = matchEscape(b, i, end);
                if (designated != null) {
                    if (runLen > 0) {
                        sb.append(runSet.decode(run, runLen));
                        runLen = 0;
                    }
                    if (designated.g == 0) {
                        g0 = designated;
                    } else {
                        g1 = designated;
                    }
                    i += designated.escape.length;
                    continue;
                }
            }
            GSet set;
            int width;
            if (c < 0x80) {
                if (g0.width == 1 || c < 0x21 || c == 0x7F || i + 1 >= end) {
                    set = g0.width == 1 ? g0 : GSet.ASCII;
                    width = 1;
                    if (isResetPoint(c, pn)) {
                        g0 = initialG0;
                        g1 = initialG1;
                    }
                } else {
                    set = g0;
                    width = 2;
                }
            } else if (g1 == null) {
                set = GSet.LATIN1; // undeclared high byte: keep it as ISO 8859-1 so nothing is lost
                width = 1;
            } else {
                set = g1;
                width = g1.width == 2 && i + 1 < end ? 2 : 1;
            }
            if (runSet != set && runLen > 0) {
                sb.append(runSet.decode(run, runLen));
                runLen = 0;
            }
            runSet = set;
            for (int k = 0; k < width; k++) {
                run[runLen++] = b[i + k];
            }
            i += width;
        }
        if (runLen > 0) {
            sb.append(runSet.decode(run, runLen));
        }
        return sb.toString();
    }

    private GSet matchEscape(byte[] b, int i, int end) {
        for (GSet s : GSet.values()) {
            byte[] esc = s.escape;
            if (i + esc.length <= end && Arrays.equals(b, i, i + esc.length, esc, 0, esc.length)) {
                return s;
            }
        }
        return null;
    }

    /** PS3.5 §6.1.2.5.3: where the value-1 character set must be active again. */
    private static boolean isResetPoint(int c, boolean pn) {
        return c == '\\' || c == '\r' || c == '\n' || c == '\f' || c == '\t' || (pn && (c == '^' || c == '='));
    }

    /**
     * Encodes a whole value field (values already joined with backslash).
     *
     * @throws IllegalArgumentException if a character cannot be represented in the declared character sets
     */
    public byte[] encode(String s, VR vr) {
        if (charset != null) {
            byte[] b = encodeStrict(charset, s);
            if (b == null) {
                throw new IllegalArgumentException("value not representable in Specific Character Set "
                        + (terms.length == 0 ? "ISO_IR 6 (default)" : String.join("\\", terms)));
            }
            return b;
        }
        boolean pn = vr == VR.PN;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() * 2 + 8);
        GSet g0 = initialG0;
        GSet g1 = initialG1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80 && isResetPoint(c, pn)) {
                if (g0 != initialG0) {
                    out.writeBytes(initialG0.escape);
                    g0 = initialG0;
                }
                if (g1 != initialG1) {
                    if (initialG1 != null) {
                        out.writeBytes(initialG1.escape);
                    }
                    g1 = initialG1;
                }
                out.write(c);
                continue;
            }
            byte[] enc = g0.encode(c);
            if (enc == null && g1 != null) {
                enc = g1.encode(c);
            }
            if (enc == null) {
                GSet chosen = null;
                for (GSet candidate : candidates()) {
                    enc = candidate.encode(c);
                    if (enc != null) {
                        chosen = candidate;
                        break;
                    }
                }
                if (chosen == null) {
                    throw new IllegalArgumentException(String.format(
                            "character U+%04X not representable in Specific Character Set %s",
                            (int) c, String.join("\\", terms)));
                }
                out.writeBytes(chosen.escape);
                if (chosen.g == 0) {
                    g0 = chosen;
                } else {
                    g1 = chosen;
                }
            }
            out.writeBytes(enc);
        }
        if (g0 != initialG0) {
            out.writeBytes(initialG0.escape);
        }
        return out.toByteArray();
    }

    private List<GSet> candidates() {
        List<GSet> c = new ArrayList<>(sets.size() + 2);
        c.add(initialG0);
        if (initialG1 != null) {
            c.add(initialG1);
        }
        c.addAll(sets);
        return c;
    }

    private static byte[] encodeStrict(Charset cs, String s) {
        CharsetEncoder enc = cs.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            ByteBuffer bb = enc.encode(CharBuffer.wrap(s));
            byte[] b = new byte[bb.remaining()];
            bb.get(b);
            return b;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return terms.length == 0 ? "ISO_IR 6" : String.join("\\", terms);
    }
}
