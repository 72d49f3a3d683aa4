package org.orderly.dicom.net.service;

import java.util.Objects;

import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.net.dimse.Status;

/**
 * The outcome of a DIMSE-N operation handled by an SCP (PS3.7 §10.1): the status, the Affected SOP Instance UID
 * to return (required in an N-CREATE-RSP when the SCP assigned the UID, PS3.7 §10.1.5.1.4) and the attribute list /
 * reply data set, if any.
 */
public record NResult(Status status, String affectedSopInstanceUid, Attributes dataset) {

    public NResult {
        Objects.requireNonNull(status, "status");
    }

    public static NResult success() {
        return new NResult(Status.SUCCESS, null, null);
    }

    public static NResult success(Attributes dataset) {
        return new NResult(Status.SUCCESS, null, dataset);
    }

    /** N-CREATE: the instance created (UID assigned by the SCP if the request had none) and its attributes. */
    public static NResult created(String sopInstanceUid, Attributes dataset) {
        return new NResult(Status.SUCCESS, Objects.requireNonNull(sopInstanceUid), dataset);
    }

    public static NResult of(Status status, Attributes datasetOrNull) {
        return new NResult(status, null, datasetOrNull);
    }
}
