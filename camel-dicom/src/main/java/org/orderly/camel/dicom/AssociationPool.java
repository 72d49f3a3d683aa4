package org.orderly.camel.dicom;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.orderly.dicom.net.AeAddress;
import org.orderly.dicom.net.DicomClient;
import org.orderly.dicom.net.NoPresentationContextException;
import org.orderly.dicom.net.acse.AssociationSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Associations to one destination, reused from object to object instead of one per object (an association costs two
 * round trips and a TCP connection; PS3.8 §7.1).
 *
 * <ul>
 *   <li>Bounded: at most {@code max} associations, each used by one sender at a time (the C-STOREs of one sender
 *       stay in order). A sender beyond the bound waits for a free one.</li>
 *   <li>Presentation contexts: an association proposes each (SOP class, transfer syntax) pair this destination has
 *       been sent recently, one transfer syntax per context, so the original transfer syntax is accepted as it is or
 *       refused (PS3.8 §9.3.2.2; no transcoding). An object whose pair the idle associations lack gets a new
 *       association proposing it too (the pairs are capped at {@value #MAX_CONTEXTS}; PS3.8 §9.3.2.2 allows 128).
 *       That association replaces the idle ones: they are released before it is requested, since it proposes every
 *       pair they did. So at most {@code max} associations are open at any time, and a destination that serves one
 *       association at a time (dcmtk storescp without {@code --fork}, many PACS per calling AE) is never asked for a
 *       second one while our idle first one holds it.</li>
 *   <li>A refused transfer syntax ({@link NoPresentationContextException}) leaves the association healthy: it goes
 *       back to the pool, and the caller decides (the broker dead-letters the object).</li>
 *   <li>Idle close: an association unused for {@code idleTimeout} is released (A-RELEASE).</li>
 *   <li>Failures: an association that failed (I/O error, abort, response timeout) is aborted and never reused.</li>
 * </ul>
 */
public final class AssociationPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AssociationPool.class);
    static final int MAX_CONTEXTS = 64;
    private static final ScheduledExecutorService REAPER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dicom-pool-reaper");
        t.setDaemon(true);
        return t;
    });

    /** A pooled association and when it was last returned. */
    private record Pooled(DicomClient client, long lastUsedNanos) {
    }

    /** One operation on a borrowed association. */
    @FunctionalInterface
    public interface Operation<T> {
        T apply(DicomClient client) throws IOException;
    }

    private final AeAddress destination;
    private final String callingAe;
    private final Semaphore permits;
    private final Duration idleTimeout;
    private final Duration responseTimeout;
    private final Duration connectTimeout;
    private final Deque<Pooled> idle = new ArrayDeque<>();
    private final LinkedHashSet<List<String>> contexts = new LinkedHashSet<>();
    private final ScheduledFuture<?> reaper;
    private volatile boolean closed;

    public AssociationPool(AeAddress destination, String callingAe, int max, Duration idleTimeout,
            Duration responseTimeout, Duration connectTimeout) {
        this.destination = destination;
        this.callingAe = callingAe;
        this.permits = new Semaphore(max, true);
        this.idleTimeout = idleTimeout;
        this.responseTimeout = responseTimeout;
        this.connectTimeout = connectTimeout;
        long period = Math.max(100, idleTimeout.toMillis() / 2);
        this.reaper = REAPER.scheduleWithFixedDelay(this::closeIdle, period, period, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code op} on an association that accepted {@code sopClassUid} with {@code transferSyntaxUid}. */
    public <T> T execute(String sopClassUid, String transferSyntaxUid, Operation<T> op) throws IOException {
        if (closed) {
            throw new IOException("association pool to " + destination + " is closed");
        }
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting for an association to " + destination);
        }
        DicomClient client = null;
        try {
            client = borrow(sopClassUid, transferSyntaxUid);
            T result;
            try {
                result = op.apply(client);
            } catch (NoPresentationContextException e) {
                giveBack(client); // nothing was sent: the association is as good as before
                client = null;
                throw e;
            }
            giveBack(client);
            client = null;
            return result;
        } finally {
            if (client != null) {
                client.abort(); // failed: never reused
            }
            permits.release();
        }
    }

    private DicomClient borrow(String cuid, String ts) throws IOException {
        List<String> pair = List.of(cuid, ts);
        List<DicomClient> superseded = new java.util.ArrayList<>();
        synchronized (this) {
            for (Iterator<Pooled> it = idle.iterator(); it.hasNext(); ) {
                Pooled p = it.next();
                if (!p.client().association().isEstablished()) {
                    it.remove();
                    continue;
                }
                if (p.client().accepted(cuid, ts) || contexts.contains(pair) && proposed(p.client(), cuid, ts)) {
                    it.remove();
                    return p.client(); // proposed and refused: store() fails with NoPresentationContextException
                }
            }
            contexts.remove(pair);
            contexts.add(pair); // most recent last
            while (contexts.size() > MAX_CONTEXTS) {
                contexts.remove(contexts.iterator().next());
            }
            // none can carry the pair: the new association (proposing every recent pair) replaces them
            idle.forEach(p -> superseded.add(p.client()));
            idle.clear();
        }
        if (!superseded.isEmpty()) {
            LOG.debug("{} idle association(s) to {} released: none accepted {} with {}; opening one proposing it",
                    superseded.size(), destination, cuid, ts);
            superseded.forEach(DicomClient::close); // A-RELEASE first: the destination may serve one at a time
        }
        return open();
    }

    private static boolean proposed(DicomClient c, String cuid, String ts) {
        return c.association().associateRq().presentationContexts().stream()
                .anyMatch(pc -> pc.abstractSyntax().equals(cuid) && pc.transferSyntaxes().contains(ts));
    }

    private DicomClient open() throws IOException {
        List<List<String>> propose;
        synchronized (this) {
            propose = List.copyOf(contexts);
        }
        DicomClient.Builder b = DicomClient.to(destination).callingAe(callingAe).responseTimeout(responseTimeout)
                .settings(AssociationSettings.builder().connectTimeout(connectTimeout).build());
        for (List<String> pc : propose) {
            b.context(pc.get(0), pc.get(1));
        }
        DicomClient c = b.connect();
        LOG.debug("{} opened to {} with {} presentation contexts", c.association().name(), destination, propose.size());
        return c;
    }

    private void giveBack(DicomClient c) {
        synchronized (this) {
            if (!closed && c.association().isEstablished()) {
                idle.addFirst(new Pooled(c, System.nanoTime())); // LIFO: the warm one is reused, the cold ones age out
                return;
            }
        }
        c.close();
    }

    /** Releases associations idle for longer than the idle timeout. */
    void closeIdle() {
        long limit = System.nanoTime() - idleTimeout.toNanos();
        java.util.List<DicomClient> stale = new java.util.ArrayList<>();
        synchronized (this) {
            for (Iterator<Pooled> it = idle.iterator(); it.hasNext(); ) {
                Pooled p = it.next();
                if (p.lastUsedNanos() < limit || !p.client().association().isEstablished()) {
                    it.remove();
                    stale.add(p.client());
                }
            }
        }
        stale.forEach(DicomClient::close);
    }

    /** Associations open and idle now (for tests and health). */
    public synchronized int idleCount() {
        return idle.size();
    }

    @Override
    public void close() {
        closed = true;
        reaper.cancel(false);
        java.util.List<DicomClient> all;
        synchronized (this) {
            all = idle.stream().map(Pooled::client).toList();
            idle.clear();
        }
        all.forEach(DicomClient::close);
    }
}
