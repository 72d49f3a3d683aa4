package org.orderly.dicom.net.service;

import org.orderly.dicom.io.TransferSyntax;
import org.orderly.dicom.net.acse.Association;
import org.orderly.dicom.net.dimse.DimseCommand;

/**
 * Who asked and on which association: given to every handler. Log with {@link #toString()} (AE titles, address,
 * association serial and message ID; never PHI).
 *
 * @param association    the association the request arrived on (handlers may send further messages on it, e.g. an
 *                       N-EVENT-REPORT)
 * @param pcid           the presentation context of the request
 * @param transferSyntax the context's negotiated transfer syntax, in which any data set is encoded
 * @param command        the request's command set
 */
public record RequestContext(Association association, int pcid, TransferSyntax transferSyntax,
        DimseCommand command) {

    /** The peer's AE title (the calling AE on an association it opened). */
    public String remoteAeTitle() {
        return association.remoteAeTitle();
    }

    public String localAeTitle() {
        return association.localAeTitle();
    }

    public String remoteAddress() {
        return association.remoteAddress();
    }

    public int messageId() {
        return command.messageId();
    }

    /** e.g. {@code ORDERLY<-CT1(42) msg 7}. */
    @Override
    public String toString() {
        return association.name() + " " + association.remoteAddress() + " msg " + command.messageId();
    }
}
