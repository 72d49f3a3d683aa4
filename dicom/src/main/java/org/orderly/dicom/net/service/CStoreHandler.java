package org.orderly.dicom.net.service;

import java.io.IOException;

import org.orderly.dicom.net.dimse.Status;

/**
 * C-STORE SCP for storage SOP classes (PS3.4 Annex B). Called on the association's reader thread; the handler
 * streams {@link StoreRequest#dataset()} to its destination and returns {@link Status#SUCCESS} or a warning (B000H,
 * B006H, B007H). Throw {@link DicomServiceException} for a failure status (e.g. A700H out of resources, A900H data
 * set does not match SOP class); any other exception - a parse error of the data set, a full disk - is answered
 * C000H "Cannot understand" with one WARN line, and the association goes on.
 */
@FunctionalInterface
public interface CStoreHandler {

    Status store(StoreRequest request) throws DicomServiceException, IOException;
}
