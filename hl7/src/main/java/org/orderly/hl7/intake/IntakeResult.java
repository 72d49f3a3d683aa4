package org.orderly.hl7.intake;

import java.util.List;
import org.orderly.hl7.ack.Ack;
import org.orderly.hl7.ack.AckCode;
import org.orderly.hl7.ack.Hl7Error;

/**
 * What the intake did with one message.
 *
 * @param ack       the acknowledgment to send (MLLP framing not included)
 * @param logId     the message log row, or 0 when even logging failed
 * @param applied   the worklist changed (and the change is committed)
 * @param duplicate a repeated control ID of an applied message: acknowledged, not applied again
 * @param errors    the errors reported in ERR (empty for AA)
 */
public record IntakeResult(Ack ack, long logId, boolean applied, boolean duplicate, List<Hl7Error> errors) {

    public IntakeResult {
        errors = List.copyOf(errors);
    }

    public AckCode code() {
        return ack.code();
    }
}
