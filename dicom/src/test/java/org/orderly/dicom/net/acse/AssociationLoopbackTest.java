package org.orderly.dicom.net.acse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.orderly.dicom.net.pdu.AssociateAc;
import org.orderly.dicom.net.pdu.AssociateRj;
import org.orderly.dicom.net.pdu.AsynchronousOperationsWindowSubItem;
import org.orderly.dicom.net.pdu.PresentationContextAcItem;
import org.orderly.dicom.net.pdu.ScpScuRoleSelectionSubItem;
import org.orderly.dicom.net.ul.State;
import org.orderly.dicom.net.testing.Commands;

/** Our requestor against our acceptor on loopback: negotiation, streamed P-DATA, release, abort, load. */
@Timeout(60)
class AssociationLoopbackTest {

    private static final String UNKNOWN_SOP = "1.2.3.999";
    private static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";

    private AssociationAcceptor acceptor;

    @AfterEach
    void stop() {
        if (acceptor != null) {
            acceptor.shutdown(Duration.ofSeconds(2));
        }
    }

    static AssociationSettings settings(String ae) {
        return AssociationSettings.builder().aeTitle(ae).maxPduLengthReceive(16384).maxPduLengthSend(16384)
                .artimTimeout(Duration.ofSeconds(3)).idleTimeout(Duration.ofSeconds(20)).build();
    }

    /** Acceptor handler: answers each message; for a data set, answers SHA-256 + byte count of what it read. */
    static final class DigestingScp implements DimseMessageHandler {
        final CountDownLatch closed = new CountDownLatch(1);
        final AtomicInteger maxChunkSeen = new AtomicInteger();

        @Override
        public void onMessage(Association as, int pcid, byte[] command, InputStream ds) throws IOException {
            int id = Commands.messageId(command);
            if (ds == null) {
                as.send(pcid, Commands.command(Commands.VERIFICATION, 0x8030, id, false), null);
                return;
            }
            MessageDigest md = sha256();
            byte[] buf = new byte[8192];
            long count = 0;
            int n;
            while ((n = ds.read(buf)) > 0) {
                md.update(buf, 0, n);
                count += n;
                maxChunkSeen.accumulateAndGet(ds.available(), Math::max);
            }
            byte[] answer = ByteBuffer.allocate(40).put(md.digest()).putLong(count).array();
            as.send(pcid, Commands.command(Commands.CT_IMAGE_STORAGE, 0x8001, id, true), out -> out.write(answer));
        }

        @Override
        public void onClosed(Association as) {
            closed.countDown();
        }
    }

    /** Requestor handler: completes the future registered for each response's message ID with its data set. */
    static final class Responses implements DimseMessageHandler {
        final Map<Integer, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();

        CompletableFuture<byte[]> expect(int id) {
            return pending.computeIfAbsent(id, k -> new CompletableFuture<>());
        }

        @Override
        public void onMessage(Association as, int pcid, byte[] command, InputStream ds) throws IOException {
            byte[] data = ds == null ? new byte[0] : ds.readAllBytes();
            expect(Commands.messageId(command)).complete(data);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private DigestingScp startAcceptor(int maxAssociations) throws IOException {
        DigestingScp scp = new DigestingScp();
        AcceptorPolicy policy = AcceptorPolicy.builder()
                .abstractSyntax(Commands.VERIFICATION, Commands.IMPLICIT_VR_LE)
                .abstractSyntax(Commands.CT_IMAGE_STORAGE, Commands.EXPLICIT_VR_LE, Commands.IMPLICIT_VR_LE)
                .acceptScpRole(Commands.CT_IMAGE_STORAGE).build();
        acceptor = new AssociationAcceptor(settings("ORDERLY"), policy, scp, maxAssociations);
        acceptor.start(new ServerSocket(0, 250, InetAddress.getLoopbackAddress()));
        return scp;
    }

    private InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), acceptor.localPort());
    }

    private static AssociationRequest request(String called) {
        return AssociationRequest.builder(called)
                .addPresentationContext(Commands.VERIFICATION, Commands.IMPLICIT_VR_LE) // 1
                .addPresentationContext(Commands.CT_IMAGE_STORAGE, Commands.IMPLICIT_VR_LE, Commands.EXPLICIT_VR_LE)
                .build(); // 3
    }

    @Test
    void tenMegabyteDataSetStreamsThroughSmallPdusAndEveryByteArrives() throws Exception {
        startAcceptor(10);
        Responses responses = new Responses();
        Association as = Association.open(address(), request("ORDERLY"), settings("MODALITY"), responses);
        assertEquals(State.STA6, as.state());
        assertEquals(16384, as.peerMaxPduLength());
        // our preference (Explicit first) wins over the requestor's order (Implicit first)
        assertEquals(Commands.EXPLICIT_VR_LE, as.context(3).orElseThrow().transferSyntax());

        int size = 10 * 1024 * 1024;
        MessageDigest md = sha256();
        CompletableFuture<byte[]> rsp = responses.expect(7);
        as.send(3, Commands.command(Commands.CT_IMAGE_STORAGE, 0x0001, 7, true), out -> {
            Random r = new Random(42);
            byte[] chunk = new byte[65536];
            for (int sent = 0; sent < size; sent += chunk.length) {
                r.nextBytes(chunk);
                md.update(chunk);
                out.write(chunk);
            }
        });
        ByteBuffer answer = ByteBuffer.wrap(rsp.get(30, TimeUnit.SECONDS));
        byte[] digest = new byte[32];
        answer.get(digest);
        assertArrayEquals(md.digest(), digest, "SHA-256 of what the acceptor read");
        assertEquals(size, answer.getLong());
        as.release();
        assertTrue(as.awaitClosed(5, TimeUnit.SECONDS));
        assertEquals(State.STA1, as.state());
    }

    @Test
    void concurrentSendersNeverInterleaveMessages() throws Exception {
        startAcceptor(10);
        Responses responses = new Responses();
        Association as = Association.open(address(), request("ORDERLY"), settings("MODALITY"), responses);
        ExecutorService senders = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            done.add(senders.submit(() -> {
                for (int m = 0; m < 10; m++) {
                    int id = thread * 100 + m;
                    byte[] data = new byte[50_000 + id];
                    new Random(id).nextBytes(data);
                    CompletableFuture<byte[]> rsp = responses.expect(id);
                    as.send(3, Commands.command(Commands.CT_IMAGE_STORAGE, 0x0001, id, true), out -> out.write(data));
                    byte[] answer = rsp.get(20, TimeUnit.SECONDS);
                    assertArrayEquals(sha256().digest(data), java.util.Arrays.copyOf(answer, 32));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(40, TimeUnit.SECONDS);
        }
        senders.shutdown();
        as.release();
    }

    @Test
    void negotiationAnswersContextsRolesWindowAndIdentification() throws Exception {
        startAcceptor(10);
        AssociationRequest rq = AssociationRequest.builder("ORDERLY")
                .addPresentationContext(Commands.VERIFICATION, Commands.IMPLICIT_VR_LE) // 1 accepted
                .addPresentationContext(UNKNOWN_SOP, Commands.IMPLICIT_VR_LE) // 3 abstract syntax not supported
                .addPresentationContext(Commands.CT_IMAGE_STORAGE, JPEG_BASELINE) // 5 transfer syntax not supported
                .addRoleSelection(Commands.CT_IMAGE_STORAGE, true, true)
                .addRoleSelection(Commands.VERIFICATION, true, true).build();
        AssociationSettings s = settings("MODALITY").toBuilder().asynchronousOperationsWindow(5, 5).build();
        Association as = Association.open(address(), rq, s, new Responses());
        AssociateAc ac = as.associateAc();
        List<PresentationContextAcItem> pcs = ac.presentationContexts();
        assertEquals(PresentationContextAcItem.Result.ACCEPTANCE, pcs.get(0).result());
        assertEquals(PresentationContextAcItem.Result.ABSTRACT_SYNTAX_NOT_SUPPORTED, pcs.get(1).result());
        assertEquals(PresentationContextAcItem.Result.TRANSFER_SYNTAXES_NOT_SUPPORTED, pcs.get(2).result());
        assertEquals(Map.of(1, new PresentationContext(1, Commands.VERIFICATION, Commands.IMPLICIT_VR_LE)),
                as.acceptedContexts());
        // SCP role accepted only where configured (CT storage), SCU role accepted by default
        assertEquals(List.of(new ScpScuRoleSelectionSubItem(Commands.CT_IMAGE_STORAGE, true, true),
                new ScpScuRoleSelectionSubItem(Commands.VERIFICATION, true, false)),
                ac.userInformation().roleSelections());
        // we support 1/1: the answer caps the proposed 5/5
        assertEquals(new AsynchronousOperationsWindowSubItem(1, 1),
                ac.userInformation().asynchronousOperationsWindow().orElseThrow());
        assertEquals(AssociationSettings.ORDERLY_IMPLEMENTATION_CLASS_UID,
                ac.userInformation().implementationClassUid().orElseThrow());
        assertEquals(AssociationSettings.ORDERLY_IMPLEMENTATION_VERSION_NAME,
                ac.userInformation().implementationVersionName().orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> as.send(3, Commands.command(UNKNOWN_SOP, 1, 1, false),
                null), "context 3 was not accepted");
        assertThrows(IllegalArgumentException.class, () -> as.send(1, Commands.command(Commands.VERIFICATION,
                0x30, 1, true), null), "command announces a data set but none given");
        as.release();
    }

    @Test
    void wrongCalledAeTitleIsRejected() throws Exception {
        startAcceptor(10);
        AssociationRejectedException e = assertThrows(AssociationRejectedException.class,
                () -> Association.open(address(), request("SOMEONE"), settings("MODALITY"), new Responses()));
        assertEquals(AssociateRj.Result.REJECTED_PERMANENT, e.rejection().result());
        assertEquals(AssociateRj.Reason.CALLED_AE_TITLE_NOT_RECOGNIZED, e.rejection().reason());
    }

    @Test
    void abortByRequestorEndsBothSides() throws Exception {
        DigestingScp scp = startAcceptor(10);
        Association as = Association.open(address(), request("ORDERLY"), settings("MODALITY"), new Responses());
        as.abort();
        assertTrue(scp.closed.await(5, TimeUnit.SECONDS), "acceptor saw the A-ABORT (AA-3)");
        assertTrue(as.awaitClosed(5, TimeUnit.SECONDS), "requestor closed (peer closed transport, AR-5)");
        assertThrows(IOException.class, () -> as.send(1, Commands.command(Commands.VERIFICATION, 0x30, 1, false),
                null));
    }

    @Test
    void twoHundredConcurrentAssociationsThenLocalLimitExceeded() throws Exception {
        startAcceptor(200);
        ExecutorService openers = Executors.newFixedThreadPool(16);
        List<Future<Association>> opened = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            opened.add(openers.submit(() -> {
                Responses r = new Responses();
                Association as = Association.open(address(), request("ORDERLY"), settings("MODALITY"), r);
                CompletableFuture<byte[]> rsp = r.expect(1);
                as.send(1, Commands.command(Commands.VERIFICATION, 0x0030, 1, false), null);
                rsp.get(20, TimeUnit.SECONDS);
                return as;
            }));
        }
        List<Association> all = new ArrayList<>();
        for (Future<Association> f : opened) {
            all.add(f.get(40, TimeUnit.SECONDS));
        }
        assertEquals(200, acceptor.activeAssociations());
        long acceptorThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("orderly-assoc-")).count();
        assertTrue(acceptorThreads <= 200, "bounded acceptor threads: " + acceptorThreads);
        // one more: rejected-transient, service-provider (presentation), local-limit-exceeded = 2/3/2
        AssociationRejectedException e = assertThrows(AssociationRejectedException.class,
                () -> Association.open(address(), request("ORDERLY"), settings("MODALITY"), new Responses()));
        assertEquals(AssociateRj.Result.REJECTED_TRANSIENT, e.rejection().result());
        assertEquals(AssociateRj.Reason.LOCAL_LIMIT_EXCEEDED, e.rejection().reason());
        List<Future<?>> released = new ArrayList<>();
        for (Association as : all) {
            released.add(openers.submit(() -> {
                as.release();
                return null;
            }));
        }
        for (Future<?> f : released) {
            f.get(40, TimeUnit.SECONDS);
        }
        openers.shutdown();
        // capacity is back: a new association is accepted
        Association again = Association.open(address(), request("ORDERLY"), settings("MODALITY"), new Responses());
        again.release();
        assertFalse(again.isEstablished());
    }

    @Test
    void shutdownAbortsAssociationsThatDoNotFinish() throws Exception {
        DigestingScp scp = startAcceptor(10);
        Association as = Association.open(address(), request("ORDERLY"), settings("MODALITY"), new Responses());
        long start = System.nanoTime();
        acceptor.shutdown(Duration.ofMillis(300));
        assertTrue(scp.closed.await(5, TimeUnit.SECONDS));
        assertTrue(as.awaitClosed(5, TimeUnit.SECONDS));
        assertTrue((System.nanoTime() - start) / 1_000_000L < 8000);
        acceptor = null;
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
