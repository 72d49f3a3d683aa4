package org.orderly.dicom.net.pdu;

import java.io.IOException;

/**
 * A received PDU that is unrecognized or invalid: the state machine treats it as Evt19 (PS3.8 §9.2, Table 9-10)
 * and answers with an A-ABORT whose reason is {@link #reason()} (PS3.8 §9.3.8, Table 9-26).
 */
public final class InvalidPduException extends IOException {

    private static final long serialVersionUID = 1L;

    private final Abort.Reason reason;

    public InvalidPduException(Abort.Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** The A-ABORT reason/diag to send, PS3.8 Table 9-26. */
    public Abort.Reason reason() {
        return reason;
    }

    /** The A-ABORT PDU the service-provider sends for this error (source 2, PS3.8 Table 9-26). */
    public Abort toAbort() {
        return new Abort(Abort.Source.SERVICE_PROVIDER, reason);
    }
}
