package org.orderly.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.net.DicomClient;
import org.orderly.dicom.net.DimseResponse;
import org.orderly.dicom.net.service.DicomServiceRegistry;
import org.orderly.dicom.net.service.NResult;

/**
 * Issue #7 end to end with independent peers: dcmtk storescu (the modality) -> orderly.jar -> dcmtk storescp (the PACS).
 */
class StorageRoutingIT {
    private static final Duration WAIT = Duration.ofSeconds(40);

    private static List<String> args(Path tmp, Path routes, int dicomPort, int httpPort, String destination,
            String... extra) throws Exception {
        List<String> a = new ArrayList<>(List.of("--orderly.http.port=" + httpPort, "--orderly.dicom.port=" + dicomPort,
                "--orderly.hl7.port=" + BrokerProcess.freePort(), "--orderly.data-dir=" + tmp.resolve("data"),
                "--orderly.routes-dir=" + routes, "--orderly.bind=127.0.0.1", "--orderly.storage.min-free-mb=1",
                "--orderly.forward.destination=" + destination, "--orderly.forward.backoff-initial-ms=200",
                "--orderly.forward.backoff-max-ms=1000"));
        a.addAll(List.of(extra));
        return a;
    }

    private static Path routes(Path tmp) throws Exception {
        Path routes = Files.createDirectories(tmp.resolve("routes"));
        Path repo = Path.of(System.getProperty("orderly.repo.routes"));
        Files.copy(repo.resolve("storage-default.camel.yaml"), routes.resolve("storage-default.camel.yaml"));
        return routes;
    }

    /** Waits until {@code n} complete objects are in the PACS folder; returns SOP Instance UID -> pixel hash. */
    private static Map<String, String> awaitReceived(Path dir, int n, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Path> files = StoragePeers.received(dir);
            if (files.size() >= n) {
                try {
                    Map<String, String> m = new HashMap<>();
                    for (Path f : files) {
                        String[] uh = StoragePeers.uidAndPixelHash(f);
                        m.put(uh[0], uh[1]);
                    }
                    if (m.size() >= n) {
                        return m;
                    }
                } catch (Exception e) {
                    // a file still being written
                }
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("PACS has " + files.size() + " of " + n + " objects after " + timeout);
            }
            Thread.sleep(100);
        }
    }

    /**
     * SOP Instance UID -> pixel hash of the files at the PACS once it has every one of {@code uids}: it may also hold
     * objects that were spooled and delivered but whose Success never reached storescu (the broker died first), so
     * a count alone would return early.
     */
    private static Map<String, String> awaitAllReceived(Path dir, java.util.Set<String> uids) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Map<String, String> got = awaitReceived(dir, uids.size(), WAIT);
            List<String> missing = uids.stream().filter(u -> !got.containsKey(u)).toList();
            if (missing.isEmpty()) {
                return got;
            }
            assertTrue(System.nanoTime() < end, "answered Success but not at the PACS: " + missing);
            Thread.sleep(200);
        }
    }

    @Test
    void pacsDownThenUpNothingLostOrderKeptHashesEqualCorruptRefusedAndCommitment(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path pacsDir = Files.createDirectories(tmp.resolve("pacs"));
        List<Path> files = new ArrayList<>();
        Map<String, String> sent = new LinkedHashMap<>();
        for (int s = 1; s <= 3; s++) {
            for (int i = 1; i <= 5; i++) {
                Path f = StoragePeers.ctImage(src, "2.25.7" + s, i, 200_000, s * 100 + i);
                files.add(f);
                String[] uh = StoragePeers.uidAndPixelHash(f);
                sent.put(uh[0], uh[1]);
            }
        }
        int pacsPort = BrokerProcess.freePort();
        int dicomPort = BrokerProcess.freePort();
        int httpPort = BrokerProcess.freePort();
        try (BrokerProcess broker = BrokerProcess.start(tmp, args(tmp, routes(tmp), dicomPort, httpPort,
                "PACS@127.0.0.1:" + pacsPort, "--orderly.forward.max-attempts=100",
                "--orderly.storage.commitment.timeout-seconds=4"))) {
            broker.awaitReady();
            // 1. the PACS is down: every object is still answered Success (spooled)
            List<String> out = StoragePeers.newLines();
            Process scu = StoragePeers.storescu(dicomPort, files, out);
            assertTrue(scu.waitFor(60, TimeUnit.SECONDS), "storescu finished");
            assertEquals(files.size(), StoragePeers.successes(out), String.join("\n", out));
            Thread.sleep(1500); // a few failed attempts against the closed port

            // 2. the PACS comes up: nothing lost, pixel data identical, order kept within each study
            Process scp = StoragePeers.storescp(pacsPort, pacsDir);
            try {
                Map<String, String> got = awaitReceived(pacsDir, files.size(), WAIT);
                assertEquals(sent, got, "every object, pixel data unchanged");
                Map<String, List<String>> arrivalByStudy = new LinkedHashMap<>();
                List<Path> byTime = new ArrayList<>(StoragePeers.received(pacsDir));
                byTime.sort(Comparator.comparing(p -> {
                    try {
                        return Files.getLastModifiedTime(p).toInstant();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
                for (Path p : byTime) {
                    String uid = StoragePeers.uidAndPixelHash(p)[0];
                    arrivalByStudy.computeIfAbsent(uid.substring(0, uid.lastIndexOf('.')), k -> new ArrayList<>()).add(uid);
                }
                for (var e : arrivalByStudy.entrySet()) {
                    assertEquals(List.of(e.getKey() + ".1", e.getKey() + ".2", e.getKey() + ".3", e.getKey() + ".4",
                            e.getKey() + ".5"), e.getValue(), "order within study " + e.getKey());
                }
                awaitSpoolEmpty(tmp.resolve("data/spool"));

                // 3. a corrupt object (bad length inside) gets an error status; the next one on the same
                //    association is stored (raw bytes sent by our DicomClient: storescu refuses to send a broken file)
                try (DicomClient c = DicomClient.to("ORDERLY@127.0.0.1:" + dicomPort).callingAe("MOD")
                        .context(UID.CTImageStorage, UID.ExplicitVRLittleEndian).connect()) {
                    byte[] corrupt = {
                        0x08, 0x00, 0x16, 0x00, 'U', 'I', 0x1A, 0x00, // (0008,0016) UI length 26
                        '1', '.', '2', '.', '8', '4', '0', '.', '1', '0', '0', '0', '8', '.', '5', '.', '1', '.', '4',
                        '.', '1', '.', '1', '.', '2', 0,
                        0x10, 0x00, 0x10, 0x00, 'P', 'N', (byte) 0xF0, 0x7F, 'X', 'Y'}; // (0010,0010) length 32752: past the end
                    DimseResponse bad = c.store(UID.CTImageStorage, "2.25.999.1", UID.ExplicitVRLittleEndian,
                            new ByteArrayInputStream(corrupt));
                    assertEquals(0xC000, bad.status().code(), "corrupt data set: cannot understand");
                    Path good = StoragePeers.ctImage(src, "2.25.74", 1, 10_000, 9);
                    assertEquals(0, c.store(good).status().code(), "next object on the same association");
                }
                awaitReceived(pacsDir, files.size() + 1, WAIT);

                // 4. storage commitment (requester: our DicomClient; report on the same association)
                Commitment r = requestCommitment(dicomPort, "2.25.4242", "2.25.71.1", "2.25.72.3", "2.25.404.1");
                assertEquals(2, r.eventType(), "failures exist: 2.25.404.1 was never received");
                assertEquals("2.25.4242", r.report().getString(Tag.TransactionUID));
                assertEquals(2, r.report().getSequence(Tag.ReferencedSOPSequence).size());
                Sequence failed = r.report().getSequence(Tag.FailedSOPSequence);
                assertEquals(1, failed.size());
                assertEquals("2.25.404.1", failed.get(0).getString(Tag.ReferencedSOPInstanceUID));
                assertEquals(0x0112, failed.get(0).getInt(Tag.FailureReason, -1));
            } finally {
                scp.destroy();
                scp.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** An N-EVENT-REPORT of Storage Commitment: its event type (1 all committed, 2 failures) and information. */
    private record Commitment(int eventType, Attributes report) {
    }

    /** Storage commitment of CT objects, requested by our DicomClient; the report comes on the same association. */
    private static Commitment requestCommitment(int dicomPort, String transactionUid, String... iuids)
            throws Exception {
        CompletableFuture<Commitment> report = new CompletableFuture<>();
        DicomServiceRegistry services = new DicomServiceRegistry().nEventReport(UID.StorageCommitmentPushModel, rq -> {
            report.complete(new Commitment(rq.eventTypeId(), rq.eventInformation()));
            return NResult.success();
        });
        try (DicomClient c = DicomClient.to("ORDERLY@127.0.0.1:" + dicomPort).callingAe("MOD").services(services)
                .context(UID.StorageCommitmentPushModel).connect()) {
            Attributes info = new Attributes();
            info.setString(Tag.TransactionUID, VR.UI, transactionUid);
            Sequence seq = info.newSequence(Tag.ReferencedSOPSequence);
            for (String iuid : iuids) {
                Attributes item = seq.addNewItem();
                item.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.CTImageStorage);
                item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, iuid);
            }
            assertEquals(0, c.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1, info)
                    .status().code());
            return report.get(20, TimeUnit.SECONDS);
        }
    }

    private static void awaitSpoolEmpty(Path spool) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<Path> left = spoolFiles(spool).stream().map(spool::relativize).toList();
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("spool files left after every destination confirmed: " + left);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void deadLetterQueueAndAdminRetry(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path pacsDir = Files.createDirectories(tmp.resolve("pacs"));
        Path f = StoragePeers.ctImage(src, "2.25.81", 1, 20_000, 1);
        int pacsPort = BrokerProcess.freePort();
        int dicomPort = BrokerProcess.freePort();
        int httpPort = BrokerProcess.freePort();
        try (BrokerProcess broker = BrokerProcess.start(tmp, args(tmp, routes(tmp), dicomPort, httpPort,
                "PACS@127.0.0.1:" + pacsPort, "--orderly.forward.max-attempts=2"))) {
            broker.awaitReady();
            List<String> out = StoragePeers.newLines();
            assertTrue(StoragePeers.storescu(dicomPort, List.of(f), out).waitFor(30, TimeUnit.SECONDS));
            assertEquals(1, StoragePeers.successes(out), String.join("\n", out));
            broker.awaitOut(l -> l.contains("moved to dead-letter queue"), WAIT);
            // the log line is written just before the message is sent to the dead-letter queue: wait for it there
            String list = BrokerProcess.get(httpPort, "/api/storage/dlq").body();
            for (long end = System.nanoTime() + WAIT.toNanos(); list.equals("[]") && System.nanoTime() < end; ) {
                Thread.sleep(50);
                list = BrokerProcess.get(httpPort, "/api/storage/dlq").body();
            }
            assertTrue(list.contains("\"sopInstanceUid\":\"2.25.81.1\"") && list.contains("\"attempts\":2"), list);

            Process scp = StoragePeers.storescp(pacsPort, pacsDir);
            try {
                HttpResponse<String> retry = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/api/storage/dlq/retry"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals("{\"retried\":1}", retry.body());
                assertEquals(StoragePeers.uidAndPixelHash(f)[1], awaitReceived(pacsDir, 1, WAIT).get("2.25.81.1"));
                assertEquals("[]", BrokerProcess.get(httpPort, "/api/storage/dlq").body());
                awaitSpoolEmpty(tmp.resolve("data/spool"));
            } finally {
                scp.destroy();
                scp.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A crash after the PACS answered Success and the destination link was removed, but before the DELIVERED row was
     * written: at restart the message comes again and finds no link. It counts as delivered (a link is removed only
     * after Success), so Storage Commitment reports it committed instead of waiting for it forever.
     */
    @Test
    void messageWhoseLinkIsGoneAfterACrashCountsAsDelivered(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path pacsDir = Files.createDirectories(tmp.resolve("pacs"));
        Path f = StoragePeers.ctImage(src, "2.25.86", 1, 20_000, 1);
        int pacsPort = BrokerProcess.freePort();
        int dicomPort = BrokerProcess.freePort();
        int httpPort = BrokerProcess.freePort();
        Path routes = routes(tmp);
        List<String> a = args(tmp, routes, dicomPort, httpPort, "PACS@127.0.0.1:" + pacsPort,
                "--orderly.forward.max-attempts=100", "--orderly.storage.commitment.timeout-seconds=4");
        Path spool = tmp.resolve("data/spool");
        try (BrokerProcess broker = BrokerProcess.start(tmp, a)) {
            broker.awaitReady();
            List<String> out = StoragePeers.newLines();
            assertTrue(StoragePeers.storescu(dicomPort, List.of(f), out).waitFor(30, TimeUnit.SECONDS));
            assertEquals(1, StoragePeers.successes(out), String.join("\n", out));
            // the PACS is down: the object waits in its destination link once routing has finished with it
            for (long end = System.nanoTime() + WAIT.toNanos(); !spoolFiles(spool.resolve("objects")).isEmpty(); ) {
                assertTrue(System.nanoTime() < end, "routing did not finish");
                Thread.sleep(50);
            }
            broker.kill();
        }
        List<Path> links = spoolFiles(spool.resolve("dest"));
        assertEquals(1, links.size(), "one destination link");
        Files.delete(links.get(0)); // what delivery does after the PACS's Success, just before the crash

        Process scp = StoragePeers.storescp(pacsPort, pacsDir);
        try (BrokerProcess broker = BrokerProcess.start(tmp, a)) {
            broker.awaitReady();
            broker.awaitOut(l -> l.contains("2.25.86.1") && l.contains("has no spool file"), WAIT);
            Commitment r = requestCommitment(dicomPort, "2.25.4343", "2.25.86.1");
            assertEquals(1, r.eventType(), "committed: it reached the PACS before the crash");
            assertEquals(1, r.report().getSequence(Tag.ReferencedSOPSequence).size());
        } finally {
            scp.destroy();
            scp.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * The object files under {@code dir} (a spool, or one of its folders), at any depth; not the slots in
     * {@code free/}, which hold disk space for the next objects, no object.
     */
    private static List<Path> spoolFiles(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".dcm") && !p.getParent().getFileName().toString().equals("free"))
                    .toList();
        }
    }

    @Test
    void sigkillMidTransferThenRestartEveryObjectAnsweredSuccessReachesThePacs(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path pacsDir = Files.createDirectories(tmp.resolve("pacs"));
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= 150; i++) {
            files.add(StoragePeers.ctImage(src, "2.25.9" + (i % 5), i, 500_000, i));
        }
        int pacsPort = BrokerProcess.freePort();
        int dicomPort = BrokerProcess.freePort();
        int httpPort = BrokerProcess.freePort();
        Path routes = routes(tmp);
        Process scp = StoragePeers.storescp(pacsPort, pacsDir);
        try {
            List<String> out = StoragePeers.newLines();
            try (BrokerProcess broker = BrokerProcess.start(tmp, args(tmp, routes, dicomPort, httpPort,
                    "PACS@127.0.0.1:" + pacsPort))) {
                broker.awaitReady();
                Process scu = StoragePeers.storescu(dicomPort, files, out);
                long end = System.nanoTime() + WAIT.toNanos();
                while (StoragePeers.successes(out) < 20 && System.nanoTime() < end) {
                    Thread.sleep(5);
                }
                broker.kill(); // SIGKILL mid-transfer
                scu.waitFor(30, TimeUnit.SECONDS);
            }
            long answered = StoragePeers.successes(out);
            assertTrue(answered >= 20 && answered < files.size(), "killed mid-transfer: " + answered + " answered");
            // storescu sends one after the other: the first `answered` files are the ones answered Success
            Map<String, String> expected = new HashMap<>();
            for (int i = 0; i < answered; i++) {
                String[] uh = StoragePeers.uidAndPixelHash(files.get(i));
                expected.put(uh[0], uh[1]);
            }
            try (BrokerProcess broker = BrokerProcess.start(tmp, args(tmp, routes, dicomPort, httpPort,
                    "PACS@127.0.0.1:" + pacsPort))) {
                broker.awaitReady();
                Map<String, String> got = awaitAllReceived(pacsDir, expected.keySet());
                for (var e : expected.entrySet()) {
                    assertEquals(e.getValue(), got.get(e.getKey()), "answered Success, so at the PACS: " + e.getKey());
                }
            }
        } finally {
            scp.destroy();
            scp.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Issue #7 "every object answered Success reaches the PACS" under load, with delivery running: storescu sends
     * while the broker forwards to a live PACS and is SIGKILLed at a random moment, again and again on the same data
     * directory ({@code -Dorderly.crash.rounds}, default 3). At the end every object ever answered Success is at
     * the PACS with its pixel data unchanged, the spool is empty, and Storage Commitment reports every one of them
     * committed (no ledger row left PENDING by a crash between a delivery and its record).
     */
    @Test
    void repeatedSigkillUnderLoadEveryAnsweredObjectIsDeliveredAndCommitted(@TempDir Path tmp) throws Exception {
        int rounds = Integer.getInteger("orderly.crash.rounds", 3);
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path pacsDir = Files.createDirectories(tmp.resolve("pacs"));
        int pacsPort = BrokerProcess.freePort();
        int dicomPort = BrokerProcess.freePort();
        List<String> a = args(tmp, routes(tmp), dicomPort, BrokerProcess.freePort(), "PACS@127.0.0.1:" + pacsPort,
                "--orderly.storage.commitment.timeout-seconds=10");
        java.util.Random random = new java.util.Random(7);
        Map<String, String> answered = new LinkedHashMap<>();
        Process scp = StoragePeers.storescp(pacsPort, pacsDir);
        try {
            for (int round = 0; round < rounds; round++) {
                List<Path> files = new ArrayList<>();
                for (int i = 1; i <= 60; i++) { // three studies, interleaved as a modality sends a series each
                    files.add(StoragePeers.ctImage(src, "2.25.66" + round + (i % 3), i, 100_000, round * 100 + i));
                }
                int killAfter = 10 + random.nextInt(30);
                List<String> out = StoragePeers.newLines();
                try (BrokerProcess broker = BrokerProcess.start(tmp, a)) {
                    broker.awaitReady();
                    Process scu = StoragePeers.storescu(dicomPort, files, out);
                    for (long end = System.nanoTime() + WAIT.toNanos();
                            StoragePeers.successes(out) < killAfter && System.nanoTime() < end; ) {
                        Thread.sleep(2);
                    }
                    broker.kill();
                    assertTrue(scu.waitFor(30, TimeUnit.SECONDS), "storescu ended after the crash");
                }
                long n = StoragePeers.successes(out); // storescu sends one after the other: the first n
                assertTrue(n >= killAfter && n < files.size(), "round " + round + ": killed mid-transfer after " + n);
                for (int i = 0; i < n; i++) {
                    String[] uh = StoragePeers.uidAndPixelHash(files.get(i));
                    answered.put(uh[0], uh[1]);
                }
            }
            try (BrokerProcess broker = BrokerProcess.start(tmp, a)) {
                broker.awaitReady();
                Map<String, String> got = awaitAllReceived(pacsDir, answered.keySet());
                for (var e : answered.entrySet()) {
                    assertEquals(e.getValue(), got.get(e.getKey()), "pixel data of " + e.getKey());
                }
                try {
                    awaitSpoolEmpty(tmp.resolve("data/spool"));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nbroker output:\n"
                            + String.join("\n", broker.stdout()), e);
                }
                Commitment r = requestCommitment(dicomPort, "2.25.6767", answered.keySet().toArray(String[]::new));
                Sequence failed = r.report().getSequence(Tag.FailedSOPSequence);
                assertEquals(1, r.eventType(), "every answered object committed; failed: " + (failed == null ? "none"
                        : failed.stream().map(i -> i.getString(Tag.ReferencedSOPInstanceUID)).toList()));
                assertEquals(answered.size(), r.report().getSequence(Tag.ReferencedSOPSequence).size());
            }
        } finally {
            scp.destroy();
            scp.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void spoolBelowMinimumFreeSpaceIsRefusedA700AndNothingIsKept(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path f = StoragePeers.ctImage(src, "2.25.83", 1, 10_000, 1);
        int dicomPort = BrokerProcess.freePort();
        int httpPort = BrokerProcess.freePort();
        List<String> a = args(tmp, routes(tmp), dicomPort, httpPort, "PACS@127.0.0.1:" + BrokerProcess.freePort());
        a.removeIf(s -> s.startsWith("--orderly.storage.min-free-mb="));
        a.add("--orderly.storage.min-free-mb=10000000"); // the largest allowed value: 10 TB, more than this disk has
        try (BrokerProcess broker = BrokerProcess.start(tmp, a)) {
            broker.awaitReady();
            List<String> out = StoragePeers.newLines();
            StoragePeers.storescu(dicomPort, List.of(f), out).waitFor(30, TimeUnit.SECONDS);
            assertEquals(0, StoragePeers.successes(out), String.join("\n", out));
            assertTrue(out.stream().anyMatch(l -> l.contains("Store Response")
                    && l.replace(" ", "").toLowerCase().contains("outofresources")), String.join("\n", out));
            broker.awaitOut(l -> l.contains("2.25.83.1 refused A700"), WAIT);
            assertEquals(List.of(), spoolFiles(tmp.resolve("data/spool")), "nothing kept");
        }
    }
}
