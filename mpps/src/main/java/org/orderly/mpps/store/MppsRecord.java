package org.orderly.mpps.store;

import org.orderly.dicom.data.Attributes;
import org.orderly.mpps.MppsStatus;

/** A stored MPPS instance: its attributes as last set, and how it relates to the worklist. */
public record MppsRecord(String sopInstanceUid, MppsStatus status, String callingAe, boolean unscheduled,
        Attributes attributes, long createdAt, long updatedAt) {
}
