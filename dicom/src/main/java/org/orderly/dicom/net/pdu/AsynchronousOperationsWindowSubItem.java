package org.orderly.dicom.net.pdu;

/**
 * Asynchronous Operations Window Sub-Item, PS3.7 Annex D.3.3.3, Table D.3-7.
 * <pre>
 * offset length field
 *   4      2    maximum-number-operations-invoked (0 = unlimited)
 *   6      2    maximum-number-operations-performed (0 = unlimited)
 * </pre>
 */
public record AsynchronousOperationsWindowSubItem(int maxOperationsInvoked, int maxOperationsPerformed)
        implements UserSubItem {

    public static final int ITEM_TYPE = 0x53;

    public AsynchronousOperationsWindowSubItem {
        if (maxOperationsInvoked < 0 || maxOperationsInvoked > 0xFFFF || maxOperationsPerformed < 0
                || maxOperationsPerformed > 0xFFFF) {
            throw new IllegalArgumentException("operation counts are unsigned 16-bit values");
        }
    }

    @Override
    public int itemType() {
        return ITEM_TYPE;
    }

    @Override
    public byte[] encodeValue() {
        return new PduOutput(4).u16(maxOperationsInvoked).u16(maxOperationsPerformed).toByteArray();
    }

    static AsynchronousOperationsWindowSubItem decode(PduInput in) throws InvalidPduException {
        if (in.remaining() != 4) {
            throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE,
                    "asynchronous operations window sub-item length " + in.remaining() + " != 4");
        }
        return new AsynchronousOperationsWindowSubItem(in.u16(), in.u16());
    }
}
