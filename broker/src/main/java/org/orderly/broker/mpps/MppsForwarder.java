package org.orderly.broker.mpps;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.io.DatasetCodec;
import org.orderly.dicom.io.TransferSyntax;
import org.orderly.dicom.net.AeAddress;
import org.orderly.dicom.net.DicomClient;
import org.orderly.dicom.net.DimseResponse;
import org.orderly.dicom.net.dimse.Status;
import org.orderly.mpps.store.MppsEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bean of routes/mpps-forward.camel.yaml: forwards one MPPS N-CREATE or N-SET to another MPPS SCP (IHE RAD TF-2
 * RAD-20 / RAD-21, the Performed Procedure Step Manager forwarding Modality PPS In Progress / Completed), as Orderly's
 * AE title, with the attribute list as the modality sent it.
 *
 * <p>Never a reason to refuse the modality: it runs from a JMS queue long after the modality was answered. Kept and
 * retried until delivered: a connection failure, a rejected association, no response or a resource status (A7xx,
 * 0213) is retried here with backoff (1 s doubling to 60 s) on the route's single consumer, so the order of
 * N-CREATE and N-SET to a destination is kept; at broker shutdown the exchange fails, the JMS transaction rolls back
 * and the message is delivered again after the restart. A final answer ends it: Success; 0111 on N-CREATE (it was
 * delivered before a restart) counts as delivered; any other failure status is logged (WARN) and not retried - the
 * destination has decided.
 *
 * <p>One association per destination, kept open between messages and reused (re-opened after a failure or
 * {@value #IDLE_SECONDS} s idle), so a burst of events costs one A-ASSOCIATE, not one per message.
 *
 * <p>Loops: an event that came from the destination's own AE title is not sent back to it.
 */
public final class MppsForwarder {

    public static final String BEAN_NAME = "mppsForwarder";
    private static final Logger LOG = LoggerFactory.getLogger(MppsForwarder.class);
    private static final long MAX_BACKOFF_MS = 60_000;

    private final String callingAe;
    private final Duration timeout;
    private static final int IDLE_SECONDS = 30;
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(IDLE_SECONDS);

    private volatile boolean running = true;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Map<String, Link> links = new ConcurrentHashMap<>();

    public MppsForwarder(String callingAe, Duration timeout) {
        this.callingAe = callingAe;
        this.timeout = timeout;
    }

    /** Route entry point: {@code forward(*, 'PACS@10.0.0.5:104')}. */
    public void forward(Exchange exchange, String destination) throws Exception {
        AeAddress to = AeAddress.parse(destination);
        String op = exchange.getMessage().getHeader("orderlyMppsOperation", String.class);
        String iuid = exchange.getMessage().getHeader("orderlyMppsUid", String.class);
        String from = exchange.getMessage().getHeader("orderlyCallingAe", String.class);
        if (from != null && from.strip().equals(to.aeTitle())) {
            LOG.info("mpps-forward: {} {} came from {}: not sent back", op, iuid, from);
            return;
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        Attributes attrs = DatasetCodec.decode(body, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        long backoff = 1_000;
        for (int attempt = 1; ; attempt++) {
            String problem;
            try {
                Status s = send(to, op, iuid, attrs);
                if (s.isSuccess() || s.isWarning()) {
                    LOG.info("mpps-forward: {} {} -> {} {}", op, iuid, to, s);
                    return;
                }
                if (MppsEvent.N_CREATE.equals(op) && s.code() == Status.DUPLICATE_SOP_INSTANCE.code()) {
                    LOG.info("mpps-forward: {} {} -> {} exists already (delivered before): done", op, iuid, to);
                    return;
                }
                if (s.code() != Status.RESOURCE_LIMITATION.code() && (s.code() & 0xFF00) != 0xA700) {
                    LOG.warn("mpps-forward: {} {} refused by {}: {} - not retried", op, iuid, to, s);
                    return;
                }
                problem = s.toString();
            } catch (IOException e) {
                problem = e.toString();
            }
            if (!running) {
                throw new IOException("stopping; " + op + " " + iuid + " to " + to + " stays queued: " + problem);
            }
            LOG.warn("mpps-forward: {} {} -> {} attempt {} failed ({}), retry in {} ms", op, iuid, to, attempt,
                    problem, backoff);
            sleep(backoff);
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
    }

    /**
     * Sends on the destination's open association, opening one if there is none. A failure on a reused association
     * (the peer may have closed it while idle) is retried at once on a fresh one before it counts as a failed
     * attempt.
     */
    private Status send(AeAddress to, String op, String iuid, Attributes attrs) throws IOException {
        Link link = links.computeIfAbsent(to.toString(), k -> new Link());
        synchronized (link) {
            boolean reused = link.client != null && System.nanoTime() - link.lastUsed < IDLE_NANOS;
            if (link.client != null && !reused) {
                link.close(); // idle for long: the peer may be about to time it out; start afresh
            }
            try {
                return link.send(this, to, op, iuid, attrs);
            } catch (IOException e) {
                link.close();
                if (!reused) {
                    throw e;
                }
                return link.send(this, to, op, iuid, attrs);
            }
        }
    }

    /** One destination's association, kept open between messages (closed after {@value #IDLE_SECONDS} s idle). */
    private static final class Link {
        DicomClient client;
        long lastUsed;

        Status send(MppsForwarder f, AeAddress to, String op, String iuid, Attributes attrs) throws IOException {
            if (client == null) {
                client = DicomClient.to(to).callingAe(f.callingAe).responseTimeout(f.timeout)
                        .context(UID.ModalityPerformedProcedureStep).connect();
            }
            DimseResponse r = MppsEvent.N_CREATE.equals(op)
                    ? client.nCreate(UID.ModalityPerformedProcedureStep, iuid, attrs)
                    : client.nSet(UID.ModalityPerformedProcedureStep, iuid, attrs);
            lastUsed = System.nanoTime();
            return r.status();
        }

        void close() {
            if (client != null) {
                client.close(); // A-RELEASE, or A-ABORT if that fails
                client = null;
            }
        }
    }

    private void sleep(long ms) throws IOException {
        try {
            stopped.await(ms, TimeUnit.MILLISECONDS); // returns at once when the broker stops
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /** Broker shutdown: retry loops end, their messages stay in JMS. */
    public void stop() {
        running = false;
        stopped.countDown();
        for (Link l : links.values()) {
            synchronized (l) {
                l.close();
            }
        }
    }
}
