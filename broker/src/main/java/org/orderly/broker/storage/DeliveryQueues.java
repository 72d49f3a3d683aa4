package org.orderly.broker.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.orderly.camel.dicom.DicomConstants;
import org.orderly.camel.dicom.DicomDelivery;
import org.orderly.camel.dicom.DicomEndpoint;
import org.orderly.dicom.net.AeAddress;
import org.orderly.dicom.net.NoPresentationContextException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable per-destination delivery behind {@code to: dicom:AE@host:port} in a routing route: the object gets a hard
 * link in {@code spool/dest/<key>/} and a persistent message on JMS queue {@code orderly.storage.dest.<key>}; a route
 * {@code storage-deliver-<key>} (created on first use, and at start-up for every destination with work left) sends it.
 *
 * <ul>
 *   <li>One queue and its own consumers per destination: a destination that is down holds only its own consumers
 *       (retrying), never the others'.</li>
 *   <li>Order within a study: the message group ({@code JMSXGroupID}) is the Study Instance UID, so Artemis gives all
 *       of a study to one consumer, which sends one object at a time and retries in place (blocking redelivery):
 *       the next object of the study waits. {@code orderly.forward.concurrency} consumers serve different studies.</li>
 *   <li>Retries: {@code orderly.forward.max-attempts} attempts, exponential backoff from
 *       {@code backoff-initial-ms} times {@code backoff-multiplier}, at most {@code backoff-max-ms}; a transfer syntax
 *       the destination refuses is not retried. Then the message goes to {@code orderly.storage.dlq} (the link stays).</li>
 *   <li>Acknowledged after the exchange: a crash while sending leaves the message in the queue; it is sent again on
 *       restart.</li>
 * </ul>
 */
public final class DeliveryQueues implements DicomDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryQueues.class);
    public static final String QUEUE_PREFIX = "orderly.storage.dest.";
    public static final String DLQ = "orderly.storage.dlq";
    /** The routing headers a destination message carries (each one is a JMS property, encoded and decoded). */
    private static final java.util.List<String> DELIVERY_HEADERS = java.util.List.of(DicomConstants.OBJECT_ID,
            DicomConstants.SOP_CLASS_UID, DicomConstants.SOP_INSTANCE_UID, DicomConstants.STUDY_INSTANCE_UID,
            DicomConstants.TRANSFER_SYNTAX_UID, DicomConstants.MODALITY, DicomConstants.CALLING_AE,
            DicomConstants.CALLED_AE);
    static final String DEAD_ROUTE = "direct:orderly-storage-dead";
    /** Header of a dead-lettered message: the queue to put it back on. */
    public static final String DELIVERY_QUEUE_HEADER = "DicomDeliveryQueue";
    public static final String LAST_ERROR_HEADER = "DicomLastError";
    public static final String ATTEMPTS_HEADER = "DicomAttempts";
    /**
     * Acknowledged after the exchange completed (the send, or the dead-letter queue), without waiting for the
     * journal: an acknowledgement lost in a crash only means the message comes again, finds its link gone and is
     * dropped (see the NoSuchFileException rule) - so delivery pays no journal sync per object.
     */
    private static final String JMS_OPTIONS = "?acknowledgementModeName=CLIENT_ACKNOWLEDGE"
            + "&cacheLevelName=CACHE_CONSUMER";

    /** Retry and concurrency settings. */
    public record Policy(int maxAttempts, long backoffInitialMs, long backoffMaxMs, double multiplier, int concurrency) {
    }

    private final SpoolStore spool;
    private final DeliveryLedger ledger;
    private final Policy policy;
    private final Set<String> routes = ConcurrentHashMap.newKeySet();
    private volatile CamelContext camel;
    private volatile ProducerTemplate producer;
    private volatile jakarta.jms.ConnectionFactory jms;
    /**
     * One JMS session per routing thread, its queues resolved once: a Camel/Spring send resolves the queue with a
     * blocking query per message, which Artemis answers only after the previous send's journal sync.
     */
    private final ThreadLocal<Sender> sender = ThreadLocal.withInitial(Sender::new);

    /**
     * Persistent sends on this thread's session. Asynchronous when the routing exchange tracks them: Artemis confirms
     * each message once it is in the journal (send confirmations, {@link
     * org.orderly.broker.jms.EmbeddedJms#confirmingConnectionFactory}), and the object leaves {@code spool/objects/}
     * only after that ({@link RoutingState#journaled}); so the routing thread does not wait for a journal sync per
     * object (Artemis' NIO journal syncs at most every 3.3 ms, which capped one study at ~300 objects/s) and many
     * messages share one sync. Blocking otherwise (the message is in the journal when send returns).
     */
    private final class Sender {
        private jakarta.jms.Connection connection;
        private jakarta.jms.Session session;
        private jakarta.jms.MessageProducer producer;
        private final Map<String, jakarta.jms.Queue> queues = new HashMap<>();

        void send(String queue, String body, Map<String, Object> properties, RoutingState state)
                throws jakarta.jms.JMSException {
            try {
                if (session == null) {
                    connection = jms.createConnection();
                    session = connection.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
                    producer = session.createProducer(null);
                    producer.setDeliveryMode(jakarta.jms.DeliveryMode.PERSISTENT);
                }
                jakarta.jms.TextMessage m = session.createTextMessage(body);
                for (Map.Entry<String, Object> p : properties.entrySet()) {
                    m.setObjectProperty(p.getKey(), p.getValue());
                }
                jakarta.jms.Queue q = queues.get(queue);
                if (q == null) {
                    q = session.createQueue(queue);
                    queues.put(queue, q);
                }
                if (state == null) {
                    producer.send(q, m);
                    return;
                }
                state.sending();
                try {
                    producer.send(q, m, new jakarta.jms.CompletionListener() {
                        @Override
                        public void onCompletion(jakarta.jms.Message message) {
                            state.sent(null);
                        }

                        @Override
                        public void onException(jakarta.jms.Message message, Exception e) {
                            state.sent(e);
                        }
                    });
                } catch (jakarta.jms.JMSException | RuntimeException e) {
                    state.sent(e);
                    throw e;
                }
            } catch (jakarta.jms.JMSException | RuntimeException e) {
                close();
                throw e;
            }
        }

        void close() {
            try {
                if (connection != null) {
                    connection.close();
                }
            } catch (jakarta.jms.JMSException e) {
                // after a failure
            }
            connection = null;
            session = null;
            producer = null;
            queues.clear();
        }
    }

    /**
     * The connection factory the destination messages are sent with (set before the routes start): one with send
     * confirmations ({@link org.orderly.broker.jms.EmbeddedJms#confirmingConnectionFactory}).
     */
    void connectionFactory(jakarta.jms.ConnectionFactory cf) {
        this.jms = cf;
    }

    public DeliveryQueues(SpoolStore spool, DeliveryLedger ledger, Policy policy) {
        this.spool = spool;
        this.ledger = ledger;
        this.policy = policy;
    }

    void start(CamelContext context) throws Exception {
        this.camel = context;
        this.producer = context.createProducerTemplate();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(DEAD_ROUTE).routeId("storage-dead-letter")
                        .process(DeliveryQueues.this::deadLettered)
                        .to("jms:queue:" + DLQ);
            }
        });
        // destinations with work left from before a restart
        Path dest = spool.root().resolve("dest");
        try (var dirs = Files.newDirectoryStream(dest)) {
            for (Path d : dirs) {
                Path name = d.resolve(".destination");
                if (Files.isRegularFile(name)) {
                    ensureRoute(AeAddress.parse(Files.readString(name).strip()));
                }
            }
        }
    }

    /** The queue key of a destination: AE_host_port with anything but [A-Za-z0-9_.-] replaced. */
    public static String key(AeAddress a) {
        return (a.aeTitle() + "_" + a.host() + "_" + a.port()).replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    @Override
    public void enqueue(DicomEndpoint endpoint, Exchange exchange) throws Exception {
        AeAddress dest = endpoint.destination();
        String key = key(dest);
        ensureRoute(dest);
        Path file = Path.of(exchange.getMessage().getBody(String.class).strip());
        Path link = spool.linkForDestination(file, exchange.getMessage().getHeader(DicomConstants.OBJECT_ID,
                String.class), key);
        Map<String, Object> headers = new HashMap<>();
        for (String k : DELIVERY_HEADERS) { // not every attribute: delivery, the ledger and the DLQ need these only
            Object v = exchange.getMessage().getHeader(k);
            if (v != null) {
                headers.put(k, v.toString());
            }
        }
        String iuid = exchange.getMessage().getHeader(DicomConstants.SOP_INSTANCE_UID, String.class);
        String study = exchange.getMessage().getHeader(DicomConstants.STUDY_INSTANCE_UID, String.class);
        headers.put(DicomConstants.DESTINATION, dest.toString());
        headers.put("JMSXGroupID", study != null ? study : iuid != null ? iuid : link.getFileName().toString());
        ledger.record(iuid != null ? iuid : link.getFileName().toString(), dest.toString(),
                exchange.getMessage().getHeader(DicomConstants.OBJECT_ID, String.class), DeliveryLedger.State.PENDING,
                0, null);
        RoutingState state = exchange.getProperty(RoutingState.PROPERTY, RoutingState.class);
        sender.get().send(QUEUE_PREFIX + key, link.toString(), headers, state);
        if (state != null) {
            state.destinations.incrementAndGet();
            state.linkDirectories.add(link.getParent());
        }
    }

    /** Creates the delivery route of a destination unless it exists. */
    void ensureRoute(AeAddress dest) throws Exception {
        String key = key(dest);
        if (routes.contains(key)) {
            return;
        }
        synchronized (this) {
            if (!routes.add(key)) {
                return;
            }
            Path dir = Files.createDirectories(spool.root().resolve("dest").resolve(key));
            Files.writeString(dir.resolve(".destination"), dest.toString());
            String queue = QUEUE_PREFIX + key;
            int n = policy.concurrency();
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    errorHandler(deadLetterChannel(DEAD_ROUTE).useOriginalMessage()
                            .maximumRedeliveries(policy.maxAttempts() - 1)
                            .redeliveryDelay(policy.backoffInitialMs())
                            .useExponentialBackOff().backOffMultiplier(policy.multiplier())
                            .maximumRedeliveryDelay(policy.backoffMaxMs())
                            .retryAttemptedLogLevel(LoggingLevel.WARN).logRetryStackTrace(false)
                            .logStackTrace(false).logExhaustedMessageHistory(false));
                    onException(NoPresentationContextException.class).maximumRedeliveries(0);
                    onException(java.nio.file.NoSuchFileException.class).handled(true)
                            .log(LoggingLevel.WARN, "storage: ${header.DicomSopInstanceUID} to " + dest
                                    + " has no spool file (sent already); dropped")
                            .process(DeliveryQueues.this::deliveredBefore);
                    from("jms:queue:" + queue + JMS_OPTIONS + "&concurrentConsumers=" + n
                            + "&maxConcurrentConsumers=" + n)
                            .routeId("storage-deliver-" + key)
                            .to("dicom:" + dest + "?direct=true&maxAssociations=" + n)
                            .process(DeliveryQueues.this::delivered);
                }
            });
            LOG.info("storage: delivery route for {} started (queue {}, {} consumer(s))", dest, queue, n);
        }
    }

    /** A reused spool slot holds more bytes than its object: the producer sends the data set's length only. */
    @Override
    public long datasetLength(org.orderly.dicom.data.Attributes fmi) {
        return SpoolStore.datasetLength(fmi);
    }

    private void delivered(Exchange ex) throws IOException {
        Path link = Path.of(ex.getMessage().getBody(String.class).strip());
        spool.delivered(link);
        recordDelivered(ex, link);
        LOG.debug("storage: {} delivered to {}", ex.getMessage().getHeader(DicomConstants.SOP_INSTANCE_UID),
                ex.getMessage().getHeader(DicomConstants.DESTINATION));
    }

    /**
     * A message whose link is gone: a destination link is removed only after that destination answered Success
     * ({@link #delivered}), so an earlier attempt delivered it and a crash came before its ledger row (or its
     * acknowledgement) was written. Recorded DELIVERED, else Storage Commitment would wait for it forever.
     */
    private void deliveredBefore(Exchange ex) {
        recordDelivered(ex, Path.of(ex.getMessage().getBody(String.class).strip()));
    }

    private void recordDelivered(Exchange ex, Path link) {
        int attempts = ex.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
        ledger.record(ex.getMessage().getHeader(DicomConstants.SOP_INSTANCE_UID, String.class),
                ex.getMessage().getHeader(DicomConstants.DESTINATION, String.class),
                link.getFileName().toString().replace(".dcm", ""), DeliveryLedger.State.DELIVERED, attempts, null);
    }

    private void deadLettered(Exchange ex) {
        Throwable cause = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String error = cause == null ? "unknown" : cause.getMessage() == null ? cause.toString() : cause.getMessage();
        String dest = ex.getMessage().getHeader(DicomConstants.DESTINATION, String.class);
        String iuid = ex.getMessage().getHeader(DicomConstants.SOP_INSTANCE_UID, String.class);
        // exhausted: every attempt was made, except for a refused transfer syntax (not retried)
        int attempts = cause instanceof NoPresentationContextException ? 1 : policy.maxAttempts();
        ex.getMessage().setHeader(DELIVERY_QUEUE_HEADER, QUEUE_PREFIX + key(AeAddress.parse(dest)));
        ex.getMessage().setHeader(LAST_ERROR_HEADER, error.length() > 256 ? error.substring(0, 256) : error);
        ex.getMessage().setHeader(ATTEMPTS_HEADER, attempts);
        ex.getMessage().removeHeader("JMSXGroupID"); // the DLQ is not ordered by study
        ledger.record(iuid, dest, null, DeliveryLedger.State.FAILED, attempts, error);
        LOG.error("storage: {} to {} failed {} time(s), moved to dead-letter queue {}: {}", iuid, dest, attempts, DLQ,
                error);
    }

    /** Routing finished without failure: the object's own spool entry goes (its destination links stay). */
    void routingCompleted(Exchange ex, RoutingState state) {
        String id = ex.getMessage().getHeader(DicomConstants.OBJECT_ID, String.class);
        String iuid = ex.getMessage().getHeader(DicomConstants.SOP_INSTANCE_UID, String.class);
        try {
            if (id != null) {
                if (state.destinations.get() == 0) {
                    // the ledger row first: its durable commit also writes what was committed before it (the
                    // received-instance record, see StorageService) while the object is still in spool/objects/
                    ledger.record(iuid, DeliveryLedger.NO_DESTINATION, id, DeliveryLedger.State.UNROUTED, 0, null);
                    spool.unrouted(id);
                    LOG.warn("storage: {} ({}) matched no destination; kept in {}", iuid, id,
                            spool.root().resolve("unrouted"));
                } else {
                    spool.routed(id, state.linkDirectories, state.journaled());
                }
            }
            for (Path t : state.temporaryFiles) {
                Files.deleteIfExists(t);
            }
        } catch (IOException e) {
            LOG.warn("storage: cleaning up after routing {} failed: {}", id, e.toString());
        }
    }
}
