package org.orderly.dicom.net.pdu;

import java.util.ArrayList;
import java.util.List;

/**
 * SOP Class Common Extended Negotiation Sub-Item, PS3.7 Annex D.3.3.6, Table D.3-12 (sent in the RQ only).
 * <pre>
 * offset length field
 *   1      1    sub-item-version = 0
 *   4      2    sop-class-uid-length
 *   6      n    sop-class-uid
 * 6+n      2    service-class-uid-length
 * 8+n      m    service-class-uid
 * 8+n+m    2    related-general-sop-class-identification-length
 * 10+n+m   k    related general SOP class identifications: each a 2-byte length followed by a UID
 * </pre>
 */
public record SopClassCommonExtendedNegotiationSubItem(String sopClassUid, String serviceClassUid,
        List<String> relatedGeneralSopClassUids) implements UserSubItem {

    public static final int ITEM_TYPE = 0x57;

    public SopClassCommonExtendedNegotiationSubItem {
        Fields.requireUid(sopClassUid, "SOP class UID");
        Fields.requireUid(serviceClassUid, "service class UID");
        relatedGeneralSopClassUids = List.copyOf(relatedGeneralSopClassUids);
        relatedGeneralSopClassUids.forEach(u -> Fields.requireUid(u, "related general SOP class UID"));
    }

    @Override
    public int itemType() {
        return ITEM_TYPE;
    }

    @Override
    public byte[] encodeValue() {
        PduOutput related = new PduOutput(64);
        for (String u : relatedGeneralSopClassUids) {
            related.u16(u.length()).ascii(u);
        }
        return new PduOutput(128).u16(sopClassUid.length()).ascii(sopClassUid).u16(serviceClassUid.length())
                .ascii(serviceClassUid).u16(related.size()).bytes(related.toByteArray()).toByteArray();
    }

    static SopClassCommonExtendedNegotiationSubItem decode(PduInput in) throws InvalidPduException {
        String sop = Fields.decodeUid(in, in.u16(), "common extended negotiation SOP class UID");
        String service = Fields.decodeUid(in, in.u16(), "common extended negotiation service class UID");
        List<String> related = new ArrayList<>();
        if (in.hasRemaining()) {
            PduInput list = in.slice(in.u16(), "related general SOP class identification");
            while (list.hasRemaining()) {
                related.add(Fields.decodeUid(list, list.u16(), "related general SOP class UID"));
            }
        }
        if (in.hasRemaining()) {
            throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE,
                    "common extended negotiation sub-item lengths do not add up");
        }
        return new SopClassCommonExtendedNegotiationSubItem(sop, service, related);
    }
}
