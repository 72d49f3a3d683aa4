package org.orderly.dicom.net.service;

/**
 * C-FIND SCP for one Information Model (PS3.4 Annex C, Annex K). Called on a worker thread, so that a C-CANCEL can
 * arrive while the matches are produced. Throw {@link DicomServiceException} for a failure status (e.g. A900H
 * "Identifier does not match SOP Class"); any other exception is answered C000H "Unable to process".
 */
@FunctionalInterface
public interface CFindHandler {

    Matches find(FindRequest request) throws DicomServiceException;
}
