package org.orderly.dicom.net.pdu;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A-RELEASE-RP PDU, PS3.8 §9.3.7, Table 9-25.
 * <pre>
 * offset length field
 *   0      1    PDU-type 06H
 *   1      1    reserved
 *   2      4    PDU-length = 00000004H
 *   6      4    reserved, sent as 00000000H, not tested
 * </pre>
 */
public record ReleaseRp() implements Pdu {

    public static final ReleaseRp INSTANCE = new ReleaseRp();

    @Override
    public PduType type() {
        return PduType.A_RELEASE_RP;
    }

    @Override
    public long pduLength() {
        return 4;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(new byte[] {0x06, 0, 0, 0, 0, 4, 0, 0, 0, 0});
    }

    @Override
    public String toString() {
        return "A-RELEASE-RP";
    }
}
