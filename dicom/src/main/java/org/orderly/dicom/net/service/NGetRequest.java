package org.orderly.dicom.net.service;

/**
 * An N-GET request (PS3.7 §10.1.2): the Attribute Identifier List (empty: all attributes).
 */
public record NGetRequest(RequestContext context, String sopClassUid, String sopInstanceUid,
        int[] attributeIdentifiers) {
}
