package org.orderly.dicom.net.service;

/**
 * N-CREATE (PS3.7 §10.1.5) for one SOP class, called on the association's reader thread. Return the status and any reply
 * data set; throw {@link DicomServiceException} for a failure status with an error comment; any other exception is
 * answered 0110H "Processing failure" with one WARN line, and the association goes on.
 */
@FunctionalInterface
public interface NCreateHandler {

    NResult create(NCreateRequest request) throws DicomServiceException;
}
