package org.orderly.dicom.net.pdu;

/**
 * The seven PDU types of the DICOM Upper Layer protocol with their wire codes, PS3.8 §9.3.1, Table 9-11.
 */
public enum PduType {
    A_ASSOCIATE_RQ(0x01, "A-ASSOCIATE-RQ"),
    A_ASSOCIATE_AC(0x02, "A-ASSOCIATE-AC"),
    A_ASSOCIATE_RJ(0x03, "A-ASSOCIATE-RJ"),
    P_DATA_TF(0x04, "P-DATA-TF"),
    A_RELEASE_RQ(0x05, "A-RELEASE-RQ"),
    A_RELEASE_RP(0x06, "A-RELEASE-RP"),
    A_ABORT(0x07, "A-ABORT");

    private final int code;
    private final String standardName;

    PduType(int code, String standardName) {
        this.code = code;
        this.standardName = standardName;
    }

    /** The PDU-type byte on the wire. */
    public int code() {
        return code;
    }

    /** The name used in PS3.8, e.g. {@code A-ASSOCIATE-RQ}. */
    public String standardName() {
        return standardName;
    }

    /** The type for a wire code, or {@code null} if the code is not a PS3.8 PDU type (an Evt19 condition). */
    public static PduType ofCode(int code) {
        for (PduType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return standardName;
    }
}
