package org.orderly.broker.mpps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import org.orderly.broker.hl7.AckSummary;
import org.orderly.broker.hl7.MllpClient;
import org.orderly.mpps.images.ImageArrivalCheck;
import org.orderly.mpps.store.MppsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the {@link RisOutboundQueue} to the RIS over MLLP, one thread, one connection kept open.
 *
 * <p>Per round: the head of each order (see {@link RisOutboundQueue}) that is due is sent and its ACK checked
 * (MSA-1 AA or CA and MSA-2 = our MSH-10). Accepted: marked ACKED at once (committed) - only then is the next
 * message sent. AE, AR, CE, CR, a wrong MSA-2, no answer within {@code ack-timeout} and connection errors are a
 * failed attempt: retried after a backoff ({@code backoff-initial-ms} doubled per failure up to
 * {@code backoff-max-ms}); at {@code max-attempts} the message is DEAD - the dead-letter queue an admin sees at
 * {@code GET /api/mpps/dlq} and retries with {@code POST /api/mpps/dlq/retry}; its order waits behind it. When
 * the RIS cannot be reached, every due head of the round counts the same failed attempt (they would all fail).
 *
 * <p>Held messages (WAITING_IMAGES) are released when {@link ImageArrivalCheck} finds every referenced instance,
 * or at their deadline according to {@code hold-timeout-action}.
 *
 * <p>Wakes on {@link #wake()} (a message was queued) or after at most {@value #IDLE_MS} ms.
 */
public final class RisDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RisDispatcher.class);
    static final long IDLE_MS = 500;
    private static final int BATCH = 200;

    private final RisOutboundQueue queue;
    private final RisSettings settings;
    private final MppsStore store;
    private final ImageArrivalCheck images;
    private final WakeSignal signal = new WakeSignal();
    private final Thread thread;
    private volatile boolean running = true;
    private MllpClient connection;

    public RisDispatcher(RisOutboundQueue queue, RisSettings settings, MppsStore store, ImageArrivalCheck images) {
        this.queue = queue;
        this.settings = settings;
        this.store = store;
        this.images = images;
        this.thread = new Thread(this::run, "mpps-ris-dispatcher");
        this.thread.setDaemon(true);
    }

    public RisDispatcher start() {
        thread.start();
        LOG.info("ris: status messages go to {}:{} (max {} attempts, backoff {}..{} ms, ack timeout {} ms{})",
                settings.host(), settings.port(), settings.maxAttempts(), settings.backoffInitial().toMillis(),
                settings.backoffMax().toMillis(), settings.ackTimeout().toMillis(),
                settings.holdForImages() ? ", COMPLETED held for images up to " + settings.holdTimeout().toSeconds()
                        + " s then " + settings.holdAction() : "");
        return this;
    }

    /** Something was queued or released: run a round now. */
    public void wake() {
        signal.wake();
    }

    private void run() {
        while (running) {
            long nextDue;
            try {
                nextDue = round();
            } catch (SQLException | RuntimeException e) {
                LOG.warn("ris: dispatcher round failed: {}", e.toString());
                nextDue = System.currentTimeMillis() + IDLE_MS;
            }
            long wait = Math.max(0, Math.min(IDLE_MS, nextDue - System.currentTimeMillis()));
            try {
                signal.await(running ? wait : 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One pass over the due heads; returns when the next message is due (epoch ms). */
    long round() throws SQLException {
        long nextDue = Long.MAX_VALUE;
        boolean progress = true;
        while (progress && running) {
            progress = false;
            List<RisOutboundQueue.Row> heads = queue.heads(BATCH);
            boolean risDown = false;
            for (RisOutboundQueue.Row r : heads) {
                if (!running) {
                    break;
                }
                long now = System.currentTimeMillis();
                if (r.state() == RisOutboundQueue.State.WAITING_IMAGES) {
                    if (!released(r, now)) {
                        nextDue = Math.min(nextDue, now + IDLE_MS);
                        continue;
                    }
                    progress = true; // released or dead: look at the order again
                    continue;
                }
                if (r.nextAttemptAt() > now) {
                    nextDue = Math.min(nextDue, r.nextAttemptAt());
                    continue;
                }
                if (risDown) {
                    nextDue = Math.min(nextDue, fail(r, "RIS unreachable in this round"));
                    continue;
                }
                String error = send(r);
                if (error == null) {
                    queue.markAcked(r.id());
                    progress = true; // the order's next message may go now
                } else {
                    risDown = connection == null;
                    nextDue = Math.min(nextDue, fail(r, error));
                }
            }
        }
        return nextDue;
    }

    /** WAITING_IMAGES: true when the message left that state (images here, or deadline action taken). */
    private boolean released(RisOutboundQueue.Row r, long now) throws SQLException {
        List<String> refs = store.get(r.mppsUid()).map(m -> MppsStore.referencedInstances(m.attributes()))
                .orElse(List.of());
        if (images.missing(refs) == 0) {
            queue.release(r.id());
            LOG.info("ris: {} released, all {} referenced instances received", r.msh10(), refs.size());
            return true;
        }
        if (r.holdUntil() != null && now >= r.holdUntil()) {
            if (settings.holdAction() == RisSettings.HoldAction.SEND) {
                queue.release(r.id());
                LOG.warn("ris: {} sent without all images: hold timeout ({} s) for MPPS {}", r.msh10(),
                        settings.holdTimeout().toSeconds(), r.mppsUid());
            } else {
                queue.markDead(r.id(), "images not received within " + settings.holdTimeout().toSeconds() + " s");
                LOG.warn("ris: {} dead-lettered: images not received within {} s for MPPS {}", r.msh10(),
                        settings.holdTimeout().toSeconds(), r.mppsUid());
            }
            return true;
        }
        return false;
    }

    private long fail(RisOutboundQueue.Row r, String error) throws SQLException {
        long next = System.currentTimeMillis() + settings.backoffMillis(r.attempts() + 1);
        RisOutboundQueue.State s = queue.markFailed(r, error, settings.maxAttempts(), next);
        if (s == RisOutboundQueue.State.DEAD) {
            LOG.warn("ris: {} for MPPS {} dead-lettered after {} attempts: {}", r.msh10(), r.mppsUid(),
                    r.attempts() + 1, error);
            return Long.MAX_VALUE;
        }
        LOG.info("ris: {} attempt {} failed ({}), next in {} ms", r.msh10(), r.attempts() + 1, error,
                next - System.currentTimeMillis());
        return next;
    }

    /** Sends one message and checks the ACK; null = accepted, else the reason. */
    private String send(RisOutboundQueue.Row r) {
        try {
            if (connection == null) {
                int t = (int) settings.ackTimeout().toMillis();
                connection = new MllpClient(settings.host(), settings.port(), t, t);
            }
            byte[] ack = connection.exchange(r.message().getBytes(StandardCharsets.ISO_8859_1));
            AckSummary a = AckSummary.parse(new String(ack, StandardCharsets.ISO_8859_1));
            if (!r.msh10().equals(a.controlId())) {
                closeConnection(); // out of step with the peer: start afresh
                return "ACK MSA-2 '" + a.controlId() + "' does not name " + r.msh10();
            }
            if (a.accepted()) {
                LOG.info("ris: {} {} acknowledged {}", r.messageType(), r.msh10(), a.code());
                return null;
            }
            return "RIS answered " + a.line();
        } catch (IOException e) {
            closeConnection();
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException e) {
                // closing anyway
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        running = false;
        wake();
        try {
            thread.join(settings.ackTimeout().toMillis() + 2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection();
    }
}
