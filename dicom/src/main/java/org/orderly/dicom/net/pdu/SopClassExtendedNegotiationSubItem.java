package org.orderly.dicom.net.pdu;

/**
 * SOP Class Extended Negotiation Sub-Item, PS3.7 Annex D.3.3.5, Table D.3-11.
 * <pre>
 * offset length field
 *   4      2    sop-class-uid-length
 *   6      n    sop-class-uid
 * 6+n      m    service-class-application-information (rest of the item, defined by PS3.4)
 * </pre>
 */
public record SopClassExtendedNegotiationSubItem(String sopClassUid, byte[] applicationInformation)
        implements UserSubItem {

    public static final int ITEM_TYPE = 0x56;

    public SopClassExtendedNegotiationSubItem {
        Fields.requireUid(sopClassUid, "extended negotiation SOP class UID");
        applicationInformation = applicationInformation.clone();
    }

    @Override
    public byte[] applicationInformation() {
        return applicationInformation.clone();
    }

    @Override
    public int itemType() {
        return ITEM_TYPE;
    }

    @Override
    public byte[] encodeValue() {
        return new PduOutput(2 + sopClassUid.length() + applicationInformation.length).u16(sopClassUid.length())
                .ascii(sopClassUid).bytes(applicationInformation).toByteArray();
    }

    static SopClassExtendedNegotiationSubItem decode(PduInput in) throws InvalidPduException {
        int uidLength = in.u16();
        String uid = Fields.decodeUid(in, uidLength, "extended negotiation SOP class UID");
        return new SopClassExtendedNegotiationSubItem(uid, in.bytes(in.remaining()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SopClassExtendedNegotiationSubItem s && s.sopClassUid.equals(sopClassUid)
                && java.util.Arrays.equals(s.applicationInformation, applicationInformation);
    }

    @Override
    public int hashCode() {
        return sopClassUid.hashCode() * 31 + java.util.Arrays.hashCode(applicationInformation);
    }

    @Override
    public String toString() {
        return "SopClassExtendedNegotiationSubItem[" + sopClassUid + ", " + applicationInformation.length + " bytes]";
    }
}
