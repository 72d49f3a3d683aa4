package org.orderly.dicom.net.acse;

import java.util.Objects;

import org.orderly.dicom.net.pdu.AssociateAc;
import org.orderly.dicom.net.pdu.AssociateRj;

/** The acceptor's answer to an A-ASSOCIATE-RQ: exactly one of an A-ASSOCIATE-AC or an A-ASSOCIATE-RJ. */
public final class Negotiation {

    private final AssociateAc accept;
    private final AssociateRj reject;
    private final String reason;

    private Negotiation(AssociateAc accept, AssociateRj reject, String reason) {
        this.accept = accept;
        this.reject = reject;
        this.reason = reason;
    }

    public static Negotiation accept(AssociateAc ac) {
        return new Negotiation(Objects.requireNonNull(ac), null, null);
    }

    /**
     * @param reason a human-readable reason for the log line (AE titles, UIDs; never PHI)
     */
    public static Negotiation reject(AssociateRj rj, String reason) {
        return new Negotiation(null, Objects.requireNonNull(rj), reason);
    }

    public boolean isAccepted() {
        return accept != null;
    }

    public AssociateAc accept() {
        return accept;
    }

    public AssociateRj reject() {
        return reject;
    }

    public String reason() {
        return reason;
    }
}
