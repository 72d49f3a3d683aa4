package org.orderly.dicom.net.pdu;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A DICOM Upper Layer protocol data unit, PS3.8 §9.3. Every PDU starts with the same 6 bytes:
 * <pre>
 * offset length field
 *   0      1    PDU-type (see {@link PduType})
 *   1      1    reserved, sent as 00H, not tested
 *   2      4    PDU-length, unsigned big-endian: bytes that follow this field
 * </pre>
 * Implementations are immutable. {@link PduDecoder} is the one entry point for decoding.
 */
public sealed interface Pdu permits AssociateRq, AssociateAc, AssociateRj, PDataTf, ReleaseRq, ReleaseRp, Abort {

    /** The PDU type. */
    PduType type();

    /** Length of the variable part: the value of the PDU-length field. */
    long pduLength();

    /** Writes the complete PDU (header included). */
    void writeTo(OutputStream out) throws IOException;

    /** The complete encoded PDU. */
    default byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(pduLength() + 6, Integer.MAX_VALUE - 8));
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
