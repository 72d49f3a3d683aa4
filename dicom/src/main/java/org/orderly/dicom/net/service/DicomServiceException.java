package org.orderly.dicom.net.service;

import java.util.Objects;

import org.orderly.dicom.net.dimse.DimseCommand;
import org.orderly.dicom.net.dimse.Status;

/**
 * Thrown by a handler to answer an operation with a failure (or warning) status: the framework turns it into the
 * response's Status (0000,0900), Error Comment (0000,0902, at most 64 characters, PS3.7 Annex C) and Offending
 * Element (0000,0901). Never kills the association. The message (the error comment) must not contain PHI.
 */
public class DicomServiceException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Status status;
    private final int[] offendingElements;

    /**
     * @param status            the response status (normally a failure)
     * @param errorComment      a short reason for the peer and the log, trimmed to 64 characters in the response
     * @param offendingElements tags of the elements at fault, if any
     */
    public DicomServiceException(Status status, String errorComment, int... offendingElements) {
        super(errorComment);
        this.status = Objects.requireNonNull(status, "status");
        this.offendingElements = offendingElements.clone();
    }

    public DicomServiceException(Status status, String errorComment, Throwable cause) {
        super(errorComment, cause);
        this.status = Objects.requireNonNull(status, "status");
        this.offendingElements = new int[0];
    }

    public Status status() {
        return status;
    }

    /** The Error Comment as sent: at most 64 characters of the default repertoire. */
    public String errorComment() {
        String m = getMessage();
        return m == null ? null : m.length() <= DimseCommand.MAX_ERROR_COMMENT ? m
                : m.substring(0, DimseCommand.MAX_ERROR_COMMENT);
    }

    public int[] offendingElements() {
        return offendingElements.clone();
    }

    /** Adds Status, Error Comment and Offending Element to a response command. */
    public void applyTo(DimseCommand rsp) {
        rsp.setUS(org.orderly.dicom.data.Tag.Status, status.code());
        rsp.setErrorComment(getMessage());
        rsp.setOffendingElements(offendingElements);
    }
}
