package org.orderly.dicom.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PS3.5 §6.1 and the examples of Annex H (Japanese), I (Korean), J (Chinese). */
class SpecificCharacterSetTest {

    private static final int ESC = 0x1B;

    /** Builds bytes from ints and ASCII strings. */
    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                for (char c : s.toCharArray()) {
                    out.write(c);
                }
            } else {
                out.write((Integer) p);
            }
        }
        return out.toByteArray();
    }

    /** PS3.5 H.3.1 Example 1: (0008,0005) "\ISO 2022 IR 87", JIS X 0208 via ESC $ B, back to ASCII via ESC ( B. */
    static final byte[] H31 = bytes("Yamada^Tarou=",
            ESC, "$B;3ED", ESC, "(B^", ESC, "$BB@O:", ESC, "(B=",
            ESC, "$B$d$^$@", ESC, "(B^", ESC, "$B$?$m$&", ESC, "(B");

    /** PS3.5 H.3.2 Example 2: "ISO 2022 IR 13\ISO 2022 IR 87", half-width Katakana in G1, return via ESC ( J. */
    static final byte[] H32 = bytes(0xD4, 0xCF, 0xC0, 0xDE, "^", 0xC0, 0xDB, 0xB3, "=",
            ESC, "$B;3ED", ESC, "(J^", ESC, "$BB@O:", ESC, "(J=",
            ESC, "$B$d$^$@", ESC, "(J^", ESC, "$B$?$m$&", ESC, "(J");

    /** PS3.5 I.2: "\ISO 2022 IR 149", KS X 1001 in G1 designated by ESC $ ) C before each Korean component. */
    static final byte[] I2 = bytes("Hong^Gildong=", ESC, "$)C", 0xFB, 0xF3, "^", ESC, "$)C", 0xD1, 0xCE, 0xD4, 0xD7,
            "=", ESC, "$)C", 0xC8, 0xAB, "^", ESC, "$)C", 0xB1, 0xE6, 0xB5, 0xBF);

    /** PS3.5 J.3: "GB18030". */
    static final byte[] J3 = bytes("Wang^XiaoDong=", 0xCD, 0xF5, "^", 0xD0, 0xA1, 0xB6, 0xAB, "=");

    /** PS3.5 J.1: "ISO_IR 192" (UTF-8). */
    static final byte[] J1 = bytes("Wang^XiaoDong=", 0xE7, 0x8E, 0x8B, "^", 0xE5, 0xB0, 0x8F, 0xE6, 0x9D, 0xB1, "=");

    @Test
    void annexH31JapaneseKanjiAndHiragana() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("", "ISO 2022 IR 87");
        assertTrue(cs.usesCodeExtensions());
        assertEquals("Yamada^Tarou=山田^太郎=やまだ^たろう", cs.decode(H31, VR.PN));
        assertArrayEquals(H31, cs.encode("Yamada^Tarou=山田^太郎=やまだ^たろう", VR.PN));
    }

    @Test
    void annexH32JapaneseKatakanaInG1() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("ISO 2022 IR 13", "ISO 2022 IR 87");
        String name = "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう";
        assertEquals(name, cs.decode(H32, VR.PN));
        assertArrayEquals(H32, cs.encode(name, VR.PN));
    }

    @Test
    void annexI2Korean() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("", "ISO 2022 IR 149");
        String name = "Hong^Gildong=洪^吉洞=홍^길동";
        assertEquals(name, cs.decode(I2, VR.PN));
        assertArrayEquals(I2, cs.encode(name, VR.PN));
    }

    @Test
    void annexJChineseGb18030AndUtf8() {
        String name = "Wang^XiaoDong=王^小东=";
        assertEquals(name, SpecificCharacterSet.valueOf("GB18030").decode(J3, VR.PN));
        assertArrayEquals(J3, SpecificCharacterSet.valueOf("GB18030").encode(name, VR.PN));
        String traditional = "Wang^XiaoDong=王^小東=";
        assertEquals(traditional, SpecificCharacterSet.valueOf("ISO_IR 192").decode(J1, VR.PN));
        assertArrayEquals(J1, SpecificCharacterSet.valueOf("ISO_IR 192").encode(traditional, VR.PN));
    }

    @Test
    void escapesResetAtValueDelimiterPs35Sec61253() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("", "ISO 2022 IR 87");
        byte[] b = cs.encode("山田\\ABC", VR.LO);
        assertArrayEquals(bytes(ESC, "$B;3ED", ESC, "(B\\ABC"), b);
        assertEquals("山田\\ABC", cs.decode(b, VR.LO));
        // not PN: ^ and = are ordinary characters, no reset needed
        assertArrayEquals(bytes(ESC, "$B;3ED", ESC, "(B^"), cs.encode("山田^", VR.LO));
    }

    @Test
    void twoByteJisContaining5CIsNotADelimiter() {
        // U+5FA1 (御) is JIS X 0208 0x3C 0x5C?  use the encoder to find a kanji whose second byte is 0x5C
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("", "ISO 2022 IR 87");
        String kanji = null;
        for (char c = 0x4E00; c < 0x9FA0 && kanji == null; c++) {
            byte[] e = SpecificCharacterSet.GSet.JIS_X0208.encode(c);
            if (e != null && e[1] == 0x5C) {
                kanji = String.valueOf(c);
            }
        }
        assertTrue(kanji != null);
        byte[] b = cs.encode(kanji + "\\X", VR.LO);
        assertEquals(kanji + "\\X", cs.decode(b, VR.LO));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ISO_IR 100|Müller^Jürgen=ß",
            "ISO_IR 101|Dvořák^Šárka",
            "ISO_IR 109|Ħal Għargħur",
            "ISO_IR 110|Ķēniņš",
            "ISO_IR 144|Иванов^Пётр",
            "ISO_IR 127|قباني^لنزار",
            "ISO_IR 126|Διονυσιος",
            "ISO_IR 138|שרון^דבורה",
            "ISO_IR 148|Çağlar^Ömer",
            "ISO_IR 203|Œuvre €",
            "ISO_IR 166|นาย^สมชาย",
            "ISO_IR 13|ﾔﾏﾀﾞ^ﾀﾛｳ",
            "ISO_IR 192|Ünïcødé^名前=😀",
            "GB18030|王^小东",
            "GBK|王^小东",
            "ISO 2022 IR 100|Müller^Jürgen",
            "ISO 2022 IR 144|Иванов^Пётр",
            "ISO 2022 IR 126|Διονυσιος",
    })
    void roundTrip(String term, String value) {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf(term);
        byte[] b = cs.encode(value, VR.PN);
        assertEquals(value, cs.decode(b, VR.PN), term);
    }

    @Test
    void iso2022WithLatin1InG1NeedsNoEscapes() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("ISO 2022 IR 100");
        assertArrayEquals(bytes("M", 0xFC, "ller"), cs.encode("Müller", VR.PN));
    }

    @Test
    void mixedJapaneseWithJisX0212() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("", "ISO 2022 IR 87", "ISO 2022 IR 159");
        String v = "Abc^丂=山田";  // 丂 (U+4E02) is only in JIS X 0212
        byte[] b = cs.encode(v, VR.PN);
        assertTrue(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).contains("\u001b$(D"));
        assertEquals(v, cs.decode(b, VR.PN));
    }

    @Test
    void unrepresentableCharacterIsRejectedNotReplaced() {
        assertThrows(IllegalArgumentException.class,
                () -> SpecificCharacterSet.valueOf("ISO_IR 100").encode("Иванов", VR.PN));
        assertThrows(IllegalArgumentException.class,
                () -> SpecificCharacterSet.valueOf("", "ISO 2022 IR 87").encode("Иванов한", VR.PN));
        assertThrows(IllegalArgumentException.class, () -> SpecificCharacterSet.DEFAULT.encode("é", VR.LO));
    }

    @Test
    void decodingNeverLosesBytes() {
        byte[] b = bytes("A", 0xE9, 0xFF, "B");
        assertEquals("A\u00e9\u00ffB", SpecificCharacterSet.DEFAULT.decode(b, VR.LO), "undeclared bytes as Latin-1");
        assertEquals("A\u00e9\u00ffB", SpecificCharacterSet.valueOf("ISO_IR 999").decode(b, VR.LO));
        assertFalse(SpecificCharacterSet.valueOf("ISO_IR 192").usesCodeExtensions());
        assertEquals(SpecificCharacterSet.DEFAULT, SpecificCharacterSet.valueOf(""));
    }

    @Test
    void attributesUseTheDeclaredCharset() {
        Attributes a = new Attributes();
        a.setString(Tag.SpecificCharacterSet, VR.CS, "", "ISO 2022 IR 87");
        a.setString(Tag.PatientName, VR.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう");
        byte[] padded = java.util.Arrays.copyOf(H31, H31.length + (H31.length & 1));
        if ((H31.length & 1) != 0) {
            padded[H31.length] = ' ';
        }
        assertArrayEquals(padded, a.getBytes(Tag.PatientName));
        assertEquals("Yamada^Tarou=山田^太郎=やまだ^たろう", a.getString(Tag.PatientName));
    }
}
