package org.orderly.dicom.net.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Test helper: builds byte fixtures from hex strings ("01 00 0000 00AF") and byte arrays. */
public final class Bytes {

    private Bytes() {
    }

    /** Concatenates parts: a String is hex (spaces ignored), a byte[] is taken as is. */
    public static byte[] of(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            byte[] b = p instanceof byte[] a ? a : HexFormat.of().parseHex(((String) p).replace(" ", ""));
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }

    /** ASCII bytes. */
    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** An AE title field: 16 bytes, space padded (PS3.8 Table 9-11). */
    public static byte[] ae(String s) {
        return ascii(String.format("%-16s", s));
    }

    public static String hex(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }
}
