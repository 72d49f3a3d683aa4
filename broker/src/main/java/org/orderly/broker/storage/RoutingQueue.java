package org.orderly.broker.storage;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.orderly.camel.dicom.DicomConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts durable spool objects on the routing queue {@value StorageService#RECEIVED_QUEUE} OFF the C-STORE path: the SCP
 * hands the object over (a bounded in-memory queue of {@value #CAPACITY}) and answers; one thread sends whatever has
 * accumulated in ONE transacted JMS session commit.
 *
 * <p>The routing queue is derived state, so its messages are NON-persistent (no journal record for the message nor
 * for its acknowledgement): the object is in {@code spool/objects/} until its routing completed and its destination
 * messages are in the journal, and at start-up, before anything consumes the queue, {@link #start} drains what an
 * earlier version left in it and the spool's recovery scan puts every object still in {@code objects/} on it again.
 * So an object answered Success whose message was lost (crash, or a full hand-over queue) is routed.
 */
final class RoutingQueue implements StorageScp.Router, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingQueue.class);
    static final int CAPACITY = 10_000;
    private static final int BATCH = 500;
    private static final long OFFER_TIMEOUT_SECONDS = 30;

    private final ConnectionFactory cf;
    private final BlockingQueue<SpooledObject> pending = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread thread = new Thread(this::run, "orderly-routing-queue");
    private volatile boolean running = true;
    private Connection connection;

    RoutingQueue(ConnectionFactory cf) {
        this.cf = cf;
    }

    /** Empties the routing queue (nothing consumes it yet) and starts the sender; returns the messages dropped. */
    int start() throws JMSException {
        connection = cf.createConnection();
        connection.start();
        int drained = 0;
        try (Session s = connection.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer c = s.createConsumer(s.createQueue(StorageService.RECEIVED_QUEUE))) {
            while (c.receive(100) != null) {
                drained++;
            }
            s.commit();
        }
        thread.setDaemon(true);
        thread.start();
        return drained;
    }

    /** Hands a durable object over; blocks (bounded) only when {@value #CAPACITY} objects wait already. */
    @Override
    public void enqueue(SpooledObject o) throws Exception {
        if (!pending.offer(o, OFFER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("routing hand-over queue full (" + CAPACITY + ") for "
                    + OFFER_TIMEOUT_SECONDS + " s");
        }
    }

    private void run() {
        List<SpooledObject> batch = new ArrayList<>(BATCH);
        Session session = null;
        MessageProducer producer = null;
        while (running || !pending.isEmpty()) {
            try {
                SpooledObject first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, BATCH - 1);
                if (session == null) {
                    session = connection.createSession(true, Session.SESSION_TRANSACTED);
                    producer = session.createProducer(session.createQueue(StorageService.RECEIVED_QUEUE));
                    producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
                }
                for (SpooledObject o : batch) {
                    producer.send(message(session, o));
                }
                session.commit();
            } catch (InterruptedException e) {
                return;
            } catch (JMSException | RuntimeException e) {
                // the objects stay in objects/: the start-up scan routes them
                LOG.error("storage: {} object(s) not queued for routing ({}); routed at the next start", batch.size(),
                        e.toString());
                session = closeQuietly(session);
            }
            batch.clear();
        }
        closeQuietly(session);
    }

    private static Message message(Session s, SpooledObject o) throws JMSException {
        TextMessage m = s.createTextMessage(o.file().toString());
        // Camel headers are case-insensitive: DicomSOPInstanceUID (keyword) and DicomSopInstanceUID (documented) are
        // one header; the documented name, put last by DatasetHeaders, is the one that stays
        Map<String, Object> properties = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, Object> h : o.headers().entrySet()) {
            properties.remove(h.getKey());
            properties.put(h.getKey(), h.getValue());
        }
        for (Map.Entry<String, Object> p : properties.entrySet()) {
            m.setObjectProperty(p.getKey(), p.getValue());
        }
        m.setStringProperty(DicomConstants.OBJECT_ID, o.id());
        // one routing consumer at a time per study: its objects reach the destination queues in arrival order
        Object study = o.headers().get(DicomConstants.STUDY_INSTANCE_UID);
        m.setStringProperty("JMSXGroupID", study != null ? study.toString() : o.sopInstanceUid());
        return m;
    }

    private static Session closeQuietly(Session s) {
        if (s != null) {
            try {
                s.close();
            } catch (JMSException e) {
                // closing after a failure
            }
        }
        return null;
    }

    /** Sends what was handed over, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (connection != null) {
            try {
                connection.close();
            } catch (JMSException e) {
                // stopping
            }
        }
    }
}
