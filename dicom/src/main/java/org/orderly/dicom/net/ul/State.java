package org.orderly.dicom.net.ul;

/** States of the DICOM Upper Layer protocol machine, PS3.8 §9.2.1, Table 9-1. */
public enum State {
    STA1("Idle"),
    STA2("Transport connection open (Awaiting A-ASSOCIATE-RQ PDU)"),
    STA3("Awaiting local A-ASSOCIATE response primitive (from local user)"),
    STA4("Awaiting transport connection opening to complete (from local transport service)"),
    STA5("Awaiting A-ASSOCIATE-AC or A-ASSOCIATE-RJ PDU"),
    STA6("Association established and ready for data transfer"),
    STA7("Awaiting A-RELEASE-RP PDU"),
    STA8("Awaiting local A-RELEASE response primitive (from local user)"),
    STA9("Release collision requestor side; awaiting A-RELEASE response (from local user)"),
    STA10("Release collision acceptor side; awaiting A-RELEASE-RP PDU"),
    STA11("Release collision requestor side; awaiting A-RELEASE-RP PDU"),
    STA12("Release collision acceptor side; awaiting A-RELEASE response primitive (from local user)"),
    STA13("Awaiting Transport Connection Close Indication (Association no longer exists)");

    private final String description;

    State(String description) {
        this.description = description;
    }

    /** The standard's wording from PS3.8 Table 9-1. */
    public String description() {
        return description;
    }

    /** The number used by the standard (1..13). */
    public int number() {
        return ordinal() + 1;
    }

    @Override
    public String toString() {
        return "Sta" + number();
    }
}
