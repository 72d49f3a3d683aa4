package org.orderly.dicom.net.service;

import org.orderly.dicom.data.Attributes;

/**
 * An N-ACTION request (PS3.7 §10.1.4): Action Type ID and the Action Information (may be null).
 */
public record NActionRequest(RequestContext context, String sopClassUid, String sopInstanceUid, int actionTypeId,
        Attributes actionInformation) {
}
