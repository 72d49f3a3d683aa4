package org.orderly.dicom.net.ul;

/**
 * Actions of the DICOM Upper Layer protocol machine with the standard's wording and next state:
 * association establishment PS3.8 Table 9-6, data transfer Table 9-7, release Table 9-8, abort Table 9-9.
 * Two actions have a conditional next state: AE-6 (Sta3 if the A-ASSOCIATE-RQ is acceptable by the
 * service-provider, else Sta13) and AR-8 (Sta9 on the association-requestor, else Sta10).
 */
public enum Action {
    AE_1("Issue TRANSPORT CONNECT request primitive to local transport service", State.STA4),
    AE_2("Send A-ASSOCIATE-RQ-PDU", State.STA5),
    AE_3("Issue A-ASSOCIATE confirmation (accept) primitive", State.STA6),
    AE_4("Issue A-ASSOCIATE confirmation (reject) primitive and close transport connection", State.STA1),
    AE_5("Issue Transport connection response primitive; start ARTIM timer", State.STA2),
    AE_6("Stop ARTIM timer and if A-ASSOCIATE-RQ acceptable by service-provider: issue A-ASSOCIATE indication"
            + " primitive (next state Sta3); otherwise: issue A-ASSOCIATE-RJ-PDU and start ARTIM timer"
            + " (next state Sta13)", State.STA3, State.STA13),
    AE_7("Send A-ASSOCIATE-AC PDU", State.STA6),
    AE_8("Send A-ASSOCIATE-RJ PDU and start ARTIM timer", State.STA13),
    DT_1("Send P-DATA-TF PDU", State.STA6),
    DT_2("Send P-DATA indication primitive", State.STA6),
    AR_1("Send A-RELEASE-RQ PDU", State.STA7),
    AR_2("Issue A-RELEASE indication primitive", State.STA8),
    AR_3("Issue A-RELEASE confirmation primitive, and close transport connection", State.STA1),
    AR_4("Issue A-RELEASE-RP PDU and start ARTIM timer", State.STA13),
    AR_5("Stop ARTIM timer", State.STA1),
    AR_6("Issue P-DATA indication", State.STA7),
    AR_7("Issue P-DATA-TF PDU", State.STA8),
    AR_8("Issue A-RELEASE indication (release collision): if association-requestor, next state is Sta9,"
            + " if not next state is Sta10", State.STA9, State.STA10),
    AR_9("Send A-RELEASE-RP PDU", State.STA11),
    AR_10("Issue A-RELEASE confirmation primitive", State.STA12),
    AA_1("Send A-ABORT PDU (service-user source) and start (or restart if already started) ARTIM timer",
            State.STA13),
    AA_2("Stop ARTIM timer if running. Close transport connection", State.STA1),
    AA_3("If (service-user initiated abort): issue A-ABORT indication and close transport connection;"
            + " otherwise (service-provider initiated abort): issue A-P-ABORT indication and close transport"
            + " connection", State.STA1),
    AA_4("Issue A-P-ABORT indication primitive", State.STA1),
    AA_5("Stop ARTIM timer", State.STA1),
    AA_6("Ignore PDU", State.STA13),
    AA_7("Send A-ABORT PDU", State.STA13),
    AA_8("Send A-ABORT PDU (service-provider source), issue an A-P-ABORT indication, and start ARTIM timer",
            State.STA13);

    private final String description;
    private final State next;
    private final State otherwise;

    Action(String description, State next) {
        this(description, next, null);
    }

    Action(String description, State next, State otherwise) {
        this.description = description;
        this.next = next;
        this.otherwise = otherwise;
    }

    /** The standard's wording from PS3.8 Tables 9-6..9-9. */
    public String description() {
        return description;
    }

    /** True for AE-6 and AR-8, whose next state depends on a condition. */
    public boolean isConditional() {
        return otherwise != null;
    }

    /**
     * The next state.
     *
     * @param condition for AE-6: the A-ASSOCIATE-RQ is acceptable by the service-provider; for AR-8: this side is
     *                  the association-requestor; ignored by the other actions
     */
    public State nextState(boolean condition) {
        return otherwise == null || condition ? next : otherwise;
    }

    @Override
    public String toString() {
        return name().replace('_', '-');
    }
}
