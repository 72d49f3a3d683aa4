package org.orderly.broker.mpps;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.orderly.dicom.io.DatasetCodec;
import org.orderly.dicom.io.TransferSyntax;
import org.orderly.mpps.store.MppsEvent;
import org.orderly.mpps.store.MppsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox relay: publishes committed MPPS events ({@code mpps_event} rows with {@code published_at} NULL) to JMS,
 * in id order, in one JMS transaction per batch, and only after that commit marks them published.
 *
 * <p>Destinations (persistent messages, {@code JMSXGroupID} = MPPS SOP Instance UID):
 * <ul>
 *   <li>topic {@value #TOPIC}: every event, for anyone who listens (e.g. a log route);</li>
 *   <li>queue {@value #RIS_QUEUE}: consumed by routes/mpps-ris.camel.yaml (status messages to the RIS);</li>
 *   <li>queue {@value #FORWARD_QUEUE}: consumed by routes/mpps-forward.camel.yaml (MPPS forwarding).</li>
 * </ul>
 * The work queues are queues, not topic subscriptions, so that nothing is lost while a route file is being
 * reloaded or is broken: messages wait in the queue.
 *
 * <p>Crash analysis: before the JMS commit, nothing was published and the rows are published again; between the JMS
 * commit and the database update, the batch is published twice - the consumers are idempotent per event id
 * ({@link RisOutbox}: unique (event, part); forwarding: the SCP answers a repeated N-CREATE 0111, which the forwarder
 * treats as delivered). Message properties carry identifiers only (no PHI); the body is the request's attribute list
 * in Explicit VR Little Endian.
 */
public final class MppsEventRelay implements AutoCloseable {

    public static final String TOPIC = "orderly.mpps.events";
    public static final String RIS_QUEUE = "orderly.mpps.ris";
    public static final String FORWARD_QUEUE = "orderly.mpps.forward";
    /** Worklist step status changes (routes/worklist-events.camel.yaml): STARTED, COMPLETED, DISCONTINUED. */
    public static final String WORKLIST_TOPIC = "orderly.worklist.events";

    private static final Logger LOG = LoggerFactory.getLogger(MppsEventRelay.class);
    private static final long IDLE_MS = 500;
    private static final int BATCH = 100;

    private final MppsStore store;
    private final ConnectionFactory connectionFactory;
    private final WakeSignal signal = new WakeSignal();
    private final Thread thread;
    private volatile boolean running = true;
    private Connection connection;
    private Session session;
    private MessageProducer producer;
    private jakarta.jms.Destination topic;
    private jakarta.jms.Destination risQueue;
    private jakarta.jms.Destination forwardQueue;
    private jakarta.jms.Destination worklistTopic;

    public MppsEventRelay(MppsStore store, ConnectionFactory connectionFactory) {
        this.store = store;
        this.connectionFactory = connectionFactory;
        this.thread = new Thread(this::run, "mpps-event-relay");
        this.thread.setDaemon(true);
    }

    public MppsEventRelay start() {
        thread.start();
        return this;
    }

    /** An event was committed: publish now. */
    public void wake() {
        signal.wake();
    }

    private void run() {
        while (running) {
            boolean more = false;
            try {
                more = relayBatch();
            } catch (SQLException | JMSException | RuntimeException e) {
                LOG.warn("mpps: relay to JMS failed, retrying: {}", e.toString());
                closeJms();
            }
            if (more) {
                continue;
            }
            try {
                signal.await(running ? IDLE_MS : 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Publishes one batch; true if there may be more. */
    boolean relayBatch() throws SQLException, JMSException {
        List<MppsEvent> events = store.unpublished(BATCH);
        if (events.isEmpty()) {
            return false;
        }
        openJms();
        List<Long> ids = new ArrayList<>(events.size());
        for (MppsEvent e : events) {
            BytesMessage m = session.createBytesMessage();
            m.writeBytes(DatasetCodec.encode(e.attributes(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            m.setLongProperty(RisOutbox.EVENT_ID, e.id());
            m.setStringProperty("orderlyMppsUid", e.mppsUid());
            m.setStringProperty("orderlyMppsOperation", e.operation());
            m.setStringProperty("orderlyMppsStatus", e.status().term());
            m.setStringProperty("orderlyMppsPreviousStatus", e.previousStatus() == null ? "" : e.previousStatus().term());
            m.setStringProperty("orderlyCallingAe", e.callingAe());
            m.setStringProperty("JMSXGroupID", e.mppsUid());
            producer.send(topic, m);
            producer.send(risQueue, m);
            producer.send(forwardQueue, m);
            publishWorklistEvents(e);
            ids.add(e.id());
        }
        session.commit();
        store.markPublished(ids);
        return events.size() == BATCH;
    }

    /**
     * One message per worklist step the MPPS performs, when the event changed the status (headers only, no PHI, empty
     * body): {@code orderlyEvent} = the step's new SPS status (PS3.3 §C.4.10; the state table in docs/mpps.md),
     * {@code orderlySpsId}, {@code orderlyStationAe}, {@code orderlyMppsUid}. An unscheduled MPPS changes no step.
     */
    private void publishWorklistEvents(MppsEvent e) throws SQLException, JMSException {
        if (!e.changesStatus()) {
            return;
        }
        for (MppsStore.LinkedStep step : store.linkedSteps(e.mppsUid())) {
            jakarta.jms.Message w = session.createMessage();
            w.setStringProperty("orderlyEvent", e.status().spsStatus().name());
            w.setStringProperty("orderlySpsId", step.spsId() == null ? "" : step.spsId());
            w.setStringProperty("orderlyStationAe", step.stationAe() == null ? "" : step.stationAe());
            w.setStringProperty("orderlyMppsUid", e.mppsUid());
            producer.send(worklistTopic, w);
        }
    }

    private void openJms() throws JMSException {
        if (session != null) {
            return;
        }
        connection = connectionFactory.createConnection();
        session = connection.createSession(true, Session.SESSION_TRANSACTED);
        producer = session.createProducer(null);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        topic = session.createTopic(TOPIC);
        risQueue = session.createQueue(RIS_QUEUE);
        forwardQueue = session.createQueue(FORWARD_QUEUE);
        worklistTopic = session.createTopic(WORKLIST_TOPIC);
    }

    private void closeJms() {
        if (connection != null) {
            try {
                connection.close();
            } catch (JMSException e) {
                // closing anyway
            }
        }
        connection = null;
        session = null;
        producer = null;
    }

    @Override
    public void close() {
        running = false;
        wake();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeJms();
    }
}
