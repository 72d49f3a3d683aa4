package org.orderly.dicom.net.pdu;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The one decode entry point for PDUs, PS3.8 §9.3. Reads exactly one PDU from a stream and checks the
 * PDU-length against limits <em>before</em> allocating anything:
 * <ul>
 *   <li>a P-DATA-TF longer than our advertised Maximum Length Received (PS3.8 Annex D.1), unless that is 0;</li>
 *   <li>an A-ASSOCIATE-RQ/AC longer than {@link #maxAssociateLength()} (default 64 KiB);</li>
 *   <li>an A-ASSOCIATE-RJ, A-RELEASE-RQ/RP or A-ABORT whose length is not 4.</li>
 * </ul>
 * Every structural error is an {@link InvalidPduException} (Evt19) carrying the A-ABORT reason of PS3.8 Table 9-26.
 * A stream that ends cleanly before the first byte of a PDU yields {@code null} (Evt17).
 * <p>
 * {@link #read} returns self-contained PDUs. {@link #readTransient} is the receive loop's variant: a P-DATA-TF's
 * body is read into one buffer owned by the decoder and reused for every P-DATA-TF, and its PDVs are views of that
 * buffer, valid until the next call. One association's reader thus allocates nothing per P-DATA-TF, and holds at
 * most one PDU body (at most our Maximum Length Received) at a time. Not thread-safe: one decoder per reader.
 */
public final class PduDecoder {

    /** Default cap for A-ASSOCIATE-RQ/AC PDUs: far above what 128 presentation contexts need. */
    public static final int DEFAULT_MAX_ASSOCIATE_LENGTH = 64 * 1024;
    /** Hard cap applied when the P-DATA limit is 0 ("unlimited"): we never allocate more than this per PDU. */
    public static final int ABSOLUTE_MAX_PDATA_LENGTH = 16 * 1024 * 1024;

    private final long maxPDataLength;
    private final int maxAssociateLength;
    private final byte[] header = new byte[5];
    /** The reused P-DATA-TF body buffer of {@link #readTransient}; grows up to the first P-DATA-TF's length. */
    private byte[] pdataBody = new byte[0];

    /**
     * @param maxPDataLength     our advertised Maximum Length Received; 0 means no limit other than
     *                           {@link #ABSOLUTE_MAX_PDATA_LENGTH}
     * @param maxAssociateLength cap for A-ASSOCIATE-RQ/AC PDU-length
     */
    public PduDecoder(long maxPDataLength, int maxAssociateLength) {
        if (maxPDataLength < 0 || maxAssociateLength < AssociateCodec.FIXED_PART) {
            throw new IllegalArgumentException("invalid limits");
        }
        this.maxPDataLength = maxPDataLength == 0 ? ABSOLUTE_MAX_PDATA_LENGTH
                : Math.min(maxPDataLength, ABSOLUTE_MAX_PDATA_LENGTH);
        this.maxAssociateLength = maxAssociateLength;
    }

    public long maxPDataLength() {
        return maxPDataLength;
    }

    public int maxAssociateLength() {
        return maxAssociateLength;
    }

    /**
     * Reads one PDU.
     *
     * @return the PDU, or {@code null} if the stream ended before its first byte
     * @throws InvalidPduException for an unrecognized or invalid PDU, including one truncated by end of stream
     * @throws IOException         for transport errors and read timeouts
     */
    public Pdu read(InputStream in) throws IOException {
        return read(in, false);
    }

    /**
     * Reads one PDU like {@link #read}, but a P-DATA-TF is decoded in place in this decoder's reused body buffer:
     * its PDVs' fragments are valid only until the next call of this method. Other PDUs are self-contained.
     */
    public Pdu readTransient(InputStream in) throws IOException {
        return read(in, true);
    }

    private Pdu read(InputStream in, boolean reuseBody) throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        readFully(in, header, header.length, "PDU header");
        PduType type = PduType.ofCode(first);
        if (type == null) {
            throw new InvalidPduException(Abort.Reason.UNRECOGNIZED_PDU,
                    "unrecognized PDU type " + String.format("%02XH", first));
        }
        long length = ((long) (header[1] & 0xFF) << 24) | ((header[2] & 0xFF) << 16) | ((header[3] & 0xFF) << 8)
                | (header[4] & 0xFF);
        checkLength(type, length);
        int n = (int) length;
        if (reuseBody && type == PduType.P_DATA_TF) {
            if (pdataBody.length < n) {
                // grows at most to maxPDataLength (checked above); the peer's PDUs are usually all the same size
                pdataBody = new byte[n];
            }
            readFully(in, pdataBody, n, type + " of length " + length);
            return PDataTf.decode(new PduInput(pdataBody, 0, n, type.standardName()));
        }
        byte[] body = new byte[n];
        readFully(in, body, n, type + " of length " + length);
        return decodeBody(type, body);
    }

    /** Decodes one complete encoded PDU (header included), applying the same checks as {@link #read}. */
    public Pdu decode(byte[] pdu) throws InvalidPduException {
        if (pdu.length < 6) {
            throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE, "PDU shorter than its header");
        }
        PduType type = PduType.ofCode(pdu[0] & 0xFF);
        if (type == null) {
            throw new InvalidPduException(Abort.Reason.UNRECOGNIZED_PDU,
                    "unrecognized PDU type " + String.format("%02XH", pdu[0] & 0xFF));
        }
        long length = ((long) (pdu[2] & 0xFF) << 24) | ((pdu[3] & 0xFF) << 16) | ((pdu[4] & 0xFF) << 8)
                | (pdu[5] & 0xFF);
        checkLength(type, length);
        if (length != pdu.length - 6) {
            throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE,
                    type + " PDU-length " + length + " but " + (pdu.length - 6) + " bytes follow");
        }
        return decodeBody(type, java.util.Arrays.copyOfRange(pdu, 6, pdu.length));
    }

    private void checkLength(PduType type, long length) throws InvalidPduException {
        long max = switch (type) {
            case P_DATA_TF -> maxPDataLength;
            case A_ASSOCIATE_RQ, A_ASSOCIATE_AC -> maxAssociateLength;
            default -> 4;
        };
        boolean fixed = type == PduType.A_ASSOCIATE_RJ || type == PduType.A_RELEASE_RQ
                || type == PduType.A_RELEASE_RP || type == PduType.A_ABORT;
        if (length > max || (fixed && length != 4)) {
            throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE,
                    type + " PDU-length " + length + (fixed ? " (must be 4)" : " exceeds limit " + max));
        }
    }

    private static Pdu decodeBody(PduType type, byte[] body) throws InvalidPduException {
        PduInput in = PduInput.of(body, type.standardName());
        return switch (type) {
            case A_ASSOCIATE_RQ -> AssociateRq.decode(in);
            case A_ASSOCIATE_AC -> AssociateAc.decode(in);
            case A_ASSOCIATE_RJ -> AssociateRj.decode(in);
            case P_DATA_TF -> PDataTf.decode(in);
            case A_RELEASE_RQ -> ReleaseRq.INSTANCE; // 4 reserved bytes, not tested
            case A_RELEASE_RP -> ReleaseRp.INSTANCE;
            case A_ABORT -> Abort.decode(in);
        };
    }

    private static void readFully(InputStream in, byte[] b, int len, String what) throws IOException {
        int n = 0;
        while (n < len) {
            int r = in.read(b, n, len - n);
            if (r < 0) {
                // the length field promised more than the peer sent: an invalid PDU, PS3.8 §9.3.1
                InvalidPduException e = new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE,
                        "truncated " + what + ": " + n + " of " + len + " bytes before end of stream");
                e.initCause(new EOFException());
                throw e;
            }
            n += r;
        }
    }
}
