package org.orderly.dicom.net.pdu;

import java.nio.charset.StandardCharsets;

/**
 * Implementation Class UID Sub-Item, PS3.7 Annex D.3.3.2, Table D.3-1.
 * <pre>
 * offset length field
 *   4      n    implementation-class-uid
 * </pre>
 */
public record ImplementationClassUidSubItem(String uid) implements UserSubItem {

    public static final int ITEM_TYPE = 0x52;

    public ImplementationClassUidSubItem {
        Fields.requireUid(uid, "implementation class UID");
    }

    @Override
    public int itemType() {
        return ITEM_TYPE;
    }

    @Override
    public byte[] encodeValue() {
        return uid.getBytes(StandardCharsets.US_ASCII);
    }

    static ImplementationClassUidSubItem decode(PduInput in) throws InvalidPduException {
        return new ImplementationClassUidSubItem(Fields.decodeUid(in, in.remaining(), "implementation class UID"));
    }
}
