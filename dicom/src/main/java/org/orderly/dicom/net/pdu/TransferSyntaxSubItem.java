package org.orderly.dicom.net.pdu;

/**
 * Transfer Syntax Sub-Item, PS3.8 §9.3.2.2.2, Table 9-15 (and §9.3.3.2.1, Table 9-19 in the A-ASSOCIATE-AC).
 * <pre>
 * offset length field
 *   0      1    item-type 40H
 *   1      1    reserved
 *   2      2    item-length
 *   4      n    transfer-syntax-name (a Transfer Syntax UID)
 * </pre>
 */
public record TransferSyntaxSubItem(String name) {

    public static final int ITEM_TYPE = 0x40;

    public TransferSyntaxSubItem {
        Fields.requireUid(name, "transfer syntax name");
    }

    void writeTo(PduOutput out) {
        out.u8(ITEM_TYPE).u8(0).u16(name.length()).ascii(name);
    }

    static TransferSyntaxSubItem decode(PduInput value) throws InvalidPduException {
        return new TransferSyntaxSubItem(Fields.decodeUid(value, value.remaining(), "transfer syntax name"));
    }
}
