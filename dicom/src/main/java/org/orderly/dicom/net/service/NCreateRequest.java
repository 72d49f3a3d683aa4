package org.orderly.dicom.net.service;

import org.orderly.dicom.data.Attributes;

/**
 * An N-CREATE request (PS3.7 §10.1.5): Affected SOP Instance UID, or null: the SCP assigns one and returns it in the result.
 */
public record NCreateRequest(RequestContext context, String sopClassUid, String sopInstanceUid, Attributes attributes) {
}
