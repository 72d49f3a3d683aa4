package org.orderly.mwl.charset;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.SpecificCharacterSet;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;

/**
 * Re-encodes a data set into one Specific Character Set (0008,0005), for modalities that display only one (issue
 * #5). The charset-dependent VRs (SH LO ST LT UC UT PN, PS3.5 §6.1.2.3) are decoded with the set in effect for each
 * element (a sequence item without its own (0008,0005) uses the enclosing data set's, PS3.3 §C.12.1.1.2) and encoded
 * with the target; other VRs are copied byte for byte.
 *
 * <p>A value the target cannot represent is transliterated rather than refused, in this order: (1) PN keeps only
 * its alphabetic component group (PS3.5 §6.2.1.1: the ideographic and phonetic groups are optional
 * representations of the same name); (2) each character the target lacks loses its accents (Unicode NFD without
 * combining marks, plus the few Latin letters that do not decompose: ß, Æ, Ø, Ł, Đ, Þ, Œ), so that "Dvořák" becomes
 * "Dvorák" in ISO_IR 100 and "Dvorak" in ISO_IR 6; (3) a character still not representable becomes {@code ?}. Thread-safe, immutable.
 */
public final class CharsetTranscoder {

    private static final Map<Character, String> UNDECOMPOSABLE = Map.ofEntries(
            Map.entry('ß', "ss"), Map.entry('Æ', "AE"), Map.entry('æ', "ae"), Map.entry('Ø', "O"),
            Map.entry('ø', "o"), Map.entry('Ł', "L"), Map.entry('ł', "l"), Map.entry('Đ', "D"),
            Map.entry('đ', "d"), Map.entry('Þ', "TH"), Map.entry('þ', "th"), Map.entry('Œ', "OE"),
            Map.entry('œ', "oe"), Map.entry('ı', "i"));

    private final String[] terms;
    private final byte[] termsValue;
    private final SpecificCharacterSet target;

    /**
     * @param specificCharacterSet the target's (0008,0005) value, e.g. {@code ISO_IR 100} or
     *                             {@code ISO 2022 IR 6\ISO 2022 IR 87}; empty = the default repertoire (ISO_IR 6)
     */
    public CharsetTranscoder(String specificCharacterSet) {
        Objects.requireNonNull(specificCharacterSet, "specificCharacterSet");
        this.terms = specificCharacterSet.isBlank() ? new String[0]
                : Arrays.stream(specificCharacterSet.split("\\\\")).map(String::trim).toArray(String[]::new);
        this.target = SpecificCharacterSet.valueOf(terms);
        Attributes tmp = new Attributes();
        tmp.setString(Tag.SpecificCharacterSet, VR.CS, terms);
        this.termsValue = tmp.getBytes(Tag.SpecificCharacterSet);
    }

    /** The target's defined terms. */
    public String[] terms() {
        return terms.clone();
    }

    /** {@code ds} in the target character set: the same object if it is already in it, else a new data set. */
    public Attributes transcode(Attributes ds) {
        if (Arrays.equals(ds.getSpecificCharacterSet().terms(), target.terms())
                || ds.getSpecificCharacterSet() == SpecificCharacterSet.DEFAULT && isAscii(ds)) {
            return ds;
        }
        Attributes out = new Attributes(ds.isBigEndian());
        if (terms.length > 0) {
            out.setValue(Tag.SpecificCharacterSet, VR.CS, termsValue.clone());
        }
        copy(ds, out);
        return out;
    }

    private void copy(Attributes from, Attributes to) {
        SpecificCharacterSet source = from.getSpecificCharacterSet();
        for (int i = 0; i < from.size(); i++) {
            int tag = from.tagAt(i);
            if (tag == Tag.SpecificCharacterSet) {
                continue;
            }
            VR vr = from.vrAt(i);
            Object v = from.valueAt(i);
            if (v instanceof Sequence seq) {
                Sequence s = to.newSequence(tag);
                for (Attributes item : seq) {
                    copy(item, s.addNewItem());
                }
            } else if (v instanceof byte[] b && vr.isText() && vr.isCharsetDependent() && b.length > 0) {
                String text = stripPadding(source.decode(b, vr));
                to.setValue(tag, vr, pad(encode(text, vr)));
            } else if (v instanceof byte[] b) {
                to.setValue(tag, vr, b.clone());
            } else {
                Attributes one = new Attributes();
                one.setValue(tag, vr, v);
                to.addAll(one);
            }
        }
    }

    /** Encodes with the target, transliterating what it cannot represent (see class comment). */
    byte[] encode(String text, VR vr) {
        try {
            return target.encode(text, vr);
        } catch (IllegalArgumentException e) {
            // fall through to transliteration
        }
        String t = text;
        if (vr == VR.PN) {
            t = alphabeticGroups(t);
            try {
                return target.encode(t, vr);
            } catch (IllegalArgumentException e) {
                // go on
            }
        }
        StringBuilder sb = new StringBuilder(t.length());
        t.codePoints().forEach(cp -> {
            String c = Character.toString(cp);
            if (representable(c, vr)) {
                sb.append(c);
            } else {
                String stripped = stripAccents(c);
                sb.append(!stripped.equals(c) && representable(stripped, vr) ? stripped : "?");
            }
        });
        return target.encode(sb.toString(), vr);
    }

    private boolean representable(String c, VR vr) {
        try {
            target.encode(c, vr);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** PN values (split at backslash) reduced to their alphabetic component group (PS3.5 §6.2.1.1). */
    static String alphabeticGroups(String pn) {
        String[] values = pn.split("\\\\", -1);
        for (int i = 0; i < values.length; i++) {
            int eq = values[i].indexOf('=');
            if (eq >= 0) {
                values[i] = values[i].substring(0, eq);
            }
        }
        return String.join("\\", values);
    }

    /** "Müller-Lüdenscheidt" -> "Muller-Ludenscheidt", "Łódź" -> "Lodz". */
    public static String stripAccents(String s) {
        StringBuilder pre = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = UNDECOMPOSABLE.get(c);
            pre.append(r != null ? r : String.valueOf(c));
        }
        String nfd = Normalizer.normalize(pre, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(nfd.length());
        for (int i = 0; i < nfd.length(); i++) {
            char c = nfd.charAt(i);
            if (Character.getType(c) != Character.NON_SPACING_MARK) {
                out.append(c);
            }
        }
        return Normalizer.normalize(out, Normalizer.Form.NFC);
    }

    private static String stripPadding(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        return s.substring(0, end);
    }

    /** PS3.5 §6.2: text values are padded to even length with a space. */
    private static byte[] pad(byte[] b) {
        if ((b.length & 1) == 0) {
            return b;
        }
        byte[] p = Arrays.copyOf(b, b.length + 1);
        p[b.length] = ' ';
        return p;
    }

    /** True if no charset-dependent value has a byte above 7FH (the data set is plain ASCII everywhere). */
    private static boolean isAscii(Attributes ds) {
        for (int i = 0; i < ds.size(); i++) {
            Object v = ds.valueAt(i);
            if (v instanceof Sequence seq) {
                for (Attributes item : seq) {
                    if (!isAscii(item)) {
                        return false;
                    }
                }
            } else if (v instanceof byte[] b && ds.vrAt(i).isCharsetDependent()) {
                for (byte x : b) {
                    if (x < 0 || x == 0x1B) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
