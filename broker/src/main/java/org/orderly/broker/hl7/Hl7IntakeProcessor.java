package org.orderly.broker.hl7;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.mllp.MllpConstants;
import org.orderly.hl7.intake.IntakeResult;
import org.orderly.hl7.intake.OrderIntake;

/**
 * The bean {@code #hl7Intake} of {@code routes/hl7-intake.camel.yaml}: hands the received bytes to
 * {@link OrderIntake} and sets the acknowledgment camel-mllp writes back on the same connection
 * (exchange property {@code CamelMllpAcknowledgement}; the route runs with {@code autoAck=false}).
 * The ACK is set only when {@link OrderIntake#accept} returns, i.e. after the commit and the journal append.
 */
public final class Hl7IntakeProcessor implements Processor {

    /** Name of this bean in the Camel registry, used by the route file. */
    public static final String BEAN_NAME = "hl7Intake";

    private final OrderIntake intake;

    public Hl7IntakeProcessor(OrderIntake intake) {
        this.intake = intake;
    }

    @Override
    public void process(Exchange exchange) {
        byte[] raw = exchange.getIn().getBody(byte[].class);
        String peer = exchange.getIn().getHeader(MllpConstants.MLLP_REMOTE_ADDRESS, String.class);
        IntakeResult result = intake.accept(raw == null ? new byte[0] : raw, peer == null ? "" : peer);
        exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT, result.ack().bytes());
        exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT_TYPE, result.code().name());
        exchange.getMessage().setHeader("orderlyHl7Outcome", result.code().name());
        exchange.getMessage().setHeader("orderlyHl7LogId", result.logId());
    }
}
