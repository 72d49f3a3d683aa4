package org.orderly.dicom.net.pdu;

/**
 * Maximum Length Sub-Item, PS3.8 Annex D.1, Table D.1-1.
 * <pre>
 * offset length field
 *   4      4    maximum-length-received: the largest P-DATA-TF PDU-length the sender accepts; 0 = no limit
 * </pre>
 */
public record MaximumLengthSubItem(long maximumLengthReceived) implements UserSubItem {

    public static final int ITEM_TYPE = 0x51;

    public MaximumLengthSubItem {
        if (maximumLengthReceived < 0 || maximumLengthReceived > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("maximum length must be an unsigned 32-bit value");
        }
    }

    @Override
    public int itemType() {
        return ITEM_TYPE;
    }

    @Override
    public byte[] encodeValue() {
        return new PduOutput(4).u32(maximumLengthReceived).toByteArray();
    }

    static MaximumLengthSubItem decode(PduInput in) throws InvalidPduException {
        if (in.remaining() != 4) {
            throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE,
                    "maximum length sub-item length " + in.remaining() + " != 4 (PS3.8 Table D.1-1)");
        }
        return new MaximumLengthSubItem(in.u32());
    }
}
