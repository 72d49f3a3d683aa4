package org.orderly.dicom.io;

import java.io.ByteArrayOutputStream;

/** Test helper: builds byte arrays from ints (one byte each) and ASCII strings. */
final class Bytes {

    private Bytes() {
    }

    static byte[] of(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                for (char c : s.toCharArray()) {
                    out.write(c);
                }
            } else if (p instanceof byte[] b) {
                out.writeBytes(b);
            } else {
                out.write((Integer) p);
            }
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
