package org.orderly.dicom.net.service;

/**
 * An N-DELETE request (PS3.7 §10.1.6): the instance to delete.
 */
public record NDeleteRequest(RequestContext context, String sopClassUid, String sopInstanceUid) {
}
