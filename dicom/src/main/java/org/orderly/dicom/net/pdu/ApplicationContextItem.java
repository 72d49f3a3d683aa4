package org.orderly.dicom.net.pdu;

/**
 * Application Context Item, PS3.8 §9.3.2.1, Table 9-12 (same layout in the A-ASSOCIATE-AC, §9.3.3.1).
 * <pre>
 * offset length field
 *   0      1    item-type 10H
 *   1      1    reserved
 *   2      2    item-length
 *   4      n    application-context-name (a UID, PS3.8 Annex A.2)
 * </pre>
 */
public record ApplicationContextItem(String name) {

    public static final int ITEM_TYPE = 0x10;
    /** The DICOM Application Context Name, PS3.7 Annex A.2.1. */
    public static final String DICOM_APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";
    public static final ApplicationContextItem DICOM = new ApplicationContextItem(DICOM_APPLICATION_CONTEXT);

    public ApplicationContextItem {
        Fields.requireUid(name, "application context name");
    }

    void writeTo(PduOutput out) {
        out.u8(ITEM_TYPE).u8(0).u16(name.length()).ascii(name);
    }

    static ApplicationContextItem decode(PduInput value) throws InvalidPduException {
        return new ApplicationContextItem(Fields.decodeUid(value, value.remaining(), "application context name"));
    }
}
