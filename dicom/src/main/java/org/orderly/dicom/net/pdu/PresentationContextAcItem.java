package org.orderly.dicom.net.pdu;

import java.util.Objects;

/**
 * Presentation Context Item of an A-ASSOCIATE-AC, PS3.8 §9.3.3.2, Table 9-18.
 * <pre>
 * offset length field
 *   0      1    item-type 21H
 *   1      1    reserved
 *   2      2    item-length
 *   4      1    presentation-context-ID (as proposed)
 *   5      1    reserved
 *   6      1    result/reason (see {@link Result})
 *   7      1    reserved
 *   8      n    one Transfer Syntax Sub-Item (40H); not significant unless result = 0
 * </pre>
 *
 * @param transferSyntax the accepted transfer syntax; {@code null} when the context was not accepted
 */
public record PresentationContextAcItem(int id, Result result, String transferSyntax) {

    public static final int ITEM_TYPE = 0x21;

    /** Result/Reason field, PS3.8 Table 9-18. */
    public enum Result {
        /** 0 - acceptance. */
        ACCEPTANCE(0, "acceptance"),
        /** 1 - user-rejection. */
        USER_REJECTION(1, "user-rejection"),
        /** 2 - no-reason (provider rejection). */
        NO_REASON(2, "no-reason (provider rejection)"),
        /** 3 - abstract-syntax-not-supported (provider rejection). */
        ABSTRACT_SYNTAX_NOT_SUPPORTED(3, "abstract-syntax-not-supported (provider rejection)"),
        /** 4 - transfer-syntaxes-not-supported (provider rejection). */
        TRANSFER_SYNTAXES_NOT_SUPPORTED(4, "transfer-syntaxes-not-supported (provider rejection)");

        private final int code;
        private final String standardName;

        Result(int code, String standardName) {
            this.code = code;
            this.standardName = standardName;
        }

        public int code() {
            return code;
        }

        public String standardName() {
            return standardName;
        }
    }

    public PresentationContextAcItem {
        PresentationContextRqItem.requireValidId(id);
        Objects.requireNonNull(result, "result");
        if (result == Result.ACCEPTANCE) {
            Fields.requireUid(transferSyntax, "accepted transfer syntax");
        } else {
            transferSyntax = null;
        }
    }

    public boolean isAccepted() {
        return result == Result.ACCEPTANCE;
    }

    int valueLength() {
        return 4 + (transferSyntax != null ? 4 + transferSyntax.length() : 0);
    }

    void writeTo(PduOutput out) {
        out.u8(ITEM_TYPE).u8(0).u16(valueLength()).u8(id).u8(0).u8(result.code).u8(0);
        if (transferSyntax != null) {
            new TransferSyntaxSubItem(transferSyntax).writeTo(out);
        }
    }

    static PresentationContextAcItem decode(PduInput in) throws InvalidPduException {
        int id = in.u8();
        if (id < 1 || (id & 1) == 0) {
            throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE,
                    "presentation context ID " + id + " is not odd 1..255 (PS3.8 §9.3.3.2)");
        }
        in.skip(1);
        int r = in.u8();
        in.skip(1);
        Result result = null;
        for (Result x : Result.values()) {
            if (x.code == r) {
                result = x;
            }
        }
        if (result == null) {
            throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE,
                    "presentation context " + id + " result/reason " + r + " undefined (PS3.8 Table 9-18)");
        }
        String ts = null;
        while (in.hasRemaining()) {
            int type = in.u8();
            in.skip(1);
            int len = in.u16();
            PduInput value = in.slice(len, "sub-item of presentation context " + id);
            if (type != TransferSyntaxSubItem.ITEM_TYPE) {
                throw new InvalidPduException(Abort.Reason.UNRECOGNIZED_PDU_PARAMETER,
                        "presentation context " + id + " has unknown sub-item type " + Integer.toHexString(type) + "H");
            }
            // PS3.8 §9.3.3.2: the transfer syntax is not significant, and not tested, unless the result is acceptance
            if (result == Result.ACCEPTANCE) {
                if (ts != null) {
                    throw new InvalidPduException(Abort.Reason.UNEXPECTED_PDU_PARAMETER,
                            "presentation context " + id + " accepted with more than one transfer syntax");
                }
                ts = TransferSyntaxSubItem.decode(value).name();
            }
        }
        if (result == Result.ACCEPTANCE && ts == null) {
            throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE,
                    "presentation context " + id + " accepted without a transfer syntax");
        }
        return new PresentationContextAcItem(id, result, ts);
    }
}
