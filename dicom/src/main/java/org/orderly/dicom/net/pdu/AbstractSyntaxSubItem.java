package org.orderly.dicom.net.pdu;

/**
 * Abstract Syntax Sub-Item, PS3.8 §9.3.2.2.1, Table 9-14.
 * <pre>
 * offset length field
 *   0      1    item-type 30H
 *   1      1    reserved
 *   2      2    item-length
 *   4      n    abstract-syntax-name (a SOP Class or Meta SOP Class UID)
 * </pre>
 */
public record AbstractSyntaxSubItem(String name) {

    public static final int ITEM_TYPE = 0x30;

    public AbstractSyntaxSubItem {
        Fields.requireUid(name, "abstract syntax name");
    }

    void writeTo(PduOutput out) {
        out.u8(ITEM_TYPE).u8(0).u16(name.length()).ascii(name);
    }

    static AbstractSyntaxSubItem decode(PduInput value) throws InvalidPduException {
        return new AbstractSyntaxSubItem(Fields.decodeUid(value, value.remaining(), "abstract syntax name"));
    }
}
