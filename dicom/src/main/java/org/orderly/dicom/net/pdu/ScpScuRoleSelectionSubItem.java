package org.orderly.dicom.net.pdu;

/**
 * SCP/SCU Role Selection Sub-Item, PS3.7 Annex D.3.3.4, Tables D.3-9 (RQ) and D.3-10 (AC).
 * <pre>
 * offset length field
 *   4      2    uid-length
 *   6      n    sop-class-uid
 * 6+n      1    scu-role: 1 = the requestor may act as SCU (RQ) / accepted (AC)
 * 7+n      1    scp-role: 1 = the requestor may act as SCP (RQ) / accepted (AC)
 * </pre>
 */
public record ScpScuRoleSelectionSubItem(String sopClassUid, boolean scuRole, boolean scpRole) implements UserSubItem {

    public static final int ITEM_TYPE = 0x54;

    public ScpScuRoleSelectionSubItem {
        Fields.requireUid(sopClassUid, "role selection SOP class UID");
    }

    @Override
    public int itemType() {
        return ITEM_TYPE;
    }

    @Override
    public byte[] encodeValue() {
        return new PduOutput(4 + sopClassUid.length()).u16(sopClassUid.length()).ascii(sopClassUid)
                .u8(scuRole ? 1 : 0).u8(scpRole ? 1 : 0).toByteArray();
    }

    static ScpScuRoleSelectionSubItem decode(PduInput in) throws InvalidPduException {
        int uidLength = in.u16();
        String uid = Fields.decodeUid(in, uidLength, "role selection SOP class UID");
        int scu = in.u8();
        int scp = in.u8();
        if (in.hasRemaining() || scu > 1 || scp > 1) {
            throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE,
                    "malformed SCP/SCU role selection sub-item for " + uid);
        }
        return new ScpScuRoleSelectionSubItem(uid, scu == 1, scp == 1);
    }
}
