package org.orderly.mpps;

import java.util.Optional;
import java.util.Set;
import org.orderly.mwl.model.SpsStatus;

/**
 * THE state table of Orderly's MPPS workflow: the one place where these rules live (docs/mpps.md shows the same
 * table for readers).
 *
 * <pre>
 *  MPPS status (0040,0252) | set by             | SPS status (0040,0020) | ORC-1 | ORC-5 | OBR-25 (ORU^R01) | next
 *  ------------------------+--------------------+------------------------+-------+-------+------------------+------------------------
 *  IN PROGRESS             | N-CREATE only      | STARTED                | SC    | IP    | I                | IN PROGRESS, COMPLETED, DISCONTINUED
 *  COMPLETED               | N-SET only (final) | COMPLETED              | SC    | CM    | R                | none (0110)
 *  DISCONTINUED            | N-SET only (final) | DISCONTINUED           | SC    | DC    | X                | none (0110)
 * </pre>
 *
 * <ul>
 *   <li>MPPS: PS3.4 §F.7.2.1 (N-CREATE: the SCU shall set the status to IN PROGRESS), §F.7.2.2 (N-SET: COMPLETED
 *       and DISCONTINUED are final; once there, the SCP refuses any further N-SET with 0110 "Performed Procedure
 *       Step Object may no longer be updated"), PS3.3 §C.4.14, Table C.4-14 (the three Enumerated Values).</li>
 *   <li>SPS status: Orderly's worklist terms ({@link SpsStatus}); STARTED is the PS3.3 §C.4.10 Defined Term,
 *       COMPLETED / DISCONTINUED are Orderly's extension (Defined Terms may be extended, PS3.3 §5.4).</li>
 *   <li>ORC-1 = SC "status changed" (HL7 Table 0119), ORC-5 Order Status (HL7 Table 0038): IP "in process,
 *       unspecified", CM "order is completed", DC "order was discontinued" - the values IHE RAD TF-2 uses for the
 *       DSS/OF's procedure status to the Order Placer.</li>
 *   <li>OBR-25 Result Status (HL7 Table 0123), only in ORU^R01: I "no results available; procedure incomplete",
 *       R "results stored; not yet verified" (the images exist, no report yet), X "no results available; order
 *       canceled". This column is Orderly's choice; IHE defines no MPPS-to-ORU mapping.</li>
 * </ul>
 */
public enum MppsStatus {
    //           DICOM term       SPS status               ORC-1  ORC-5  OBR-25 final
    IN_PROGRESS("IN PROGRESS",    SpsStatus.STARTED,       "SC",  "IP",  "I",   false),
    COMPLETED("COMPLETED",        SpsStatus.COMPLETED,     "SC",  "CM",  "R",   true),
    DISCONTINUED("DISCONTINUED",  SpsStatus.DISCONTINUED,  "SC",  "DC",  "X",   true);

    private final String term;
    private final SpsStatus spsStatus;
    private final String orderControl;
    private final String orderStatus;
    private final String resultStatus;
    private final boolean isFinal;

    MppsStatus(String term, SpsStatus spsStatus, String orderControl, String orderStatus, String resultStatus,
            boolean isFinal) {
        this.term = term;
        this.spsStatus = spsStatus;
        this.orderControl = orderControl;
        this.orderStatus = orderStatus;
        this.resultStatus = resultStatus;
        this.isFinal = isFinal;
    }

    /** The Enumerated Value as in (0040,0252), e.g. {@code IN PROGRESS}. */
    public String term() {
        return term;
    }

    /** The worklist step status this MPPS status gives the steps it performs. */
    public SpsStatus spsStatus() {
        return spsStatus;
    }

    /** HL7 ORC-1 Order Control of the status message. */
    public String orderControl() {
        return orderControl;
    }

    /** HL7 ORC-5 Order Status of the status message. */
    public String orderStatus() {
        return orderStatus;
    }

    /** HL7 OBR-25 Result Status, used by ORU^R01. */
    public String resultStatus() {
        return resultStatus;
    }

    /** COMPLETED and DISCONTINUED: no further change (PS3.4 §F.7.2.2). */
    public boolean isFinal() {
        return isFinal;
    }

    /** The statuses an N-SET may move this one to (the "next" column). */
    public Set<MppsStatus> next() {
        return isFinal ? Set.of() : Set.of(IN_PROGRESS, COMPLETED, DISCONTINUED);
    }

    /** The status for a (0040,0252) value, exact Enumerated Value (trailing padding ignored). */
    public static Optional<MppsStatus> of(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip(); // Enumerated Values are case-sensitive (PS3.5 §6.2, CS)
        for (MppsStatus s : values()) {
            if (s.term.equals(v)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
