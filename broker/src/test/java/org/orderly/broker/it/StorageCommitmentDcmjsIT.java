package org.orderly.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage Commitment Push Model (PS3.4 Annex J) with an independent requester, dcmjs-dimse
 * ({@code src/test/node/stgcmt.js}): the N-EVENT-REPORT on the association of the N-ACTION (and its
 * N-EVENT-REPORT-RSP accepted, not logged as unexpected), and on a new association to the requester's SCP.
 */
class StorageCommitmentDcmjsIT {
    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";

    private static Path repo() {
        return Path.of(System.getProperty("orderly.repo.routes")).toAbsolutePath().getParent();
    }

    /** Runs the requester script; returns its output lines (fails on a non-zero exit). */
    private static List<String> stgcmt(String... args) throws Exception {
        Path modules = repo().resolve("samples/peers/node_modules");
        if (!Files.isDirectory(modules.resolve("dcmjs-dimse"))) {
            fail("dcmjs-dimse missing in " + modules + ": run 'npm ci' in samples/peers (a missing peer fails)");
        }
        List<String> cmd = new ArrayList<>(List.of(StoragePeers.exe("node"),
                repo().resolve("broker/src/test/node/stgcmt.js").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("NODE_PATH", modules.toString());
        pb.environment().put("PEER_TIMEOUT_MS", "30000");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(40, TimeUnit.SECONDS), "stgcmt.js ended");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        return text.lines().toList();
    }

    private static String line(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " line in " + lines));
    }

    @Test
    void dcmjsRequesterGetsTheReportOnTheSameAndOnANewAssociation(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path pacsDir = Files.createDirectories(tmp.resolve("pacs"));
        List<Path> files = List.of(StoragePeers.ctImage(src, "2.25.61", 1, 20_000, 1),
                StoragePeers.ctImage(src, "2.25.61", 2, 20_000, 2));
        int pacsPort = BrokerProcess.freePort();
        int dicomPort = BrokerProcess.freePort();
        int httpPort = BrokerProcess.freePort();
        int requesterPort = BrokerProcess.freePort();
        Path routes = Files.createDirectories(tmp.resolve("routes"));
        Files.copy(Path.of(System.getProperty("orderly.repo.routes")).resolve("storage-default.camel.yaml"),
                routes.resolve("storage-default.camel.yaml"));
        Process scp = StoragePeers.storescp(pacsPort, pacsDir);
        try (BrokerProcess broker = BrokerProcess.start(tmp, List.of("--orderly.http.port=" + httpPort,
                "--orderly.dicom.port=" + dicomPort, "--orderly.hl7.port=" + BrokerProcess.freePort(),
                "--orderly.data-dir=" + tmp.resolve("data"), "--orderly.routes-dir=" + routes,
                "--orderly.bind=127.0.0.1", "--orderly.storage.min-free-mb=1",
                "--orderly.forward.destination=PACS@127.0.0.1:" + pacsPort,
                "--orderly.storage.commitment.timeout-seconds=3",
                "--orderly.storage.commitment.peers=DCMJS@127.0.0.1:" + requesterPort))) {
            broker.awaitReady();
            List<String> out = StoragePeers.newLines();
            assertTrue(StoragePeers.storescu(dicomPort, files, out).waitFor(30, TimeUnit.SECONDS));
            assertEquals(2, StoragePeers.successes(out), String.join("\n", out));
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (StoragePeers.received(pacsDir).size() < 2 && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            Thread.sleep(300); // the ledger records DELIVERED right after the PACS answered

            // 1. same association: both delivered -> event type 1, answered with N-EVENT-REPORT-RSP on that association
            List<String> same = stgcmt("127.0.0.1", Integer.toString(dicomPort), "ORDERLY", "same", "0", "2.25.601",
                    CT, "2.25.61.1", "2.25.61.2");
            assertEquals("ACTION 0", line(same, "ACTION"));
            String report = line(same, "REPORT");
            assertTrue(report.contains("\"eventTypeId\":1") && report.contains("2.25.601")
                    && report.contains("2.25.61.1") && report.contains("2.25.61.2")
                    && !report.contains("FailedSOPSequence"), report);
            broker.awaitOut(l -> l.contains("storage commitment 2.25.601: N-EVENT-REPORT-RSP"), Duration.ofSeconds(10));
            assertFalse(broker.stdout().stream().anyMatch(l -> l.contains("unexpected")), "no unexpected-response WARN");

            // 2. new association: one object never received -> the report waits for the timeout, the requester has
            //    released by then, so it goes to DCMJS@127.0.0.1:requesterPort; event type 2 (failures exist)
            List<String> fresh = stgcmt("127.0.0.1", Integer.toString(dicomPort), "ORDERLY", "new",
                    Integer.toString(requesterPort), "2.25.602", CT, "2.25.61.1", "2.25.404.9");
            assertEquals("ACTION 0", line(fresh, "ACTION"));
            String report2 = line(fresh, "REPORT");
            assertTrue(report2.contains("\"eventTypeId\":2") && report2.contains("2.25.602")
                    && report2.contains("2.25.404.9") && report2.contains("FailedSOPSequence"), report2);
            broker.awaitOut(l -> l.contains("storage commitment 2.25.602: N-EVENT-REPORT type 2")
                    && l.contains("DCMJS@127.0.0.1:" + requesterPort), Duration.ofSeconds(10));
        } finally {
            scp.destroy();
            scp.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
