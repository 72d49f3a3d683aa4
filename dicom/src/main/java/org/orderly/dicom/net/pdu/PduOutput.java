package org.orderly.dicom.net.pdu;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Growable big-endian writer used to encode PDUs and items. */
final class PduOutput extends ByteArrayOutputStream {

    PduOutput(int size) {
        super(size);
    }

    PduOutput u8(int v) {
        write(v);
        return this;
    }

    PduOutput u16(int v) {
        write(v >>> 8);
        write(v);
        return this;
    }

    PduOutput u32(long v) {
        write((int) (v >>> 24));
        write((int) (v >>> 16));
        write((int) (v >>> 8));
        write((int) v);
        return this;
    }

    PduOutput bytes(byte[] b) {
        write(b, 0, b.length);
        return this;
    }

    PduOutput ascii(String s) {
        return bytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
