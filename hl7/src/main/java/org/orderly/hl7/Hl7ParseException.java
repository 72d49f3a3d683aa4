package org.orderly.hl7;

import java.util.Optional;
import org.orderly.hl7.ack.ErrorCode;
import org.orderly.hl7.ack.ErrorLocation;
import org.orderly.hl7.ack.Hl7Error;

/**
 * A message Orderly cannot read; answered with AR (HL7 v2.5.1 §2.9.2.2: the message was
 * rejected for its syntax, version or type, not for its content).
 *
 * <p>Carries the header when it could be extracted so the ACK reaches the right sender.
 */
public final class Hl7ParseException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Hl7Error error;
    private final transient MshHeader header;

    public Hl7ParseException(ErrorCode code, ErrorLocation location, String text, MshHeader header, Throwable cause) {
        super(text, cause);
        this.error = new Hl7Error(code, location, text);
        this.header = header;
    }

    public Hl7Error error() {
        return error;
    }

    /** The raw MSH, when the message had one we could read. */
    public Optional<MshHeader> header() {
        return Optional.ofNullable(header);
    }
}
