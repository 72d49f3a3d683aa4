package org.orderly.broker.storage;

import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Watches the exchanges of the routing queue {@code orderly.storage.received}, whatever route file consumes it: gives
 * each a {@link RoutingState} when created and, when it completed without failure, lets the spool drop the object's
 * own entry (its destination links keep it) or keep it as unrouted. A failed routing exchange is rolled back to the
 * queue (transacted consumer) and routed again.
 */
final class RoutingTracker extends EventNotifierSupport {
    private final DeliveryQueues queues;

    RoutingTracker(DeliveryQueues queues) {
        this.queues = queues;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    static boolean isRouting(Exchange ex) {
        // getFromRouteId: a route's consumer made it (a ProducerTemplate sending TO the queue has none)
        return ex.getFromRouteId() != null && ex.getFromEndpoint() != null
                && ex.getFromEndpoint().getEndpointUri().contains(StorageService.RECEIVED_QUEUE);
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.ExchangeCreatedEvent e && isRouting(e.getExchange())) {
            e.getExchange().setProperty(RoutingState.PROPERTY, new RoutingState());
        } else if (event instanceof CamelEvent.ExchangeCompletedEvent e && isRouting(e.getExchange())
                && !e.getExchange().isFailed()) {
            RoutingState s = e.getExchange().getProperty(RoutingState.PROPERTY, RoutingState.class);
            if (s != null) {
                queues.routingCompleted(e.getExchange(), s);
            }
        }
    }
}
