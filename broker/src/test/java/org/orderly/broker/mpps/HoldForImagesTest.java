package org.orderly.broker.mpps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderly.broker.db.Database;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.ElementDictionary;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;
import org.orderly.hl7.status.StatusMessageBuilder;
import org.orderly.hl7.status.StatusProfile;
import org.orderly.mpps.MppsStatus;
import org.orderly.mpps.MppsValidator;
import org.orderly.mpps.images.ReceivedInstanceTable;
import org.orderly.mpps.store.MppsEvent;
import org.orderly.mpps.store.MppsStore;

/**
 * {@code orderly.mpps.hold-for-images}: the COMPLETED status message waits until every SOP instance the MPPS
 * references was recorded by {@link ReceivedInstanceTable#recordReceived} (what the storage SCP does after the spool
 * merge), and on timeout is either sent ({@code send}) or dead-lettered ({@code dead-letter}). The IN PROGRESS message
 * is never held. Real H2 database (sql/V*), real dispatcher, an MLLP RIS in this test answering AA.
 */
class HoldForImagesTest {
    private static final String IMG1 = "1.2.826.0.1.3680043.10.77.1.1";
    private static final String IMG2 = "1.2.826.0.1.3680043.10.77.1.2";
    private static final String STUDY = "1.2.826.0.1.3680043.10.77";

    @TempDir
    Path tmp;
    private Database db;
    private MppsStore store;
    private RisOutboundQueue queue;
    private ReceivedInstanceTable received;
    private Ris ris;
    private RisDispatcher dispatcher;

    @BeforeEach
    void setUp() throws Exception {
        db = Database.open(tmp);
        store = new MppsStore(db.dataSource());
        queue = new RisOutboundQueue(db.dataSource());
        received = new ReceivedInstanceTable(db.dataSource());
        ris = new Ris();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (dispatcher != null) {
            dispatcher.close();
        }
        ris.close();
        db.close();
    }

    private RisOutbox start(Duration holdTimeout, RisSettings.HoldAction action) {
        RisSettings settings = new RisSettings("127.0.0.1", ris.port(), 5, Duration.ofMillis(100),
                Duration.ofMillis(400), Duration.ofSeconds(5), true, holdTimeout, action);
        dispatcher = new RisDispatcher(queue, settings, store, received).start();
        StatusMessageBuilder builder = new StatusMessageBuilder(StatusProfile.defaults());
        return new RisOutbox(store, queue, settings, () -> builder, received, dispatcher::wake);
    }

    /** N-CREATE then N-SET COMPLETED referencing IMG1 and IMG2; queues both events; returns the CM's MSH-10. */
    private String performAndQueue(RisOutbox outbox, String iuid) throws Exception {
        store.create(iuid, create("ACC-" + iuid), "CT1", MppsStatus.IN_PROGRESS);
        store.set(iuid, completed(), "CT1", MppsValidator::validateSet);
        List<MppsEvent> events = store.unpublished(10);
        assertEquals(2, events.size());
        for (MppsEvent e : events) {
            outbox.queueEvent(e.id());
        }
        store.markPublished(events.stream().map(MppsEvent::id).toList());
        return "MPPS" + events.get(1).id() + "-0";
    }

    @Test
    void completedWaitsForEveryReferencedInstanceThenGoes() throws Exception {
        RisOutbox outbox = start(Duration.ofSeconds(120), RisSettings.HoldAction.SEND);
        String cm = performAndQueue(outbox, "1.2.826.0.1.3680043.10.77.9.1");
        assertEquals("IP", orc5(ris.next(Duration.ofSeconds(10)))); // IN PROGRESS is never held
        assertNull(ris.next(Duration.ofMillis(1_200)), "COMPLETED went before any image arrived");
        assertEquals(RisOutboundQueue.State.WAITING_IMAGES, state(cm));

        received.recordReceived(IMG1, STUDY);
        assertNull(ris.next(Duration.ofMillis(1_200)), "COMPLETED went with one of two images");
        assertEquals(RisOutboundQueue.State.WAITING_IMAGES, state(cm));

        received.recordReceived(IMG2, STUDY);
        String m = ris.next(Duration.ofSeconds(10));
        assertNotNull(m, "COMPLETED not sent after all images arrived");
        assertEquals("CM", orc5(m));
        assertTrue(m.contains("|" + cm + "|"), m);
        assertEquals(RisOutboundQueue.State.ACKED, awaitState(cm, RisOutboundQueue.State.ACKED));
    }

    @Test
    void imagesAlreadyThereMeansNoWait() throws Exception {
        RisOutbox outbox = start(Duration.ofSeconds(120), RisSettings.HoldAction.DEAD_LETTER);
        received.recordReceived(IMG1, STUDY);
        received.recordReceived(IMG2, STUDY);
        performAndQueue(outbox, "1.2.826.0.1.3680043.10.77.9.2");
        assertEquals("IP", orc5(ris.next(Duration.ofSeconds(10))));
        assertEquals("CM", orc5(ris.next(Duration.ofSeconds(10))));
    }

    @Test
    void timeoutWithActionSendSendsWithoutTheImages() throws Exception {
        RisOutbox outbox = start(Duration.ofMillis(1_500), RisSettings.HoldAction.SEND);
        long t0 = System.nanoTime();
        String cm = performAndQueue(outbox, "1.2.826.0.1.3680043.10.77.9.3");
        received.recordReceived(IMG1, STUDY); // one of two: still missing one
        assertEquals("IP", orc5(ris.next(Duration.ofSeconds(10))));
        String m = ris.next(Duration.ofSeconds(10));
        assertNotNull(m, "COMPLETED not sent at the hold timeout");
        assertEquals("CM", orc5(m));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(1_500), "sent before the timeout");
        assertEquals(RisOutboundQueue.State.ACKED, awaitState(cm, RisOutboundQueue.State.ACKED));
    }

    @Test
    void timeoutWithActionDeadLetterDeadLettersAndSendsNothing() throws Exception {
        RisOutbox outbox = start(Duration.ofMillis(1_000), RisSettings.HoldAction.DEAD_LETTER);
        String cm = performAndQueue(outbox, "1.2.826.0.1.3680043.10.77.9.4");
        assertEquals("IP", orc5(ris.next(Duration.ofSeconds(10))));
        assertEquals(RisOutboundQueue.State.DEAD, awaitState(cm, RisOutboundQueue.State.DEAD));
        RisOutboundQueue.Row dead = queue.inState(RisOutboundQueue.State.DEAD, 10).get(0);
        assertTrue(dead.lastError().contains("images not received"), dead.lastError());
        assertNull(ris.next(Duration.ofMillis(800)), "a dead-lettered COMPLETED was sent");
    }

    /** The message's state once it is {@code wanted}, or its state after 10 s. */
    private RisOutboundQueue.State awaitState(String msh10, RisOutboundQueue.State wanted) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (state(msh10) != wanted && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        return state(msh10);
    }

    private RisOutboundQueue.State state(String msh10) throws Exception {
        return queue.inState(RisOutboundQueue.State.PENDING, 100).stream()
                .filter(r -> r.msh10().equals(msh10)).map(RisOutboundQueue.Row::state).findFirst()
                .or(() -> find(RisOutboundQueue.State.WAITING_IMAGES, msh10))
                .or(() -> find(RisOutboundQueue.State.ACKED, msh10))
                .or(() -> find(RisOutboundQueue.State.DEAD, msh10)).orElse(null);
    }

    private java.util.Optional<RisOutboundQueue.State> find(RisOutboundQueue.State s, String msh10) {
        try {
            return queue.inState(s, 100).stream().filter(r -> r.msh10().equals(msh10))
                    .map(RisOutboundQueue.Row::state).findFirst();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String orc5(String message) {
        assertNotNull(message, "no message");
        for (String seg : message.split("\r")) {
            if (seg.startsWith("ORC|")) {
                return seg.split("\\|", -1)[5];
            }
        }
        throw new AssertionError("no ORC in " + message);
    }

    // ------------------------------------------------------------------ data sets (PS3.4 Table F.7.2-1)

    static Attributes create(String accession) {
        Attributes a = new Attributes();
        for (int t : new int[] {Tag.PatientName, Tag.PatientBirthDate, Tag.PatientSex, Tag.PerformedStationName,
                Tag.PerformedLocation, Tag.PerformedProcedureStepDescription, Tag.PerformedProcedureTypeDescription,
                Tag.PerformedProcedureStepEndDate, Tag.PerformedProcedureStepEndTime, Tag.StudyID}) {
            a.setNull(t, ElementDictionary.implicitVR(t));
        }
        a.setString(Tag.PatientID, VR.LO, "P1");
        a.newSequence(Tag.ProcedureCodeSequence);
        a.newSequence(Tag.PerformedProtocolCodeSequence);
        a.newSequence(Tag.PerformedSeriesSequence);
        a.newSequence(Tag.ReferencedPatientSequence);
        Attributes item = a.newSequence(Tag.ScheduledStepAttributesSequence).addNewItem();
        item.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
        item.newSequence(Tag.ReferencedStudySequence);
        item.setString(Tag.AccessionNumber, VR.SH, accession);
        item.setNull(Tag.RequestedProcedureID, VR.SH);
        item.setNull(Tag.RequestedProcedureDescription, VR.LO);
        item.setNull(Tag.ScheduledProcedureStepID, VR.SH);
        item.setNull(Tag.ScheduledProcedureStepDescription, VR.LO);
        item.newSequence(Tag.ScheduledProtocolCodeSequence);
        a.setString(Tag.PerformedProcedureStepID, VR.SH, "PPS1");
        a.setString(Tag.PerformedStationAETitle, VR.AE, "CT1");
        a.setString(Tag.PerformedProcedureStepStartDate, VR.DA, "20240101");
        a.setString(Tag.PerformedProcedureStepStartTime, VR.TM, "101500");
        a.setString(Tag.PerformedProcedureStepStatus, VR.CS, "IN PROGRESS");
        a.setString(Tag.Modality, VR.CS, "CT");
        return a;
    }

    static Attributes completed() {
        Attributes m = new Attributes();
        m.setString(Tag.PerformedProcedureStepStatus, VR.CS, "COMPLETED");
        m.setString(Tag.PerformedProcedureStepEndDate, VR.DA, "20240101");
        m.setString(Tag.PerformedProcedureStepEndTime, VR.TM, "103000");
        Attributes s = m.newSequence(Tag.PerformedSeriesSequence).addNewItem();
        for (int t : new int[] {Tag.PerformingPhysicianName, Tag.OperatorsName, Tag.SeriesDescription,
                Tag.RetrieveAETitle}) {
            s.setNull(t, ElementDictionary.implicitVR(t));
        }
        s.setString(Tag.ProtocolName, VR.LO, "HEAD");
        s.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.77.1");
        s.newSequence(Tag.ReferencedNonImageCompositeSOPInstanceSequence);
        var images = s.newSequence(Tag.ReferencedImageSequence);
        for (String uid : new String[] {IMG1, IMG2}) {
            Attributes img = images.addNewItem();
            img.setString(Tag.ReferencedSOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.2");
            img.setString(Tag.ReferencedSOPInstanceUID, VR.UI, uid);
        }
        return m;
    }

    /** MLLP server on loopback answering AA (MSA-2 = MSH-10) to every message; hands messages to the test. */
    static final class Ris implements AutoCloseable {
        private final ServerSocket server;
        private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();

        Ris() throws IOException {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread t = new Thread(this::accept, "test-ris");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        String next(Duration wait) throws InterruptedException {
            return messages.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread t = new Thread(() -> serve(s), "test-ris-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                ByteArrayOutputStream msg = new ByteArrayOutputStream();
                int b;
                while ((b = in.read()) != -1) {
                    if (b == 0x0b) {
                        msg.reset();
                    } else if (b == 0x1c) {
                        in.read();
                        String m = msg.toString(StandardCharsets.ISO_8859_1);
                        String id = m.split("\r")[0].split("\\|", -1)[9];
                        out.write(("\u000bMSH|^~\\&|RIS||ORDERLY||20240101||ACK|A" + id + "|P|2.3.1\rMSA|AA|" + id
                                + "\r\u001c\r").getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        messages.add(m);
                    } else {
                        msg.write(b);
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
