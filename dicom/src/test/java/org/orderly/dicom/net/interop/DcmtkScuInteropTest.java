package org.orderly.dicom.net.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.io.DicomInputStream;
import org.orderly.dicom.io.FileMetaInformation;
import org.orderly.dicom.io.Part10Writer;
import org.orderly.dicom.net.DicomServer;
import org.orderly.dicom.net.dimse.Status;
import org.orderly.dicom.net.service.DicomServiceException;
import org.orderly.dicom.net.service.DicomServiceRegistry;
import org.orderly.dicom.net.service.Matches;

/** dcmtk SCUs (echoscu, findscu, storescu) against our SCP. */
class DcmtkScuInteropTest {

    private static final Duration T = Duration.ofSeconds(60);
    private DicomServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ofSeconds(2));
        }
    }

    private int start(DicomServiceRegistry r) throws IOException {
        server = DicomServer.builder("ORDERLY").port(0).registry(r).build().start();
        return server.port();
    }

    @Test
    void echoscu() throws Exception {
        AtomicInteger echoes = new AtomicInteger();
        int port = start(new DicomServiceRegistry().cEcho(ctx -> echoes.incrementAndGet()));
        Peers.run(T, Peers.require("echoscu"), "-aet", "ECHOSCU", "-aec", "ORDERLY", "--repeat", "3",
                "127.0.0.1", Integer.toString(port)).assertExit(0);
        assertEquals(3, echoes.get());
    }

    static Attributes worklistItem(String accession, String name) {
        Attributes a = new Attributes();
        a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        a.setString(Tag.AccessionNumber, VR.SH, accession);
        a.setString(Tag.PatientName, VR.PN, name);
        a.setString(Tag.PatientID, VR.LO, "PID-" + accession);
        Attributes sps = a.newSequence(Tag.ScheduledProcedureStepSequence).addNewItem();
        sps.setString(Tag.Modality, VR.CS, "CT");
        sps.setString(Tag.ScheduledStationAETitle, VR.AE, "CT1");
        sps.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, "20240101");
        return a;
    }

    @Test
    void findscuWorklistGetsEveryPendingAndSuccess(@TempDir Path dir) throws Exception {
        int port = start(new DicomServiceRegistry().cFind(UID.ModalityWorklistInformationModelFind,
                rq -> Matches.of(worklistItem("A1", "DOE^JOHN"), worklistItem("A2", "ROE^JANE"),
                        worklistItem("A3", "POE^EDGAR"))));
        Peers.Result r = Peers.run(T, Peers.require("findscu"), "-v", "-W", "-aet", "CT1", "-aec", "ORDERLY",
                "-k", "AccessionNumber", "-k", "PatientName", "-k",
                "ScheduledProcedureStepSequence[0].ScheduledStationAETitle=CT1", "-X", "-od", dir.toString(),
                "127.0.0.1", Integer.toString(port)).assertExit(0);
        List<String> accessions = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                try (DicomInputStream in = new DicomInputStream(Files.newInputStream(f))) {
                    Attributes rsp = in.readDicomFile().dataset();
                    accessions.add(rsp.getString(Tag.AccessionNumber));
                    assertTrue(rsp.contains(Tag.PatientName));
                    assertTrue(!rsp.contains(Tag.PatientID), "trimmed to the return keys");
                }
            }
        }
        assertEquals(List.of("A1", "A2", "A3"), accessions);
        assertTrue(r.output().contains("Received Final Find Response (Success)"), r.output());
    }

    @Test
    void findscuCancelStopsTheQuery(@TempDir Path dir) throws Exception {
        AtomicInteger produced = new AtomicInteger();
        int port = start(new DicomServiceRegistry().cFind(UID.ModalityWorklistInformationModelFind,
                rq -> new Matches() {
                    @Override
                    public boolean hasNext() {
                        return produced.get() < 50;
                    }

                    @Override
                    public Attributes next() {
                        try {
                            Thread.sleep(100); // a slow database: the cancel must arrive mid-query
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return worklistItem("A" + produced.incrementAndGet(), "DOE^JOHN");
                    }
                }));
        Peers.Result r = Peers.run(T, Peers.require("findscu"), "-v", "-W", "-aet", "CT1", "-aec", "ORDERLY",
                "--cancel", "2", "-k", "AccessionNumber", "-X", "-od", dir.toString(), "127.0.0.1",
                Integer.toString(port)).assertExit(0);
        assertTrue(r.output().contains("Cancel"), r.output());
        assertTrue(produced.get() < 10, "query stopped after the C-CANCEL: " + produced.get() + " produced");
    }

    @Test
    void storescuSeveralFilesIncludingALargeOneArriveByteIdentical(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = Files.createDirectories(dir.resolve("out"));
        Map<String, Path> received = new ConcurrentHashMap<>();
        int port = start(new DicomServiceRegistry().cStore(UID.CTImageStorage, rq -> {
            Path f = out.resolve(rq.sopInstanceUid() + ".dcm");
            Part10Writer.writeRaw(f, FileMetaInformation.create(rq.sopClassUid(), rq.sopInstanceUid(),
                    rq.transferSyntax().uid(), rq.callingAeTitle()), rq.dataset());
            received.put(rq.sopInstanceUid(), f);
            return Status.SUCCESS;
        }));
        List<String> cmd = new ArrayList<>(List.of(Peers.require("storescu"), "-aet", "STORESCU", "-aec",
                "ORDERLY", "127.0.0.1", Integer.toString(port)));
        Map<String, Path> sent = new java.util.LinkedHashMap<>();
        for (int i = 1; i <= 3; i++) {
            String iuid = "2.25.7000" + i;
            sent.put(iuid, TestImages.write(in.resolve(i + ".dcm"), UID.CTImageStorage, iuid, 512, 512, i));
        }
        // 5000 x 5000 x 2 bytes = 50 MB
        sent.put("2.25.70050", TestImages.write(in.resolve("large.dcm"), UID.CTImageStorage, "2.25.70050", 5000,
                5000, 50));
        sent.values().forEach(p -> cmd.add(p.toString()));
        Peers.run(T, cmd.toArray(String[]::new)).assertExit(0);
        assertEquals(sent.keySet(), received.keySet());
        for (var e : sent.entrySet()) {
            assertEquals(TestImages.datasetDigest(e.getValue()), TestImages.datasetDigest(received.get(e.getKey())),
                    "data set of " + e.getKey());
        }
        assertTrue(Files.size(received.get("2.25.70050")) > 50_000_000L);
    }

    @Test
    void storescuGetsTheHandlersFailureStatus(@TempDir Path dir) throws Exception {
        int port = start(new DicomServiceRegistry().cStore(UID.SecondaryCaptureImageStorage, rq -> {
            rq.dataset().transferTo(java.io.OutputStream.nullOutputStream());
            throw new DicomServiceException(Status.OUT_OF_RESOURCES, "spool volume full");
        }));
        Path f = TestImages.write(dir.resolve("sc.dcm"), UID.SecondaryCaptureImageStorage, "2.25.8001", 64, 64, 1);
        Peers.Result r = Peers.run(T, Peers.require("storescu"), "-v", "-aet", "STORESCU", "-aec", "ORDERLY",
                "127.0.0.1", Integer.toString(port), f.toString());
        assertTrue(r.output().contains("Refused: OutOfResources") || r.output().toLowerCase().contains("a700"),
                r.output());
        // an unsupported SOP class is not accepted at all: storescu reports no presentation context
        Path ct = TestImages.write(dir.resolve("ct.dcm"), UID.CTImageStorage, "2.25.8002", 64, 64, 2);
        Peers.Result r2 = Peers.run(T, Peers.require("storescu"), "-v", "-aet", "STORESCU", "-aec", "ORDERLY",
                "127.0.0.1", Integer.toString(port), ct.toString());
        assertTrue(r2.output().toLowerCase().contains("no presentation context")
                || r2.output().toLowerCase().contains("no acceptable presentation context"), r2.output());
    }
}
