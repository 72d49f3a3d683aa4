package org.orderly.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.io.DicomFile;
import org.orderly.dicom.io.DicomInputStream;

/**
 * Issue #7, attribute coercion on the way, with the shipped {@code routes/storage-coercion.example} enabled: an order
 * arrives over HL7 ({@code orderly hl7 send} of sample 14: Patient ID HT5005, Accession Number HTA1401, Study Instance
 * UID from ZDS-1, SPS ID HTS1401), dcmtk storescu sends objects without Accession Number, dcmtk storescp receives
 * them with the worklist's identifiers filled and the route rules' InstitutionName / IssuerOfPatientID, pixel data
 * unchanged.
 */
class StorageCoercionIT {
    private static final Path REPO_ROUTES = Path.of(System.getProperty("orderly.repo.routes"));
    private static final String STUDY = "1.2.826.0.1.3680043.9.7433.4.1401";

    @Test
    void worklistFillsMissingAccessionRulesFixInstitutionAndIssuerPixelsUnchanged(@TempDir Path tmp) throws Exception {
        Path routes = Files.createDirectories(tmp.resolve("routes"));
        try (Stream<Path> s = Files.list(REPO_ROUTES)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".camel.yaml")
                    && !p.getFileName().toString().equals("storage-default.camel.yaml")).toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        Files.copy(REPO_ROUTES.resolve("storage-coercion.example"), routes.resolve("storage-coercion.camel.yaml"));

        Path src = Files.createDirectories(tmp.resolve("src"));
        Path pacsDir = Files.createDirectories(tmp.resolve("pacs"));
        // a: the worklist's study, no Accession Number (the modality did not use the worklist's accession)
        Path a = StoragePeers.ctImage(src, STUDY, 1, 60_000, 1, ds -> {
            ds.setString(Tag.PatientID, VR.LO, "HT5005");
            ds.remove(Tag.AccessionNumber);
        });
        // b: a study UID of the modality's own, the SPS ID in the Request Attributes Sequence, empty Accession Number
        Path b = StoragePeers.ctImage(src, "2.25.5550", 2, 60_000, 2, ds -> {
            ds.setString(Tag.PatientID, VR.LO, "HT5005");
            ds.setNull(Tag.AccessionNumber, VR.SH);
            ds.newSequence(Tag.RequestAttributesSequence).addNewItem()
                    .setString(Tag.ScheduledProcedureStepID, VR.SH, "HTS1401");
        });
        // c: the worklist's study but another patient: must not get the order's Accession Number
        Path c = StoragePeers.ctImage(src, STUDY, 3, 60_000, 3, ds -> ds.setString(Tag.PatientID, VR.LO, "HT9999"));
        List<Path> files = List.of(a, b, c);
        Map<String, String> sentHashes = new HashMap<>();
        for (Path f : files) {
            String[] uh = StoragePeers.uidAndPixelHash(f);
            sentHashes.put(uh[0], uh[1]);
        }

        int hl7 = BrokerProcess.freePort();
        int dicomPort = BrokerProcess.freePort();
        int pacsPort = BrokerProcess.freePort();
        Process scp = StoragePeers.storescp(pacsPort, pacsDir);
        try (BrokerProcess broker = BrokerProcess.start(tmp, List.of("--orderly.http.port=" + BrokerProcess.freePort(),
                "--orderly.dicom.port=" + dicomPort, "--orderly.hl7.port=" + hl7,
                "--orderly.data-dir=" + tmp.resolve("data"), "--orderly.routes-dir=" + routes,
                "--orderly.mappings-dir=" + tmp.resolve("maps"), "--orderly.bind=127.0.0.1",
                "--orderly.storage.min-free-mb=1", "--orderly.forward.destination=PACS@127.0.0.1:" + pacsPort))) {
            broker.awaitReady();
            String sent = MwlDifferentialIT.runJar(tmp, "hl7", "send",
                    REPO_ROUTES.resolve("../samples/hl7/14-orm-o01-v231-zsegments.hl7").normalize().toString(),
                    "--to", "127.0.0.1:" + hl7);
            assertTrue(sent.startsWith("exit 0") && sent.contains(": AA"), sent);

            List<String> out = StoragePeers.newLines();
            assertTrue(StoragePeers.storescu(dicomPort, files, out).waitFor(60, TimeUnit.SECONDS), "storescu finished");
            assertEquals(files.size(), StoragePeers.successes(out), String.join("\n", out));

            Map<String, Attributes> got = awaitReceived(pacsDir, files.size(), Duration.ofSeconds(40));
            Attributes ga = got.get(STUDY + ".1");
            assertEquals("HTA1401", ga.getString(Tag.AccessionNumber), "filled from the worklist by Study UID");
            assertEquals(STUDY, ga.getString(Tag.StudyInstanceUID));
            Attributes gb = got.get("2.25.5550.2");
            assertEquals("HTA1401", gb.getString(Tag.AccessionNumber), "filled from the worklist by SPS ID");
            assertEquals("2.25.5550", gb.getString(Tag.StudyInstanceUID), "a sent Study UID is never overwritten");
            Attributes gc = got.get(STUDY + ".3");
            assertNull(gc.getString(Tag.AccessionNumber), "another patient's object gets no accession");
            for (Attributes g : got.values()) {
                String iuid = g.getString(Tag.SOPInstanceUID);
                assertEquals("ORDERLY GENERAL HOSPITAL", g.getString(Tag.InstitutionName), iuid);
                assertEquals("HOSPITAL_A", g.getString(Tag.IssuerOfPatientID), iuid);
                assertEquals(sentHashes.get(iuid), StoragePeers.sha256(g.getBytes(Tag.PixelData)), "pixels of " + iuid);
            }
        } finally {
            scp.destroy();
            scp.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The data sets in the PACS folder once {@code n} are complete, by SOP Instance UID. */
    private static Map<String, Attributes> awaitReceived(Path dir, int n, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, Attributes> m = new HashMap<>();
            try {
                for (Path f : StoragePeers.received(dir)) {
                    try (DicomInputStream in = new DicomInputStream(Files.newInputStream(f))) {
                        DicomFile df = in.readDicomFile();
                        m.put(df.dataset().getString(Tag.SOPInstanceUID).strip(), df.dataset());
                    }
                }
                if (m.size() >= n) {
                    return m;
                }
            } catch (Exception e) {
                // a file still being written
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("PACS has " + m.size() + " of " + n + " objects after " + timeout);
            }
            Thread.sleep(100);
        }
    }
}
