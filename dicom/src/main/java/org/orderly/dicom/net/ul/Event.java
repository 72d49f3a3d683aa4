package org.orderly.dicom.net.ul;

/** Events of the DICOM Upper Layer protocol machine, PS3.8 §9.2.2, Table 9-10 (left column). */
public enum Event {
    EVT1("A-ASSOCIATE request (local user)"),
    EVT2("Transport connect confirmation (local transport service)"),
    EVT3("A-ASSOCIATE-AC PDU (received on transport connection)"),
    EVT4("A-ASSOCIATE-RJ PDU (received on transport connection)"),
    EVT5("Transport connection indication (local transport service)"),
    EVT6("A-ASSOCIATE-RQ PDU (received on transport connection)"),
    EVT7("A-ASSOCIATE response primitive (accept)"),
    EVT8("A-ASSOCIATE response primitive (reject)"),
    EVT9("P-DATA request primitive"),
    EVT10("P-DATA-TF PDU"),
    EVT11("A-RELEASE request primitive"),
    EVT12("A-RELEASE-RQ PDU (received on open transport connection)"),
    EVT13("A-RELEASE-RP PDU (received on transport connection)"),
    EVT14("A-RELEASE response primitive"),
    EVT15("A-ABORT request primitive"),
    EVT16("A-ABORT PDU (received on open transport connection)"),
    EVT17("Transport connection closed indication (local transport service)"),
    EVT18("ARTIM timer expired (Association reject/release timer)"),
    EVT19("Unrecognized or invalid PDU received");

    private final String description;

    Event(String description) {
        this.description = description;
    }

    /** The standard's wording from PS3.8 Table 9-10. */
    public String description() {
        return description;
    }

    public int number() {
        return ordinal() + 1;
    }

    /** True for events that are primitives issued by the local user (an empty cell means a misuse of the API). */
    public boolean isLocalPrimitive() {
        return this == EVT1 || this == EVT7 || this == EVT8 || this == EVT9 || this == EVT11 || this == EVT14
                || this == EVT15;
    }

    @Override
    public String toString() {
        return "Evt" + number();
    }
}
