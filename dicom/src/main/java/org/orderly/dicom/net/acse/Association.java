package org.orderly.dicom.net.acse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.orderly.dicom.net.pdu.Abort;
import org.orderly.dicom.net.pdu.AssociateAc;
import org.orderly.dicom.net.pdu.AssociateRj;
import org.orderly.dicom.net.pdu.AssociateRq;
import org.orderly.dicom.net.pdu.InvalidPduException;
import org.orderly.dicom.net.pdu.PDataTf;
import org.orderly.dicom.net.pdu.Pdu;
import org.orderly.dicom.net.pdu.PduDecoder;
import org.orderly.dicom.net.pdu.PresentationContextAcItem;
import org.orderly.dicom.net.pdu.PresentationContextRqItem;
import org.orderly.dicom.net.pdu.PresentationDataValue;
import org.orderly.dicom.net.pdu.ReleaseRp;
import org.orderly.dicom.net.pdu.ReleaseRq;
import org.orderly.dicom.net.ul.Action;
import org.orderly.dicom.net.ul.Event;
import org.orderly.dicom.net.ul.Role;
import org.orderly.dicom.net.ul.State;
import org.orderly.dicom.net.ul.StateMachine;
import org.orderly.dicom.net.ul.Transport;
import org.orderly.dicom.net.ul.UpperLayer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DICOM association (PS3.8 §7, §9), either role, driven by the upper layer {@link StateMachine}.
 * <ul>
 *   <li>Requestor: {@link #open}. Acceptor: {@link #serve} (or {@link AssociationAcceptor}).</li>
 *   <li>One reader thread per association reads PDUs, fires their events and delivers each DIMSE message to the
 *       {@link DimseMessageHandler}: the command bytes and, if the command announces one, the data set as a lazy
 *       stream (PS3.8 Annex E.2 enforced: command complete before data set, accepted presentation context only,
 *       command at most {@link AssociationSettings#maxCommandLength()}; violations are answered with A-ABORT).</li>
 *   <li>{@link #send} is thread-safe; messages never interleave.</li>
 *   <li>{@link #release()} and {@link #abort()} end the association; {@link #awaitClosed} waits for the end.</li>
 * </ul>
 * Log lines: INFO for each association PDU as {@code ORDERLY<-CT1(42) >> A-ASSOCIATE-RQ[...]} ({@code >>} received,
 * {@code <<} sent); one WARN naming peer AE, address and reason for each protocol violation or rejection.
 */
public final class Association {

    private static final Logger LOG = LoggerFactory.getLogger(Association.class);
    private static final AtomicLong SERIAL = new AtomicLong();

    private final Role role;
    private final AssociationSettings settings;
    private final AssociationNegotiator negotiator;
    private final DimseMessageHandler handler;
    private final long serial;
    private final UpperLayer ul;
    private final StateMachine sm;
    private final Transport transport;
    private final PduDecoder decoder;
    private final ReentrantLock sendLock = new ReentrantLock();
    /**
     * Held by the reader thread while a received message is handled, its response included; {@link #release} waits
     * for it, because after our A-RELEASE-RQ (Sta7) we may still receive P-DATA but no longer send any (PS3.8 Table
     * 9-10): a response still to come would otherwise cost an A-ABORT.
     */
    private final ReentrantLock handling = new ReentrantLock();
    /** The data set fragment buffer of {@link #send}, reused for every message; guarded by sendLock. */
    private byte[] sendBuffer;
    private final CompletableFuture<Void> established = new CompletableFuture<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    // owned by the reader thread
    private final ArrayDeque<PresentationDataValue> pdvs = new ArrayDeque<>();
    private boolean streamCorrupt;
    private boolean messageInProgress;

    private volatile String name;
    private volatile String remoteAeTitle = "?";
    private volatile AssociateRq associateRq;
    private volatile AssociateAc associateAc;
    private volatile Map<Integer, PresentationContext> contexts = Map.of();
    private volatile long peerMaxPduLength;
    private volatile boolean wasEstablished;
    private volatile Thread readerThread;

    private Association(Role role, Socket socket, AssociationSettings settings, AssociationNegotiator negotiator,
            DimseMessageHandler handler) throws IOException {
        this.role = role;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.negotiator = negotiator;
        this.handler = Objects.requireNonNull(handler, "handler");
        this.serial = SERIAL.incrementAndGet();
        this.transport = new Transport(socket, (int) settings.idleTimeout().toMillis(),
                settings.writeTimeout().toMillis(), settings.maxPduLengthSend() + 6);
        this.ul = new UpperLayer(role, transport, settings.artimTimeout(), "?");
        this.sm = ul.stateMachine();
        this.decoder = new PduDecoder(settings.maxPduLengthReceive(), settings.maxAssociateLength());
        updateName();
    }

    // ---------------------------------------------------------------- requestor

    /**
     * Opens an association as requestor: connects (connect timeout), sends the A-ASSOCIATE-RQ and waits up to the
     * ARTIM timeout for the answer. Starts the association's reader thread, which calls {@code handler}.
     *
     * @throws AssociationRejectedException on A-ASSOCIATE-RJ
     * @throws AssociationAbortedException  on A-ABORT, transport loss or no answer in time
     * @throws IOException                  if the connection fails
     */
    public static Association open(SocketAddress address, AssociationRequest request, AssociationSettings settings,
            DimseMessageHandler handler) throws IOException {
        AssociateRq rq = request.toAssociateRq(settings);
        Association as = new Association(Role.REQUESTOR, new Socket(), settings, null, handler);
        as.associateRq = rq;
        as.remoteAeTitle = rq.calledAeTitle();
        as.updateName();
        as.ul.setConnectTarget(address, (int) settings.connectTimeout().toMillis());
        try {
            as.sm.fire(Event.EVT1, rq); // AE-1: transport connect
        } catch (IOException e) {
            as.fireQuietly(Event.EVT17, null);
            as.finish();
            throw new IOException(as.name + ": cannot connect to " + address + ": " + e.getMessage(), e);
        }
        try {
            as.sm.fire(Event.EVT2); // AE-2: send A-ASSOCIATE-RQ
            as.info("<<", rq);
        } catch (IOException e) {
            as.fireQuietly(Event.EVT17, null);
            as.finish();
            throw e;
        }
        Thread reader = new Thread(as::runReader, "orderly-requestor-" + as.serial);
        reader.setDaemon(true);
        as.readerThread = reader;
        reader.start();
        try {
            as.established.get(settings.artimTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return as;
        } catch (TimeoutException e) {
            LOG.warn("{} no A-ASSOCIATE-AC/RJ from {} {} within {} ms; A-ABORT", as.name, as.remoteAeTitle,
                    as.transport.remote(), settings.artimTimeout().toMillis());
            as.abort();
            throw new AssociationAbortedException(as.name + ": no answer to A-ASSOCIATE-RQ");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            as.abort();
            throw new InterruptedIOException("interrupted while waiting for A-ASSOCIATE-AC");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    // ---------------------------------------------------------------- acceptor

    /**
     * Serves one accepted transport connection as acceptor until the association ends (Evt5 ... Sta1), on the
     * calling thread, which becomes the association's reader thread.
     */
    public static void serve(Socket socket, AssociationSettings settings, AssociationNegotiator negotiator,
            DimseMessageHandler handler) throws IOException {
        create(socket, settings, negotiator, handler).run();
    }

    static Association create(Socket socket, AssociationSettings settings, AssociationNegotiator negotiator,
            DimseMessageHandler handler) throws IOException {
        return new Association(Role.ACCEPTOR, socket, settings, Objects.requireNonNull(negotiator), handler);
    }

    /** Runs the acceptor side on the calling thread. */
    void run() {
        fireQuietly(Event.EVT5, null); // AE-5: start ARTIM, await A-ASSOCIATE-RQ
        runReader();
    }

    // ---------------------------------------------------------------- public API

    /**
     * Sends one DIMSE message: the command, then the data set if {@code dataset} is not null, fragmented to the
     * peer's maximum PDU length. Thread-safe: concurrent messages are sent one after the other, never interleaved.
     * If the data set writer fails half-way the association is aborted (a partial data set cannot be withdrawn).
     *
     * @throws IllegalArgumentException if {@code pcid} is not an accepted context, or if the command's Command Data
     *                                  Set Type disagrees with {@code dataset}
     * @throws IOException              if the association is not (or no longer) able to send
     */
    public void send(int pcid, byte[] command, DatasetWriter dataset) throws IOException {
        if (!contexts.containsKey(pcid)) {
            throw new IllegalArgumentException(name + ": presentation context " + pcid + " was not accepted");
        }
        boolean announces;
        try {
            announces = CommandDataSetType.hasDataSet(command);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid command set: " + e.getMessage(), e);
        }
        if (announces != (dataset != null)) {
            throw new IllegalArgumentException("Command Data Set Type (0000,0800) says "
                    + (announces ? "a data set follows" : "no data set") + " but dataset writer is "
                    + (dataset != null ? "present" : "null"));
        }
        int fragment = maxFragmentLength();
        sendLock.lock();
        try {
            // the command set is in memory already: its fragments are sent as views of it
            for (int off = 0; off == 0 || off < command.length; off += fragment) {
                int len = Math.min(fragment, command.length - off);
                sendPdv(pcid, true, off + len == command.length, command, off, len);
            }
            if (dataset != null) {
                if (sendBuffer == null || sendBuffer.length != fragment) {
                    sendBuffer = new byte[fragment];
                }
                PDataOutputStream d = new PDataOutputStream(this, pcid, false, sendBuffer);
                try {
                    dataset.writeTo(d);
                    d.close();
                } catch (IOException | RuntimeException e) {
                    if (isDataTransfer(sm.state())) {
                        LOG.warn("{} data set writer failed after part of the data set was sent: {}; A-ABORT", name,
                                e.toString());
                        abort();
                    }
                    throw e;
                }
            }
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Releases the association (A-RELEASE-RQ, PS3.8 §7.2) after any message being sent, and waits up to the ARTIM
     * timeout for the A-RELEASE-RP; without an answer the association is aborted. Called from the reader thread
     * (a handler), it only sends the request.
     */
    public void release() throws IOException {
        boolean waited = awaitHandling();
        sendLock.lock();
        try {
            sm.fire(Event.EVT11, ReleaseRq.INSTANCE); // AR-1
            info("<<", ReleaseRq.INSTANCE);
        } catch (IllegalStateException e) {
            throw new IOException(name + ": cannot release in " + sm.state() + " (" + sm.state().description() + ")");
        } finally {
            sendLock.unlock();
            if (waited) {
                handling.unlock();
            }
        }
        if (Thread.currentThread() == readerThread) {
            return;
        }
        try {
            if (!sm.awaitState(s -> s == State.STA1, settings.artimTimeout().toMillis())) {
                LOG.warn("{} no A-RELEASE-RP from {} {} within {} ms; A-ABORT", name, remoteAeTitle,
                        transport.remote(), settings.artimTimeout().toMillis());
                abort();
                throw new AssociationAbortedException(name + ": release not confirmed");
            }
            closed.await(settings.artimTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while releasing");
        }
    }

    /** Aborts the association (A-ABORT, source service-user, PS3.8 §7.3); never blocks on the peer. */
    public void abort() {
        if (sm.state() == State.STA2) {
            transport.close(); // no association yet: nothing to abort, just drop the connection
            return;
        }
        Action a = fireQuietly(Event.EVT15, Abort.BY_SERVICE_USER);
        if (a == Action.AA_1) {
            info("<<", Abort.BY_SERVICE_USER);
        }
    }

    /** Waits until the association is over and its reader thread has finished. */
    public boolean awaitClosed(long timeout, TimeUnit unit) throws InterruptedException {
        return closed.await(timeout, unit);
    }

    public boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** True in Sta6: ready for data transfer. */
    public boolean isEstablished() {
        return sm.state() == State.STA6;
    }

    public State state() {
        return sm.state();
    }

    public Role role() {
        return role;
    }

    /** Serial number of this association in this JVM, as shown in log lines. */
    public long serial() {
        return serial;
    }

    /** The log prefix, e.g. {@code ORDERLY<-CT1(42)}. */
    public String name() {
        return name;
    }

    public String localAeTitle() {
        return settings.aeTitle();
    }

    public String remoteAeTitle() {
        return remoteAeTitle;
    }

    public String remoteAddress() {
        return transport.remote();
    }

    public AssociationSettings settings() {
        return settings;
    }

    public AssociateRq associateRq() {
        return associateRq;
    }

    public AssociateAc associateAc() {
        return associateAc;
    }

    /** Accepted presentation contexts by ID. */
    public Map<Integer, PresentationContext> acceptedContexts() {
        return contexts;
    }

    public Optional<PresentationContext> context(int pcid) {
        return Optional.ofNullable(contexts.get(pcid));
    }

    /** The first accepted context for an abstract syntax (optionally with a given transfer syntax). */
    public Optional<PresentationContext> findContext(String abstractSyntax, String transferSyntaxOrNull) {
        return contexts.values().stream().filter(c -> c.abstractSyntax().equals(abstractSyntax))
                .filter(c -> transferSyntaxOrNull == null || c.transferSyntax().equals(transferSyntaxOrNull))
                .sorted(java.util.Comparator.comparingInt(PresentationContext::id)).findFirst();
    }

    /** The peer's Maximum Length Received (PS3.8 Annex D.1); 0 = unlimited. */
    public long peerMaxPduLength() {
        return peerMaxPduLength;
    }

    @Override
    public String toString() {
        return name + " " + sm.state();
    }

    // ---------------------------------------------------------------- sending internals

    int maxFragmentLength() {
        long max = peerMaxPduLength == 0 ? settings.maxPduLengthSend()
                : Math.min(peerMaxPduLength, settings.maxPduLengthSend());
        // PDU-length = 4 (item length) + 1 (pcid) + 1 (message control header) + fragment, PS3.8 Table 9-23
        return (int) Math.max(1, max - 6);
    }

    /** Sends one PDV in one P-DATA-TF; {@code buf} is written before this returns, so it is not copied. */
    /**
     * Waits (at most the ARTIM timeout) until no received message is being handled; true when the caller then holds
     * {@link #handling} and must unlock it. On the reader thread itself nothing is waited for.
     */
    private boolean awaitHandling() throws InterruptedIOException {
        if (Thread.currentThread() == readerThread) {
            return false;
        }
        try {
            return handling.tryLock(settings.artimTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while releasing");
        }
    }

    void sendPdv(int pcid, boolean command, boolean last, byte[] buf, int off, int len) throws IOException {
        PDataTf pdu = PDataTf.of(PresentationDataValue.view(pcid, command, last, buf, off, len));
        try {
            sm.fire(Event.EVT9, pdu); // DT-1 in Sta6, AR-7 in Sta8
        } catch (IllegalStateException e) {
            throw new AssociationAbortedException(name + ": cannot send P-DATA in " + sm.state() + " ("
                    + sm.state().description() + ")");
        }
    }

    // ---------------------------------------------------------------- reader

    private void runReader() {
        readerThread = Thread.currentThread();
        try {
            PresentationDataValue pdv;
            while ((pdv = nextPdv()) != null) {
                receiveMessage(pdv);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("{} reader failed; closing", name, e);
        } finally {
            finish();
        }
    }

    /** The next received PDV, pumping PDUs as needed; {@code null} once the association is over (Sta1). */
    private PresentationDataValue nextPdv() {
        while (pdvs.isEmpty()) {
            if (sm.state() == State.STA1) {
                return null;
            }
            pumpOne();
        }
        return pdvs.poll();
    }

    /** Reads one PDU (or one failure) and fires its event. */
    private void pumpOne() {
        if (streamCorrupt) {
            drainCorruptStream();
            return;
        }
        Pdu pdu;
        try {
            // P-DATA-TF PDVs are views of the decoder's reused buffer: each is consumed (nextPdv empties the
            // queue) before the next PDU is read here
            pdu = decoder.readTransient(transport.input());
        } catch (InvalidPduException e) {
            streamCorrupt = true; // PDU framing is lost: never parse this stream again
            LOG.warn("{} protocol violation by {} {}: {}; A-ABORT", name, remoteAeTitle, transport.remote(),
                    e.getMessage());
            Action a = fireQuietly(Event.EVT19, e.toAbort());
            if (a == Action.AA_1 || a == Action.AA_7 || a == Action.AA_8) {
                info("<<", e.toAbort());
            }
            return;
        } catch (SocketTimeoutException e) {
            onReadTimeout();
            return;
        } catch (IOException e) {
            LOG.debug("{} transport: {}", name, e.toString());
            fireQuietly(Event.EVT17, null);
            return;
        }
        if (pdu == null) {
            fireQuietly(Event.EVT17, null);
            return;
        }
        if (pdu instanceof AssociateRq rq && role == Role.ACCEPTOR && sm.state() == State.STA2) {
            remoteAeTitle = rq.callingAeTitle(); // name the peer in this and every later log line
            updateName();
        }
        if (pdu.type() != org.orderly.dicom.net.pdu.PduType.P_DATA_TF) {
            info(">>", pdu);
        }
        State from = sm.state();
        Event event = eventOf(pdu);
        Action action = fireQuietly(event, pdu);
        if (action != null) {
            onAction(action, from, pdu);
        }
    }

    private void drainCorruptStream() {
        try {
            byte[] scratch = new byte[8192];
            if (transport.input().read(scratch) < 0) {
                fireQuietly(Event.EVT17, null);
            }
        } catch (SocketTimeoutException e) {
            // ARTIM (started by AA-1/AA-8) bounds this wait
        } catch (IOException e) {
            fireQuietly(Event.EVT17, null);
        }
    }

    private void onReadTimeout() {
        State s = sm.state();
        if (s == State.STA1 || s == State.STA2 || s == State.STA13) {
            return; // ARTIM bounds these states
        }
        LOG.warn("{} no PDU from {} {} for {} ms (idle timeout) in {}; A-ABORT", name, remoteAeTitle,
                transport.remote(), settings.idleTimeout().toMillis(), s);
        abort();
    }

    private static Event eventOf(Pdu pdu) {
        return switch (pdu.type()) {
            case A_ASSOCIATE_RQ -> Event.EVT6;
            case A_ASSOCIATE_AC -> Event.EVT3;
            case A_ASSOCIATE_RJ -> Event.EVT4;
            case P_DATA_TF -> Event.EVT10;
            case A_RELEASE_RQ -> Event.EVT12;
            case A_RELEASE_RP -> Event.EVT13;
            case A_ABORT -> Event.EVT16;
        };
    }

    /** The service-user side of the indications PS3.8 Tables 9-6..9-9 issue. */
    private void onAction(Action action, State from, Pdu pdu) {
        switch (action) {
            case AE_6 -> {
                AssociateRq rq = (AssociateRq) pdu;
                associateRq = rq;
                remoteAeTitle = rq.callingAeTitle();
                updateName();
                if (sm.state() == State.STA13) {
                    LOG.warn("{} rejecting {} {}: protocol version {} not supported; A-ASSOCIATE-RJ 1/2/2", name,
                            remoteAeTitle, transport.remote(), rq.protocolVersion());
                    info("<<", AssociateRj.of(AssociateRj.Result.REJECTED_PERMANENT,
                            AssociateRj.Reason.PROTOCOL_VERSION_NOT_SUPPORTED));
                } else {
                    negotiate(rq);
                }
            }
            case AE_3 -> accepted((AssociateAc) pdu);
            case AE_4 -> established.completeExceptionally(new AssociationRejectedException(
                    name + ": rejected by " + remoteAeTitle + " " + transport.remote(), (AssociateRj) pdu));
            case DT_2, AR_6 -> pdvs.addAll(((PDataTf) pdu).values());
            case AR_2 -> {
                if (messageInProgress) {
                    violation("A-RELEASE-RQ in the middle of a message", Abort.Reason.UNEXPECTED_PDU);
                } else {
                    replyRelease(); // AR-4
                }
            }
            case AR_8 -> {
                // release collision, PS3.8 Table 9-8 AR-8: the requestor answers first (Sta9 -> AR-9)
                if (sm.state() == State.STA9) {
                    replyRelease();
                }
            }
            case AR_10 -> replyRelease(); // Sta12 -> AR-4
            case AA_3 -> established.completeExceptionally(new AssociationAbortedException(
                    name + ": aborted by " + remoteAeTitle + " " + transport.remote() + ": " + pdu));
            case AA_1, AA_7, AA_8 -> {
                LOG.warn("{} protocol violation by {} {}: unexpected {} in {}; A-ABORT", name, remoteAeTitle,
                        transport.remote(), pdu.type(), from);
                info("<<", new Abort(Abort.Source.SERVICE_PROVIDER, Abort.Reason.UNEXPECTED_PDU));
            }
            default -> {
                // AR-3 (release confirmed, transport closed), AA-2, AA-6 (ignored): nothing for the user
            }
        }
    }

    private void replyRelease() {
        Action a = fireQuietly(Event.EVT14, null);
        if (a == Action.AR_4 || a == Action.AR_9) {
            info("<<", ReleaseRp.INSTANCE);
        }
    }

    private void negotiate(AssociateRq rq) {
        Negotiation n;
        try {
            n = Objects.requireNonNull(negotiator.negotiate(rq, settings), "negotiation result");
        } catch (RuntimeException e) {
            LOG.error("{} association negotiator failed", name, e);
            n = Negotiation.reject(AssociateRj.of(AssociateRj.Result.REJECTED_PERMANENT,
                    AssociateRj.Reason.USER_NO_REASON_GIVEN), "negotiator failed: " + e);
        }
        if (n.isAccepted()) {
            AssociateAc ac = n.accept();
            associateAc = ac;
            contexts = contextsOf(rq, ac);
            peerMaxPduLength = rq.userInformation().maximumLength().orElse(0L);
            Action a = fireQuietly(Event.EVT7, ac); // AE-7
            if (a == Action.AE_7) {
                info("<<", ac);
                establishedNow();
            }
        } else {
            LOG.warn("{} rejecting {} {}: {}; {}", name, remoteAeTitle, transport.remote(), n.reason(), n.reject());
            if (fireQuietly(Event.EVT8, n.reject()) == Action.AE_8) {
                info("<<", n.reject());
            }
        }
    }

    private void accepted(AssociateAc ac) {
        associateAc = ac;
        Map<Integer, PresentationContextRqItem> proposed = new HashMap<>();
        associateRq.presentationContexts().forEach(pc -> proposed.put(pc.id(), pc));
        for (PresentationContextAcItem pc : ac.presentationContexts()) {
            PresentationContextRqItem rq = proposed.get(pc.id());
            if (rq == null || pc.isAccepted() && !rq.transferSyntaxes().contains(pc.transferSyntax())) {
                violation("A-ASSOCIATE-AC answers presentation context " + pc.id()
                        + (rq == null ? " which was not proposed" : " with a transfer syntax not proposed"),
                        Abort.Reason.INVALID_PDU_PARAMETER_VALUE);
                established.completeExceptionally(new AssociationAbortedException(name + ": invalid A-ASSOCIATE-AC"));
                return;
            }
        }
        contexts = contextsOf(associateRq, ac);
        peerMaxPduLength = ac.userInformation().maximumLength().orElse(0L);
        establishedNow();
    }

    private void establishedNow() {
        wasEstablished = true;
        try {
            handler.onEstablished(this);
        } catch (RuntimeException e) {
            LOG.error("{} onEstablished handler failed", name, e);
        }
        established.complete(null);
    }

    private static Map<Integer, PresentationContext> contextsOf(AssociateRq rq, AssociateAc ac) {
        Map<Integer, String> abstractSyntax = new HashMap<>();
        rq.presentationContexts().forEach(pc -> abstractSyntax.put(pc.id(), pc.abstractSyntax()));
        Map<Integer, PresentationContext> m = new HashMap<>();
        for (PresentationContextAcItem pc : ac.presentationContexts()) {
            if (pc.isAccepted() && abstractSyntax.containsKey(pc.id())) {
                m.put(pc.id(), new PresentationContext(pc.id(), abstractSyntax.get(pc.id()), pc.transferSyntax()));
            }
        }
        return Map.copyOf(m);
    }

    /** Receives one message starting at its first PDV; PS3.8 Annex E.2 rules enforced. */
    private void receiveMessage(PresentationDataValue first) {
        messageInProgress = true;
        try {
            int pcid = first.presentationContextId();
            if (!first.isCommand()) {
                violation("data set fragment on presentation context " + pcid
                        + " without a preceding command (PS3.8 Annex E.2)", Abort.Reason.UNEXPECTED_PDU_PARAMETER);
                return;
            }
            if (!contexts.containsKey(pcid)) {
                violation("PDV on presentation context " + pcid + " which was not accepted",
                        Abort.Reason.INVALID_PDU_PARAMETER_VALUE);
                return;
            }
            ByteArrayOutputStream cmd = new ByteArrayOutputStream(256);
            PresentationDataValue pdv = first;
            while (true) {
                if ((long) cmd.size() + pdv.length() > settings.maxCommandLength()) {
                    violation("command set longer than " + settings.maxCommandLength() + " bytes",
                            Abort.Reason.INVALID_PDU_PARAMETER_VALUE);
                    return;
                }
                byte[] f = pdv.fragment();
                cmd.write(f, 0, f.length);
                if (pdv.isLast()) {
                    break;
                }
                pdv = nextPdv();
                if (pdv == null) {
                    return;
                }
                if (!pdv.isCommand() || pdv.presentationContextId() != pcid) {
                    violation("command fragment on presentation context " + pcid + " followed by a "
                            + (pdv.isCommand() ? "command" : "data set") + " fragment on presentation context "
                            + pdv.presentationContextId() + " (PS3.8 Annex E.2)",
                            Abort.Reason.UNEXPECTED_PDU_PARAMETER);
                    return;
                }
            }
            byte[] command = cmd.toByteArray();
            boolean hasDataSet;
            try {
                hasDataSet = CommandDataSetType.hasDataSet(command);
            } catch (IOException e) {
                violation(e.getMessage(), Abort.Reason.INVALID_PDU_PARAMETER_VALUE);
                return;
            }
            PDataInputStream dataset = hasDataSet ? new PDataInputStream(this, pcid) : null;
            handling.lock();
            try {
                handler.onMessage(this, pcid, command, dataset);
                if (dataset != null) {
                    dataset.skipRemaining();
                }
            } catch (IOException | RuntimeException e) {
                if (isDataTransfer(sm.state())) {
                    LOG.warn("{} message handler failed on presentation context {}: {}; A-ABORT", name, pcid,
                            e.toString());
                    abort();
                }
            } finally {
                handling.unlock();
            }
        } finally {
            messageInProgress = false;
        }
    }

    /** Called by {@link PDataInputStream}: the next data set fragment of the message on {@code pcid}. */
    PresentationDataValue nextDatasetPdv(int pcid) throws IOException {
        if (Thread.currentThread() != readerThread) {
            throw new IllegalStateException("a received data set can only be read on the association's reader thread");
        }
        PresentationDataValue p = isDataTransfer(sm.state()) ? nextPdv() : null;
        if (p == null || !isDataTransfer(sm.state())) {
            throw new AssociationAbortedException(name + ": association ended before the data set was complete ("
                    + sm.state() + ")");
        }
        if (p.isCommand() || p.presentationContextId() != pcid) {
            violation("data set on presentation context " + pcid + " interrupted by a "
                    + (p.isCommand() ? "command" : "data set") + " fragment on presentation context "
                    + p.presentationContextId() + " (PS3.8 Annex E.2)", Abort.Reason.UNEXPECTED_PDU_PARAMETER);
            throw new AssociationAbortedException(name + ": protocol violation in data set");
        }
        return p;
    }

    /** Sta6, or Sta7 (we asked for release; the peer may still send P-DATA, PS3.8 Table 9-8 AR-6). */
    private static boolean isDataTransfer(State s) {
        return s == State.STA6 || s == State.STA7;
    }

    /** One WARN line, then A-ABORT (service-provider source) via Evt19, PS3.8 Table 9-10. */
    private void violation(String reason, Abort.Reason abortReason) {
        LOG.warn("{} protocol violation by {} {}: {}; A-ABORT", name, remoteAeTitle, transport.remote(), reason);
        pdvs.clear();
        Abort abort = new Abort(Abort.Source.SERVICE_PROVIDER, abortReason);
        Action a = fireQuietly(Event.EVT19, abort);
        if (a == Action.AA_8 || a == Action.AA_1 || a == Action.AA_7) {
            info("<<", abort);
        }
    }

    private Action fireQuietly(Event event, Pdu pdu) {
        try {
            return sm.fire(event, pdu);
        } catch (IOException e) {
            LOG.debug("{} {} failed: {}", name, event, e.toString());
            transport.close();
            return null;
        } catch (IllegalStateException e) {
            LOG.debug("{} {}", name, e.getMessage());
            return null;
        }
    }

    private void finish() {
        ul.artim().stop();
        transport.close();
        if (sm.state() != State.STA1) {
            fireQuietly(Event.EVT17, null);
        }
        established.completeExceptionally(new AssociationAbortedException(name + ": closed before established"));
        LOG.info("{} closed", name);
        if (wasEstablished) {
            try {
                handler.onClosed(this);
            } catch (RuntimeException e) {
                LOG.error("{} onClosed handler failed", name, e);
            }
        }
        closed.countDown();
    }

    private void updateName() {
        String local = settings.aeTitle();
        name = role == Role.ACCEPTOR ? local + "<-" + remoteAeTitle + "(" + serial + ")"
                : local + "->" + remoteAeTitle + "(" + serial + ")";
        sm.setName(name);
    }

    private void info(String direction, Pdu pdu) {
        LOG.info("{} {} {}", name, direction, pdu);
    }
}
