package org.orderly.broker.hl7.mllp;

import java.net.Socket;
import org.apache.camel.Processor;
import org.apache.camel.component.mllp.MllpEndpoint;
import org.apache.camel.component.mllp.MllpTcpServerConsumer;

/**
 * camel-mllp's server consumer, with every connection read through a {@link MllpFrameGuard}.
 *
 * <p>camel-mllp first hands a new connection to a "validation" task that reads the first frame
 * with its own buffer (meant for load-balancer probes that connect and close); that read has the
 * weaknesses {@link MllpFrameGuard} removes, so it is skipped: the connection goes straight to a
 * consumer thread (bounded by {@code maxConcurrentConsumers}; one more is reset at once by
 * camel-mllp) whose guard closes a probe's connection quietly.
 */
final class GuardedMllpConsumer extends MllpTcpServerConsumer {

    GuardedMllpConsumer(MllpEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public void validateConsumer(Socket socket) {
        startConsumer(socket, new MllpFrameGuard(getEndpoint()));
    }
}
