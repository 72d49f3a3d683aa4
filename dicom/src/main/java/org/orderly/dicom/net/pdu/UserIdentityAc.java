package org.orderly.dicom.net.pdu;

import java.util.Arrays;

/**
 * User Identity Sub-Item of the A-ASSOCIATE-AC, PS3.7 Annex D.3.3.7.2, Table D.3-15.
 * <pre>
 * offset length field
 *   4      2    server-response-length
 *   6      n    server-response
 * </pre>
 */
public record UserIdentityAc(byte[] serverResponse) implements UserSubItem {

    public static final int ITEM_TYPE = 0x59;

    public UserIdentityAc {
        serverResponse = serverResponse.clone();
        if (serverResponse.length > 0xFFFF) {
            throw new IllegalArgumentException("server response is at most 65535 bytes");
        }
    }

    @Override
    public byte[] serverResponse() {
        return serverResponse.clone();
    }

    @Override
    public int itemType() {
        return ITEM_TYPE;
    }

    @Override
    public byte[] encodeValue() {
        return new PduOutput(2 + serverResponse.length).u16(serverResponse.length).bytes(serverResponse).toByteArray();
    }

    static UserIdentityAc decode(PduInput in) throws InvalidPduException {
        byte[] response = in.bytes(in.u16());
        if (in.hasRemaining()) {
            throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE,
                    "user identity (AC) sub-item lengths do not add up");
        }
        return new UserIdentityAc(response);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserIdentityAc u && Arrays.equals(u.serverResponse, serverResponse);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(serverResponse);
    }

    @Override
    public String toString() {
        return "UserIdentityAc[" + serverResponse.length + " bytes]";
    }
}
