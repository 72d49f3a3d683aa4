package org.orderly.dicom.net.pdu;

import java.util.ArrayList;
import java.util.List;

/**
 * Presentation Context Item of an A-ASSOCIATE-RQ, PS3.8 §9.3.2.2, Table 9-13.
 * <pre>
 * offset length field
 *   0      1    item-type 20H
 *   1      1    reserved
 *   2      2    item-length
 *   4      1    presentation-context-ID: odd integer 1..255
 *   5      3    reserved
 *   8      n    one Abstract Syntax Sub-Item (30H), then one or more Transfer Syntax Sub-Items (40H)
 * </pre>
 */
public record PresentationContextRqItem(int id, String abstractSyntax, List<String> transferSyntaxes) {

    public static final int ITEM_TYPE = 0x20;

    public PresentationContextRqItem {
        requireValidId(id);
        Fields.requireUid(abstractSyntax, "abstract syntax");
        transferSyntaxes = List.copyOf(transferSyntaxes);
        if (transferSyntaxes.isEmpty()) {
            throw new IllegalArgumentException("a presentation context proposes one or more transfer syntaxes");
        }
        transferSyntaxes.forEach(ts -> Fields.requireUid(ts, "transfer syntax"));
    }

    /** PS3.8 §9.3.2.2: presentation context IDs are odd integers between 1 and 255. */
    static void requireValidId(int id) {
        if (id < 1 || id > 255 || (id & 1) == 0) {
            throw new IllegalArgumentException("presentation context ID must be odd, 1..255: " + id);
        }
    }

    int valueLength() {
        int n = 4 + 4 + abstractSyntax.length();
        for (String ts : transferSyntaxes) {
            n += 4 + ts.length();
        }
        return n;
    }

    void writeTo(PduOutput out) {
        out.u8(ITEM_TYPE).u8(0).u16(valueLength()).u8(id).u8(0).u8(0).u8(0);
        new AbstractSyntaxSubItem(abstractSyntax).writeTo(out);
        for (String ts : transferSyntaxes) {
            new TransferSyntaxSubItem(ts).writeTo(out);
        }
    }

    static PresentationContextRqItem decode(PduInput in) throws InvalidPduException {
        int id = in.u8();
        if (id < 1 || (id & 1) == 0) {
            throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE,
                    "presentation context ID " + id + " is not odd 1..255 (PS3.8 §9.3.2.2)");
        }
        in.skip(3);
        String abstractSyntax = null;
        List<String> ts = new ArrayList<>();
        while (in.hasRemaining()) {
            int type = in.u8();
            in.skip(1);
            int len = in.u16();
            PduInput value = in.slice(len, "sub-item " + Integer.toHexString(type) + "H of presentation context " + id);
            if (type == AbstractSyntaxSubItem.ITEM_TYPE) {
                if (abstractSyntax != null) {
                    throw new InvalidPduException(Abort.Reason.UNEXPECTED_PDU_PARAMETER,
                            "presentation context " + id + " has more than one abstract syntax");
                }
                abstractSyntax = AbstractSyntaxSubItem.decode(value).name();
            } else if (type == TransferSyntaxSubItem.ITEM_TYPE) {
                ts.add(TransferSyntaxSubItem.decode(value).name());
            } else {
                throw new InvalidPduException(Abort.Reason.UNRECOGNIZED_PDU_PARAMETER,
                        "presentation context " + id + " has unknown sub-item type " + Integer.toHexString(type) + "H");
            }
        }
        if (abstractSyntax == null || ts.isEmpty()) {
            throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE,
                    "presentation context " + id + " needs one abstract syntax and one or more transfer syntaxes");
        }
        return new PresentationContextRqItem(id, abstractSyntax, ts);
    }
}
