package org.orderly.mpps.store;

import org.orderly.dicom.data.Attributes;
import org.orderly.mpps.MppsStatus;

/**
 * One row of the outbox: an N-CREATE or N-SET that was accepted and committed together with the instance.
 *
 * @param operation  {@code N-CREATE} or {@code N-SET}
 * @param attributes the request's Attribute List / Modification List as received (for forwarding)
 */
public record MppsEvent(long id, String mppsUid, String operation, MppsStatus status, MppsStatus previousStatus,
        String callingAe, Attributes attributes, long createdAt) {

    public static final String N_CREATE = "N-CREATE";
    public static final String N_SET = "N-SET";

    /** A status change the RIS must hear about: a create, or a set that changed (0040,0252). */
    public boolean changesStatus() {
        return previousStatus != status;
    }
}
