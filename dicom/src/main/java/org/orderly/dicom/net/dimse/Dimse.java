package org.orderly.dicom.net.dimse;

import java.util.List;
import java.util.Optional;

import org.orderly.dicom.data.Tag;

/**
 * The DIMSE messages (PS3.7 §9.3 for DIMSE-C, §10.3 for DIMSE-N): the Command Field (0000,0100) value of each, the
 * element that carries its SOP Class / SOP Instance UID (Affected or Requested), whether a data set is required
 * ({@code TRUE}), forbidden ({@code FALSE}) or optional ({@code null}), and the elements the standard's table marks
 * mandatory (M) for it. Command Group Length (0000,0000) and Command Data Set Type (0000,0800) are mandatory for
 * every message and not repeated in the lists.
 */
public enum Dimse {

    /** PS3.7 §9.3.1.1, Table 9.3-1. */
    C_STORE_RQ(0x0001, Tag.AffectedSOPClassUID, Tag.AffectedSOPInstanceUID, Boolean.TRUE,
            Tag.AffectedSOPClassUID, Tag.CommandField, Tag.MessageID, Tag.Priority, Tag.AffectedSOPInstanceUID),
    /** PS3.7 §9.3.1.2, Table 9.3-2. */
    C_STORE_RSP(0x8001, Tag.AffectedSOPClassUID, Tag.AffectedSOPInstanceUID, Boolean.FALSE,
            Tag.CommandField, Tag.MessageIDBeingRespondedTo, Tag.Status),
    /** PS3.7 §9.3.3.1, Table 9.3-6. */
    C_GET_RQ(0x0010, Tag.AffectedSOPClassUID, 0, Boolean.TRUE,
            Tag.AffectedSOPClassUID, Tag.CommandField, Tag.MessageID, Tag.Priority),
    /** PS3.7 §9.3.3.2, Table 9.3-7. */
    C_GET_RSP(0x8010, Tag.AffectedSOPClassUID, 0, null,
            Tag.CommandField, Tag.MessageIDBeingRespondedTo, Tag.Status),
    /** PS3.7 §9.3.2.1, Table 9.3-3. */
    C_FIND_RQ(0x0020, Tag.AffectedSOPClassUID, 0, Boolean.TRUE,
            Tag.AffectedSOPClassUID, Tag.CommandField, Tag.MessageID, Tag.Priority),
    /** PS3.7 §9.3.2.2, Table 9.3-4: a Pending response carries an Identifier, the final one none. */
    C_FIND_RSP(0x8020, Tag.AffectedSOPClassUID, 0, null,
            Tag.CommandField, Tag.MessageIDBeingRespondedTo, Tag.Status),
    /** PS3.7 §9.3.4.1, Table 9.3-9. */
    C_MOVE_RQ(0x0021, Tag.AffectedSOPClassUID, 0, Boolean.TRUE,
            Tag.AffectedSOPClassUID, Tag.CommandField, Tag.MessageID, Tag.Priority, Tag.MoveDestination),
    /** PS3.7 §9.3.4.2, Table 9.3-10. */
    C_MOVE_RSP(0x8021, Tag.AffectedSOPClassUID, 0, null,
            Tag.CommandField, Tag.MessageIDBeingRespondedTo, Tag.Status),
    /** PS3.7 §9.3.5.1, Table 9.3-12. */
    C_ECHO_RQ(0x0030, Tag.AffectedSOPClassUID, 0, Boolean.FALSE,
            Tag.AffectedSOPClassUID, Tag.CommandField, Tag.MessageID),
    /** PS3.7 §9.3.5.2, Table 9.3-13. */
    C_ECHO_RSP(0x8030, Tag.AffectedSOPClassUID, 0, Boolean.FALSE,
            Tag.CommandField, Tag.MessageIDBeingRespondedTo, Tag.Status),
    /** PS3.7 §10.3.1.1, Table 10.3-1. */
    N_EVENT_REPORT_RQ(0x0100, Tag.AffectedSOPClassUID, Tag.AffectedSOPInstanceUID, null,
            Tag.AffectedSOPClassUID, Tag.CommandField, Tag.MessageID, Tag.AffectedSOPInstanceUID, Tag.EventTypeID),
    /** PS3.7 §10.3.1.2, Table 10.3-2. */
    N_EVENT_REPORT_RSP(0x8100, Tag.AffectedSOPClassUID, Tag.AffectedSOPInstanceUID, null,
            Tag.CommandField, Tag.MessageIDBeingRespondedTo, Tag.Status),
    /** PS3.7 §10.3.2.1, Table 10.3-3. */
    N_GET_RQ(0x0110, Tag.RequestedSOPClassUID, Tag.RequestedSOPInstanceUID, Boolean.FALSE,
            Tag.RequestedSOPClassUID, Tag.CommandField, Tag.MessageID, Tag.RequestedSOPInstanceUID),
    /** PS3.7 §10.3.2.2, Table 10.3-4. */
    N_GET_RSP(0x8110, Tag.AffectedSOPClassUID, Tag.AffectedSOPInstanceUID, null,
            Tag.CommandField, Tag.MessageIDBeingRespondedTo, Tag.Status),
    /** PS3.7 §10.3.3.1, Table 10.3-5. */
    N_SET_RQ(0x0120, Tag.RequestedSOPClassUID, Tag.RequestedSOPInstanceUID, Boolean.TRUE,
            Tag.RequestedSOPClassUID, Tag.CommandField, Tag.MessageID, Tag.RequestedSOPInstanceUID),
    /** PS3.7 §10.3.3.2, Table 10.3-6. */
    N_SET_RSP(0x8120, Tag.AffectedSOPClassUID, Tag.AffectedSOPInstanceUID, null,
            Tag.CommandField, Tag.MessageIDBeingRespondedTo, Tag.Status),
    /** PS3.7 §10.3.4.1, Table 10.3-7. */
    N_ACTION_RQ(0x0130, Tag.RequestedSOPClassUID, Tag.RequestedSOPInstanceUID, null,
            Tag.RequestedSOPClassUID, Tag.CommandField, Tag.MessageID, Tag.RequestedSOPInstanceUID,
            Tag.ActionTypeID),
    /** PS3.7 §10.3.4.2, Table 10.3-8. */
    N_ACTION_RSP(0x8130, Tag.AffectedSOPClassUID, Tag.AffectedSOPInstanceUID, null,
            Tag.CommandField, Tag.MessageIDBeingRespondedTo, Tag.Status),
    /** PS3.7 §10.3.5.1, Table 10.3-9: Affected SOP Instance UID is optional; the SCP assigns one if absent. */
    N_CREATE_RQ(0x0140, Tag.AffectedSOPClassUID, Tag.AffectedSOPInstanceUID, null,
            Tag.AffectedSOPClassUID, Tag.CommandField, Tag.MessageID),
    /** PS3.7 §10.3.5.2, Table 10.3-10. */
    N_CREATE_RSP(0x8140, Tag.AffectedSOPClassUID, Tag.AffectedSOPInstanceUID, null,
            Tag.CommandField, Tag.MessageIDBeingRespondedTo, Tag.Status),
    /** PS3.7 §10.3.6.1, Table 10.3-11. */
    N_DELETE_RQ(0x0150, Tag.RequestedSOPClassUID, Tag.RequestedSOPInstanceUID, Boolean.FALSE,
            Tag.RequestedSOPClassUID, Tag.CommandField, Tag.MessageID, Tag.RequestedSOPInstanceUID),
    /** PS3.7 §10.3.6.2, Table 10.3-12. */
    N_DELETE_RSP(0x8150, Tag.AffectedSOPClassUID, Tag.AffectedSOPInstanceUID, Boolean.FALSE,
            Tag.CommandField, Tag.MessageIDBeingRespondedTo, Tag.Status),
    /** PS3.7 §9.3.2.3, Table 9.3-5 (also C-GET/C-MOVE cancel, Tables 9.3-8 and 9.3-11). */
    C_CANCEL_RQ(0x0FFF, 0, 0, Boolean.FALSE,
            Tag.CommandField, Tag.MessageIDBeingRespondedTo);

    private final int commandField;
    private final int sopClassTag;
    private final int sopInstanceTag;
    private final Boolean dataSet;
    private final List<Integer> required;

    Dimse(int commandField, int sopClassTag, int sopInstanceTag, Boolean dataSet, int... required) {
        this.commandField = commandField;
        this.sopClassTag = sopClassTag;
        this.sopInstanceTag = sopInstanceTag;
        this.dataSet = dataSet;
        Integer[] r = new Integer[required.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = required[i];
        }
        this.required = List.of(r);
    }

    /** The Command Field (0000,0100) value. */
    public int commandField() {
        return commandField;
    }

    /** (0000,0002) Affected or (0000,0003) Requested SOP Class UID; 0 for C-CANCEL. */
    public int sopClassTag() {
        return sopClassTag;
    }

    /** (0000,1000) Affected or (0000,1001) Requested SOP Instance UID; 0 if the message has none. */
    public int sopInstanceTag() {
        return sopInstanceTag;
    }

    /** TRUE: a data set is required; FALSE: none allowed; null: depends (conditional in the standard). */
    public Boolean dataSet() {
        return dataSet;
    }

    /** The mandatory (M) command elements besides (0000,0000) and (0000,0800). */
    public List<Integer> requiredElements() {
        return required;
    }

    /** Requests have bit 15 of the Command Field clear (PS3.7 Annex E). */
    public boolean isRequest() {
        return (commandField & 0x8000) == 0;
    }

    public boolean isResponse() {
        return !isRequest();
    }

    /** The response to this request; empty for responses and C-CANCEL-RQ (which has none). */
    public Optional<Dimse> response() {
        if (!isRequest() || this == C_CANCEL_RQ) {
            return Optional.empty();
        }
        return of(commandField | 0x8000);
    }

    /** The message for a Command Field value. */
    public static Optional<Dimse> of(int commandField) {
        for (Dimse d : values()) {
            if (d.commandField == commandField) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** The standard's name, e.g. {@code C-STORE-RQ}. */
    @Override
    public String toString() {
        return name().replace('_', '-');
    }
}
