package org.orderly.hl7.mapping;

import java.util.List;
import java.util.stream.Collectors;
import org.orderly.hl7.ack.Hl7Error;

/**
 * The message was understood but cannot become worklist entries (answered AE with these
 * errors): a Type 1 key is missing, ORC-1 is unknown, a patient ID is missing.
 */
public final class MappingRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<Hl7Error> errors;

    public MappingRejectedException(List<Hl7Error> errors) {
        super(errors.stream().map(Hl7Error::text).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<Hl7Error> errors() {
        return errors;
    }
}
