package org.orderly.dicom.net.acse;

import java.io.Closeable;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.orderly.dicom.net.pdu.AssociateRj;
import org.orderly.dicom.net.pdu.Pdu;
import org.orderly.dicom.net.pdu.PduDecoder;
import org.orderly.dicom.net.pdu.PduType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts transport connections on a {@link ServerSocket} and serves each as an acceptor {@link Association} on a
 * bounded pool: at most {@code maxAssociations} at a time (one reader thread each). A connection beyond the cap is
 * answered A-ASSOCIATE-RJ 2/3/2 (rejected-transient, service-provider presentation, local-limit-exceeded,
 * PS3.8 Table 9-21) by a small separate pool, then closed. {@link #shutdown} stops accepting, lets associations in
 * progress finish up to a grace period, then aborts the rest.
 */
public final class AssociationAcceptor implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(AssociationAcceptor.class);
    public static final int DEFAULT_MAX_ASSOCIATIONS = 200;

    private final AssociationSettings settings;
    private final AssociationNegotiator negotiator;
    private final DimseMessageHandler handler;
    private final int maxAssociations;
    private final Semaphore permits;
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor rejector;
    private final Set<Association> active = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket serverSocket;
    private volatile Thread acceptThread;

    public AssociationAcceptor(AssociationSettings settings, AssociationNegotiator negotiator,
            DimseMessageHandler handler) {
        this(settings, negotiator, handler, DEFAULT_MAX_ASSOCIATIONS);
    }

    /**
     * @param handler receives the messages of every association (it is given the {@link Association}); use one
     *                dispatcher per server
     */
    public AssociationAcceptor(AssociationSettings settings, AssociationNegotiator negotiator,
            DimseMessageHandler handler, int maxAssociations) {
        if (maxAssociations < 1) {
            throw new IllegalArgumentException("maxAssociations must be >= 1");
        }
        this.settings = Objects.requireNonNull(settings);
        this.negotiator = Objects.requireNonNull(negotiator);
        this.handler = Objects.requireNonNull(handler);
        this.maxAssociations = maxAssociations;
        this.permits = new Semaphore(maxAssociations);
        // the semaphore bounds the queue: at most maxAssociations tasks exist at any time
        this.workers = new ThreadPoolExecutor(maxAssociations, maxAssociations, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads("orderly-assoc"));
        this.workers.allowCoreThreadTimeOut(true);
        this.rejector = new ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(32),
                threads("orderly-reject"), (r, e) -> {
                    if (r instanceof RejectTask t) {
                        closeQuietly(t.socket);
                    }
                });
    }

    /** Starts accepting on a bound server socket (e.g. {@code new ServerSocket(0, 50, loopback)}). */
    public synchronized void start(ServerSocket server) {
        if (serverSocket != null) {
            throw new IllegalStateException("already started");
        }
        serverSocket = server;
        Thread t = new Thread(this::acceptLoop, "orderly-accept-" + server.getLocalPort());
        t.setDaemon(true);
        acceptThread = t;
        t.start();
        LOG.info("{} accepting associations on {} (max {})", settings.aeTitle(), server.getLocalSocketAddress(),
                maxAssociations);
    }

    public int localPort() {
        return serverSocket.getLocalPort();
    }

    /** Associations being served right now. */
    public int activeAssociations() {
        return maxAssociations - permits.availablePermits();
    }

    private void acceptLoop() {
        ServerSocket server = serverSocket;
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("{} accept failed: {}", settings.aeTitle(), e.toString());
                }
                continue;
            }
            if (permits.tryAcquire()) {
                try {
                    workers.execute(() -> serve(s));
                } catch (RejectedExecutionException e) {
                    permits.release();
                    closeQuietly(s);
                }
            } else {
                LOG.warn("{} rejecting connection from {}: limit of {} associations reached; A-ASSOCIATE-RJ 2/3/2",
                        settings.aeTitle(), s.getRemoteSocketAddress(), maxAssociations);
                try {
                    rejector.execute(new RejectTask(s));
                } catch (RejectedExecutionException e) {
                    closeQuietly(s);
                }
            }
        }
    }

    private void serve(Socket s) {
        try {
            Association as = Association.create(s, settings, negotiator, handler);
            active.add(as);
            try {
                as.run();
            } finally {
                active.remove(as);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} association from {} failed: {}", settings.aeTitle(), s.getRemoteSocketAddress(), e.toString());
            closeQuietly(s);
        } finally {
            permits.release();
        }
    }

    /** Reads the A-ASSOCIATE-RQ (bounded time and size) and answers local-limit-exceeded. */
    private final class RejectTask implements Runnable {
        private final Socket socket;

        RejectTask(Socket socket) {
            this.socket = socket;
        }

        @Override
        public void run() {
            try (Socket s = socket) {
                s.setTcpNoDelay(true);
                s.setSoTimeout((int) Math.min(settings.artimTimeout().toMillis(), 5000));
                Pdu pdu = new PduDecoder(settings.maxPduLengthReceive(), settings.maxAssociateLength())
                        .read(s.getInputStream());
                if (pdu != null && pdu.type() == PduType.A_ASSOCIATE_RQ) {
                    s.getOutputStream().write(AssociateRj.of(AssociateRj.Result.REJECTED_TRANSIENT,
                            AssociateRj.Reason.LOCAL_LIMIT_EXCEEDED).toBytes());
                    s.shutdownOutput();
                    // give the peer time to read the answer and close first (avoids a reset losing the RJ)
                    s.getInputStream().read(new byte[64]);
                }
            } catch (IOException e) {
                LOG.debug("rejecting {}: {}", socket.getRemoteSocketAddress(), e.toString());
            }
        }
    }

    /**
     * Stops accepting, waits up to {@code grace} for associations to finish, then aborts the remaining ones and
     * waits for them up to the ARTIM timeout.
     */
    public void shutdown(Duration grace) {
        ServerSocket server = serverSocket;
        if (server != null) {
            closeQuietly(server);
        }
        workers.shutdown();
        rejector.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} {} association(s) still active after {} ms; A-ABORT", settings.aeTitle(), active.size(),
                        grace.toMillis());
                for (Association as : active) {
                    as.abort();
                }
                if (!workers.awaitTermination(settings.artimTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    workers.shutdownNow();
                }
            }
            rejector.awaitTermination(1, TimeUnit.SECONDS);
            rejector.shutdownNow();
            Thread t = acceptThread;
            if (t != null) {
                t.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
        LOG.info("{} acceptor stopped", settings.aeTitle());
    }

    /** {@link #shutdown} with a 10 s grace period. */
    @Override
    public void close() {
        shutdown(Duration.ofSeconds(10));
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
