package org.orderly.hl7.intake;

import java.util.List;
import org.orderly.hl7.ack.ErrorCode;
import org.orderly.hl7.ack.ErrorLocation;
import org.orderly.hl7.ack.Hl7Error;

/**
 * The store understood the change but cannot apply it (HL7 v2.5.1 §2.9.2.2, answered AE): a cancel
 * or change of an unknown order, an update of an unknown patient (HL7 table 0357 code 204 Unknown
 * key identifier), an order number already used by another order (205).
 */
public final class NotApplicableException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<Hl7Error> errors;

    public NotApplicableException(List<Hl7Error> errors) {
        super(errors.isEmpty() ? "not applicable" : errors.get(0).text());
        this.errors = List.copyOf(errors);
    }

    public NotApplicableException(ErrorCode code, ErrorLocation location, String text) {
        this(List.of(new Hl7Error(code, location, text)));
    }

    /** 204 Unknown key identifier at {@code location}. */
    public static NotApplicableException unknownKey(ErrorLocation location, String text) {
        return new NotApplicableException(ErrorCode.UNKNOWN_KEY_IDENTIFIER, location, text);
    }

    public List<Hl7Error> errors() {
        return errors;
    }
}
