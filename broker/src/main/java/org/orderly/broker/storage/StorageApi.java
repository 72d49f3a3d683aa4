package org.orderly.broker.storage;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.Collections;
import java.util.function.Supplier;
import org.orderly.broker.http.HttpAdminListener;
import org.orderly.camel.dicom.DicomConstants;
import org.orderly.dicom.net.AeAddress;

/**
 * Admin API of the dead-letter queue {@value DeliveryQueues#DLQ}:
 * <ul>
 *   <li>{@code GET /api/storage/dlq}: the objects there (identifiers, destination, attempts, last error; stage
 *       {@code routing} for a message the routing route failed on, {@code delivery} for a destination that failed).</li>
 *   <li>{@code POST /api/storage/dlq/retry}: puts every one back on its destination's queue (attempts start again);
 *       answers {@code {"retried": n}}.</li>
 * </ul>
 */
public final class StorageApi implements HttpAdminListener.Api {
    public static final String PREFIX = "/api/storage/";
    private final Supplier<StorageService> storage;

    public StorageApi(Supplier<StorageService> storage) {
        this.storage = storage;
    }

    @Override
    public HttpAdminListener.Response handle(String method, String path, String query) throws Exception {
        StorageService s = storage.get();
        if (s == null || s.connectionFactory() == null) {
            return new HttpAdminListener.Response(503, "{\"error\":\"storage not started\"}");
        }
        if ("GET".equals(method) && path.equals(PREFIX + "dlq")) {
            return new HttpAdminListener.Response(200, list(s));
        }
        if ("POST".equals(method) && path.equals(PREFIX + "dlq/retry")) {
            return new HttpAdminListener.Response(200, "{\"retried\":" + retry(s) + "}");
        }
        return new HttpAdminListener.Response(404, "{\"error\":\"no such storage API: " + method + " " + path + "\"}");
    }

    private static String list(StorageService s) throws JMSException {
        StringBuilder json = new StringBuilder("[");
        try (Connection c = s.connectionFactory().createConnection()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            c.start();
            QueueBrowser b = session.createBrowser(session.createQueue(DeliveryQueues.DLQ));
            for (Object o : Collections.list(b.getEnumeration())) {
                Message m = (Message) o;
                if (json.length() > 1) {
                    json.append(',');
                }
                json.append("{\"id\":").append(q(m.getJMSMessageID()))
                        .append(",\"destination\":").append(q(m.getStringProperty(DicomConstants.DESTINATION)))
                        .append(",\"stage\":").append(q(m.propertyExists(DeliveryQueues.DELIVERY_QUEUE_HEADER)
                                ? "delivery" : "routing"))
                        .append(",\"sopInstanceUid\":").append(q(m.getStringProperty(DicomConstants.SOP_INSTANCE_UID)))
                        .append(",\"studyInstanceUid\":").append(q(m.getStringProperty(DicomConstants.STUDY_INSTANCE_UID)))
                        .append(",\"attempts\":").append(m.propertyExists(DeliveryQueues.ATTEMPTS_HEADER)
                                ? m.getObjectProperty(DeliveryQueues.ATTEMPTS_HEADER) : 0)
                        .append(",\"lastError\":").append(q(m.getStringProperty(DeliveryQueues.LAST_ERROR_HEADER)))
                        .append('}');
            }
        }
        return json.append(']').toString();
    }

    private static int retry(StorageService s) throws Exception {
        int n = 0;
        try (Connection c = s.connectionFactory().createConnection()) {
            Session session = c.createSession(true, Session.SESSION_TRANSACTED);
            c.start();
            // only messages it can put back: anything else stays in the queue (a commit would drop what it consumed)
            MessageConsumer consumer = session.createConsumer(session.createQueue(DeliveryQueues.DLQ),
                    "(" + DeliveryQueues.DELIVERY_QUEUE_HEADER + " IS NOT NULL AND " + DicomConstants.DESTINATION
                            + " IS NOT NULL) OR _AMQ_ORIG_ADDRESS = '" + StorageService.RECEIVED_QUEUE + "'");
            for (Message m; (m = consumer.receive(200)) != null; ) {
                String target = m.getStringProperty(DeliveryQueues.DELIVERY_QUEUE_HEADER);
                String dest = m.getStringProperty(DicomConstants.DESTINATION);
                if (target == null && StorageService.RECEIVED_QUEUE.equals(originalAddress(m))) {
                    target = StorageService.RECEIVED_QUEUE; // a routing failure: route it again
                } else if (target == null || dest == null) {
                    target = null;
                }
                if (target == null || !(m instanceof TextMessage text)) {
                    continue; // not ours: consumed and dropped would lose it, so keep it - roll back below
                }
                if (dest != null) {
                    s.queues().ensureRoute(AeAddress.parse(dest));
                }
                Queue queue = session.createQueue(target);
                TextMessage copy = session.createTextMessage(text.getText());
                for (Object name : Collections.list(m.getPropertyNames())) {
                    String k = (String) name;
                    if (!k.startsWith("JMS") && !k.startsWith("_")) {
                        copy.setObjectProperty(k, m.getObjectProperty(k));
                    }
                }
                String study = m.getStringProperty(DicomConstants.STUDY_INSTANCE_UID);
                if (study != null) {
                    copy.setStringProperty("JMSXGroupID", study);
                }
                session.createProducer(queue).send(copy);
                n++;
            }
            session.commit();
        }
        return n;
    }

    /** The address a message was dead-lettered from (Artemis sets {@code _AMQ_ORIG_ADDRESS}). */
    static String originalAddress(Message m) throws JMSException {
        return m.propertyExists("_AMQ_ORIG_ADDRESS") ? m.getStringProperty("_AMQ_ORIG_ADDRESS") : null;
    }

    private static String q(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
