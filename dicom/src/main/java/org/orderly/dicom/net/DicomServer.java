package org.orderly.dicom.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.orderly.dicom.net.acse.AcceptorPolicy;
import org.orderly.dicom.net.acse.AssociationAcceptor;
import org.orderly.dicom.net.acse.AssociationSettings;
import org.orderly.dicom.net.service.DicomServiceRegistry;
import org.orderly.dicom.net.service.ServiceDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DICOM application entity accepting associations (PS3.8 §9.3.3) and serving the handlers of a
 * {@link DicomServiceRegistry}:
 * <pre>{@code
 * DicomServer server = DicomServer.builder("ORDERLY").port(11112)
 *         .registry(new DicomServiceRegistry().cFind(UID.ModalityWorklistInformationModelFind, worklist))
 *         .callingAeTitles("CT1", "MR2").build();
 * server.start();
 * ...
 * server.stop(Duration.ofSeconds(10));
 * }</pre>
 * Resources are bounded: at most {@code maxAssociations} associations (default 200) with one reader thread each;
 * one more is answered A-ASSOCIATE-RJ (transient, local limit exceeded); C-FIND producers run on a pool of the same
 * bound. A peer that connects and stays silent is dropped after the ARTIM timeout, an associated peer that stops
 * sending after the idle timeout, a peer that stops reading after the write timeout (see
 * {@link AssociationSettings}). {@link #stop} stops accepting, lets running associations finish for a grace period,
 * then aborts them.
 */
public final class DicomServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DicomServer.class);

    private final InetAddress bindAddress;
    private final int port;
    private final AssociationSettings settings;
    private final DicomServiceRegistry registry;
    private final Set<String> callingAeTitles;
    private final Set<String> calledAeTitles;
    private final int maxAssociations;
    private final org.orderly.dicom.net.acse.CallingAeCheck callingAeCheck;
    private final ThreadPoolExecutor findPool;
    private volatile AssociationAcceptor acceptor;
    private volatile ServerSocket serverSocket;

    private DicomServer(Builder b) {
        this.bindAddress = b.bindAddress;
        this.port = b.port;
        this.settings = (b.settings != null ? b.settings.toBuilder() : AssociationSettings.builder())
                .aeTitle(b.aeTitle).build();
        this.registry = Objects.requireNonNull(b.registry, "registry");
        this.callingAeTitles = Set.copyOf(b.callingAeTitles);
        this.calledAeTitles = Set.copyOf(b.calledAeTitles);
        this.maxAssociations = b.maxAssociations;
        this.callingAeCheck = b.callingAeCheck;
        AtomicInteger n = new AtomicInteger();
        this.findPool = new ThreadPoolExecutor(0, maxAssociations, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "orderly-find-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** A server for our AE title (the called AE title peers must use). */
    public static Builder builder(String aeTitle) {
        return new Builder(aeTitle);
    }

    /**
     * Opens the server socket without accepting yet, so an application can find out that the port is in use before
     * it starts anything else. {@link #start()} binds first if this was not called. Returns this.
     */
    public synchronized DicomServer bind() throws IOException {
        if (serverSocket == null) {
            ServerSocket ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(bindAddress, port), Math.max(50, maxAssociations));
            serverSocket = ss;
        }
        return this;
    }

    /**
     * Binds (if not yet bound) and starts accepting; returns this. The acceptor policy is built from the registry
     * now: register every handler before calling this.
     */
    public synchronized DicomServer start() throws IOException {
        if (acceptor != null) {
            throw new IllegalStateException("already started");
        }
        AcceptorPolicy.Builder policy = registry.acceptorPolicy();
        if (!calledAeTitles.isEmpty()) {
            policy.calledAeTitles(calledAeTitles.toArray(String[]::new));
        }
        if (!callingAeTitles.isEmpty()) {
            policy.callingAeTitles(callingAeTitles.toArray(String[]::new));
        }
        policy.callingAeCheck(callingAeCheck);
        ServerSocket ss = bind().serverSocket;
        AssociationAcceptor a = new AssociationAcceptor(settings, policy.build(),
                new ServiceDispatcher(registry, findPool, null), maxAssociations);
        a.start(ss);
        acceptor = a;
        LOG.info("{} DICOM server listening on {}:{} ({} SOP classes, max {} associations)", settings.aeTitle(),
                bindAddress.getHostAddress(), ss.getLocalPort(), registry.sopClasses().size(), maxAssociations);
        return this;
    }

    /** True while the server accepts associations. */
    public boolean isAccepting() {
        ServerSocket ss = serverSocket;
        return acceptor != null && ss != null && !ss.isClosed();
    }

    /** The bound port (useful with port 0). */
    public int port() {
        ServerSocket ss = serverSocket;
        if (ss == null) {
            throw new IllegalStateException("not started");
        }
        return ss.getLocalPort();
    }

    /** {@code AE@host:port} of this server. */
    public AeAddress address() {
        return new AeAddress(settings.aeTitle(), bindAddress.getHostAddress(), port());
    }

    public String aeTitle() {
        return settings.aeTitle();
    }

    /** Associations being served right now. */
    public int activeAssociations() {
        AssociationAcceptor a = acceptor;
        return a == null ? 0 : a.activeAssociations();
    }

    public DicomServiceRegistry registry() {
        return registry;
    }

    /** Stops accepting, lets associations finish up to {@code grace}, then aborts the rest. */
    public synchronized void stop(Duration grace) {
        AssociationAcceptor a = acceptor;
        if (a == null) {
            stopAccepting(); // bound but never started
            return;
        }
        a.shutdown(grace);
        findPool.shutdownNow();
        acceptor = null;
        LOG.info("{} DICOM server stopped", settings.aeTitle());
    }

    /** Closes the server socket: no new association is accepted; those in progress go on until {@link #stop}. */
    public void stopAccepting() {
        ServerSocket ss = serverSocket;
        if (ss != null) {
            try {
                ss.close();
            } catch (IOException e) {
                LOG.debug("closing server socket: {}", e.toString());
            }
        }
    }

    /** {@link #stop} with a 10 s grace period. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    /** Configures a {@link DicomServer}. */
    public static final class Builder {
        private final String aeTitle;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port = 104;
        private AssociationSettings settings;
        private DicomServiceRegistry registry = new DicomServiceRegistry();
        private final Set<String> callingAeTitles = new LinkedHashSet<>();
        private final Set<String> calledAeTitles = new LinkedHashSet<>();
        private int maxAssociations = AssociationAcceptor.DEFAULT_MAX_ASSOCIATIONS;
        private org.orderly.dicom.net.acse.CallingAeCheck callingAeCheck;

        private Builder(String aeTitle) {
            this.aeTitle = aeTitle;
        }

        /**
         * A run-time check of calling AE titles (after {@link #callingAeTitles}); a refusal is A-ASSOCIATE-RJ 1/1/3
         * (PS3.8 §9.3.4, Table 9-21). Null = none.
         */
        public Builder callingAeCheck(org.orderly.dicom.net.acse.CallingAeCheck check) {
            callingAeCheck = check;
            return this;
        }

        /** Address to bind (default: loopback; use {@code InetAddress.getByName("0.0.0.0")} for every interface). */
        public Builder bind(InetAddress address) {
            bindAddress = Objects.requireNonNull(address);
            return this;
        }

        /** TCP port (default 104; 0 = any free port, see {@link DicomServer#port()}). */
        public Builder port(int p) {
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("port 0..65535: " + p);
            }
            port = p;
            return this;
        }

        /** PDU sizes and the named timeouts (ARTIM, idle, write); the AE title is taken from this builder. */
        public Builder settings(AssociationSettings s) {
            settings = s;
            return this;
        }

        public Builder registry(DicomServiceRegistry r) {
            registry = Objects.requireNonNull(r);
            return this;
        }

        /** Calling AE titles allowed to associate (none = any); others get A-ASSOCIATE-RJ 1/1/3. */
        public Builder callingAeTitles(String... aes) {
            callingAeTitles.addAll(List.of(aes));
            return this;
        }

        /** Further called AE titles we answer to besides our own. */
        public Builder alsoAnswerTo(String... aes) {
            calledAeTitles.add(aeTitle);
            calledAeTitles.addAll(List.of(aes));
            return this;
        }

        public Builder maxAssociations(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxAssociations >= 1");
            }
            maxAssociations = n;
            return this;
        }

        public DicomServer build() {
            return new DicomServer(this);
        }
    }
}
