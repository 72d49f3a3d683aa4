package org.orderly.dicom.net.pdu;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A-RELEASE-RQ PDU, PS3.8 §9.3.6, Table 9-24.
 * <pre>
 * offset length field
 *   0      1    PDU-type 05H
 *   1      1    reserved
 *   2      4    PDU-length = 00000004H
 *   6      4    reserved, sent as 00000000H, not tested
 * </pre>
 */
public record ReleaseRq() implements Pdu {

    public static final ReleaseRq INSTANCE = new ReleaseRq();

    @Override
    public PduType type() {
        return PduType.A_RELEASE_RQ;
    }

    @Override
    public long pduLength() {
        return 4;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(new byte[] {0x05, 0, 0, 0, 0, 4, 0, 0, 0, 0});
    }

    @Override
    public String toString() {
        return "A-RELEASE-RQ";
    }
}
