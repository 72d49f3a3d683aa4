package org.orderly.dicom.net.pdu;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * P-DATA-TF PDU, PS3.8 §9.3.5, Table 9-22.
 * <pre>
 * offset length field
 *   0      1    PDU-type 04H
 *   1      1    reserved
 *   2      4    PDU-length: bytes that follow
 *   6      n    one or more Presentation Data Value items ({@link PresentationDataValue})
 * </pre>
 */
public record PDataTf(List<PresentationDataValue> values) implements Pdu {

    public PDataTf {
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a P-DATA-TF carries one or more PDV items (PS3.8 §9.3.5)");
        }
    }

    public static PDataTf of(PresentationDataValue... pdvs) {
        return new PDataTf(List.of(pdvs));
    }

    @Override
    public PduType type() {
        return PduType.P_DATA_TF;
    }

    @Override
    public long pduLength() {
        long n = 0;
        for (PresentationDataValue v : values) {
            n += v.encodedLength();
        }
        return n;
    }

    /**
     * Writes the PDU header, then each PDV item's header and fragment straight from the fragment's buffer (no
     * encoded copy of the PDU is made). Several small writes: {@code out} should be buffered
     * ({@link org.orderly.dicom.net.ul.Transport} buffers a whole PDU and flushes it in one write).
     */
    @Override
    public void writeTo(OutputStream out) throws IOException {
        long len = pduLength();
        out.write(new byte[] {0x04, 0, (byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len});
        for (PresentationDataValue v : values) {
            v.writeTo(out);
        }
    }

    static PDataTf decode(PduInput in) throws InvalidPduException {
        List<PresentationDataValue> pdvs = new ArrayList<>();
        while (in.hasRemaining()) {
            long itemLength = in.u32();
            if (itemLength < 2 || itemLength > in.remaining()) {
                throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE,
                        "PDV item length " + itemLength + " does not fit the P-DATA-TF (" + in.remaining() + " left)");
            }
            int pcid = in.u8();
            int mch = in.u8();
            int n = (int) itemLength - 2;
            // a view of the received body, not a copy: PduDecoder decides whether that body is fresh or reused
            pdvs.add(new PresentationDataValue(pcid, mch, in.array(), in.position(), n));
            in.skip(n);
        }
        if (pdvs.isEmpty()) {
            throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE, "P-DATA-TF without PDV items");
        }
        return new PDataTf(pdvs);
    }

    @Override
    public String toString() {
        return "P-DATA-TF" + values;
    }
}
