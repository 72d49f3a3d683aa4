package org.orderly.dicom.net.service;

import org.orderly.dicom.data.Attributes;

/**
 * An N-EVENT-REPORT request (PS3.7 §10.1.1): Event Type ID and the Event Information (may be null).
 */
public record NEventReportRequest(RequestContext context, String sopClassUid, String sopInstanceUid,
        int eventTypeId, Attributes eventInformation) {
}
