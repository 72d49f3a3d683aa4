package org.orderly.dicom.net;

import java.util.Objects;

import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.net.dimse.DimseCommand;
import org.orderly.dicom.net.dimse.Status;

/**
 * The final response to an operation we requested: its command set (status, error comment, offending elements,
 * affected SOP instance UID...) and its data set, if any (e.g. the attribute list of an N-GET-RSP or N-CREATE-RSP).
 */
public record DimseResponse(DimseCommand command, Attributes dataset) {

    public DimseResponse {
        Objects.requireNonNull(command, "command");
    }

    public Status status() {
        return command.status();
    }

    /** Error Comment (0000,0902) or null. */
    public String errorComment() {
        return command.errorComment();
    }

    /** Affected SOP Instance UID (e.g. the UID an N-CREATE SCP assigned) or null. */
    public String affectedSopInstanceUid() {
        return command.sopInstanceUid();
    }

    @Override
    public String toString() {
        return command + (errorComment() != null ? " \"" + errorComment() + "\"" : "");
    }
}
