package org.orderly.dicom.net.service;

import java.io.InputStream;

import org.orderly.dicom.io.TransferSyntax;
import org.orderly.dicom.net.dimse.DimseCommand;

/**
 * A C-STORE request (PS3.7 §9.1.1.1) with its data set as a stream, exactly as received: encoded in
 * {@link #transferSyntax()} (deflated if that one is), without File Meta Information. Stream it to disk (e.g.
 * {@code Part10Writer.writeRaw}); never load it whole. It can be read only on the calling thread, during the call.
 *
 * @param sopClassUid    Affected SOP Class UID
 * @param sopInstanceUid Affected SOP Instance UID
 * @param dataset        the data set; whatever the handler leaves unread is drained before the response is sent
 */
public record StoreRequest(RequestContext context, String sopClassUid, String sopInstanceUid,
        TransferSyntax transferSyntax, int priority, InputStream dataset) {

    /** The calling AE title (the modality). */
    public String callingAeTitle() {
        return context.remoteAeTitle();
    }

    /** Move Originator AE title if this C-STORE is a C-MOVE sub-operation (PS3.7 §9.1.1.1.7), else null. */
    public String moveOriginatorAeTitle() {
        DimseCommand c = context.command();
        return c.moveOriginatorAeTitle();
    }
}
