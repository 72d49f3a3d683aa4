package org.orderly.dicom.net.pdu;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Bounded big-endian reader over a received PDU or item value. Every read is checked against the limit, so
 * item lengths that do not add up raise {@link InvalidPduException} instead of reading past the value.
 */
final class PduInput {

    private final byte[] buf;
    private int pos;
    private final int limit;
    private final String what;

    PduInput(byte[] buf, int offset, int length, String what) {
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
        this.what = what;
    }

    static PduInput of(byte[] value, String what) {
        return new PduInput(value, 0, value.length, what);
    }

    int remaining() {
        return limit - pos;
    }

    boolean hasRemaining() {
        return pos < limit;
    }

    private void need(int n) throws InvalidPduException {
        if (n < 0 || n > limit - pos) {
            throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE,
                    what + ": need " + n + " byte(s) at offset " + pos + " but only " + (limit - pos) + " left");
        }
    }

    int u8() throws InvalidPduException {
        need(1);
        return buf[pos++] & 0xFF;
    }

    int u16() throws InvalidPduException {
        need(2);
        int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    long u32() throws InvalidPduException {
        need(4);
        long v = ((long) (buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16)
                | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    /** The backing array, for views of it ({@link PDataTf#decode}); read-only by convention. */
    byte[] array() {
        return buf;
    }

    /** The index in {@link #array()} of the next byte. */
    int position() {
        return pos;
    }

    void skip(int n) throws InvalidPduException {
        need(n);
        pos += n;
    }

    byte[] bytes(int n) throws InvalidPduException {
        need(n);
        byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return b;
    }

    String ascii(int n) throws InvalidPduException {
        need(n);
        String s = new String(buf, pos, n, StandardCharsets.US_ASCII);
        pos += n;
        return s;
    }

    /** A reader over the next {@code n} bytes; this reader advances past them. */
    PduInput slice(int n, String sliceWhat) throws InvalidPduException {
        need(n);
        PduInput s = new PduInput(buf, pos, n, sliceWhat);
        pos += n;
        return s;
    }

    String what() {
        return what;
    }
}
