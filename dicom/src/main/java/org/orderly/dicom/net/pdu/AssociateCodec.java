package org.orderly.dicom.net.pdu;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The layout shared by A-ASSOCIATE-RQ (PS3.8 §9.3.2, Table 9-11) and A-ASSOCIATE-AC (PS3.8 §9.3.3, Table 9-17).
 * <pre>
 * offset length field
 *   0      1    PDU-type 01H (RQ) / 02H (AC)
 *   1      1    reserved
 *   2      4    PDU-length
 *   6      2    protocol-version: bit 0 set = version 1
 *   8      2    reserved
 *  10     16    called-AE-title (space padded; in the AC sent as received, not tested)
 *  26     16    calling-AE-title (space padded; in the AC sent as received, not tested)
 *  42     32    reserved
 *  74      n    variable items: one Application Context (10H), one or more Presentation Context (20H RQ / 21H AC),
 *               one User Information (50H)
 * </pre>
 */
final class AssociateCodec {

    /** Bytes after the PDU-length field and before the variable items. */
    static final int FIXED_PART = 68;

    private AssociateCodec() {
    }

    static byte[] encode(int pduType, int protocolVersion, String calledAe, String callingAe,
            ApplicationContextItem ctx, List<?> presentationContexts, UserInformationItem userInfo) {
        PduOutput items = new PduOutput(512);
        ctx.writeTo(items);
        for (Object pc : presentationContexts) {
            if (pc instanceof PresentationContextRqItem rq) {
                rq.writeTo(items);
            } else {
                ((PresentationContextAcItem) pc).writeTo(items);
            }
        }
        userInfo.writeTo(items);
        PduOutput out = new PduOutput(6 + FIXED_PART + items.size());
        out.u8(pduType).u8(0).u32(FIXED_PART + items.size()).u16(protocolVersion).u16(0)
                .bytes(Fields.aeTitleField(calledAe)).bytes(Fields.aeTitleField(callingAe)).bytes(new byte[32])
                .bytes(items.toByteArray());
        return out.toByteArray();
    }

    /** The decoded fixed and variable parts; presentation contexts are RQ or AC items depending on the PDU. */
    record Parts(int protocolVersion, String calledAe, String callingAe, ApplicationContextItem applicationContext,
            List<Object> presentationContexts, UserInformationItem userInformation) {
    }

    static Parts decode(PduInput in, boolean request) throws InvalidPduException {
        String pdu = request ? "A-ASSOCIATE-RQ" : "A-ASSOCIATE-AC";
        if (in.remaining() < FIXED_PART) {
            throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE,
                    pdu + " length " + in.remaining() + " shorter than its fixed fields (" + FIXED_PART + ")");
        }
        int version = in.u16();
        in.skip(2);
        String called = Fields.decodeAeTitle(in, "called AE title");
        String calling = Fields.decodeAeTitle(in, "calling AE title");
        in.skip(32);
        ApplicationContextItem ctx = null;
        UserInformationItem user = null;
        List<Object> pcs = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        int pcType = request ? PresentationContextRqItem.ITEM_TYPE : PresentationContextAcItem.ITEM_TYPE;
        while (in.hasRemaining()) {
            int type = in.u8();
            in.skip(1);
            int len = in.u16();
            PduInput value = in.slice(len, pdu + " item " + Integer.toHexString(type) + "H");
            if (type == ApplicationContextItem.ITEM_TYPE) {
                if (ctx != null) {
                    throw unexpected(pdu + " has more than one application context item");
                }
                ctx = ApplicationContextItem.decode(value);
            } else if (type == pcType) {
                Object pc = request ? PresentationContextRqItem.decode(value) : PresentationContextAcItem.decode(value);
                int id = pc instanceof PresentationContextRqItem rq ? rq.id() : ((PresentationContextAcItem) pc).id();
                if (!ids.add(id)) {
                    throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE,
                            pdu + " repeats presentation context ID " + id);
                }
                pcs.add(pc);
            } else if (type == UserInformationItem.ITEM_TYPE) {
                if (user != null) {
                    throw unexpected(pdu + " has more than one user information item");
                }
                user = UserInformationItem.decode(value);
            } else {
                throw new InvalidPduException(Abort.Reason.UNRECOGNIZED_PDU_PARAMETER,
                        pdu + " has unknown item type " + Integer.toHexString(type) + "H");
            }
        }
        if (ctx == null || pcs.isEmpty() || user == null) {
            throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE, pdu
                    + " needs one application context, one or more presentation contexts and one user information"
                    + " item (PS3.8 §9.3.2)");
        }
        return new Parts(version, called, calling, ctx, pcs, user);
    }

    private static InvalidPduException unexpected(String msg) {
        return new InvalidPduException(Abort.Reason.UNEXPECTED_PDU_PARAMETER, msg);
    }
}
