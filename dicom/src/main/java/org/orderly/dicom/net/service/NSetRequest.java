package org.orderly.dicom.net.service;

import org.orderly.dicom.data.Attributes;

/**
 * An N-SET request (PS3.7 §10.1.3): the Modification List.
 */
public record NSetRequest(RequestContext context, String sopClassUid, String sopInstanceUid, Attributes modifications) {
}
