package org.orderly.mwl.scp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.orderly.mwl.testing.Fixtures.order;
import static org.orderly.mwl.testing.Fixtures.patient;
import static org.orderly.mwl.testing.Fixtures.procedure;
import static org.orderly.mwl.testing.Fixtures.step;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.io.DicomInputStream;
import org.orderly.dicom.net.DicomServer;
import org.orderly.dicom.net.service.DicomServiceRegistry;
import org.orderly.mwl.model.SpsStatus;
import org.orderly.mwl.query.MatchOptions;
import org.orderly.mwl.store.WorklistStore;
import org.orderly.mwl.testing.TestDatabase;

/**
 * dcmtk {@code findscu -W} against {@link MwlFindScp} on the project's {@link DicomServer}, over loopback with an
 * ephemeral port. A missing findscu FAILS the test (PEERS.md: in CI a missing peer fails the build).
 */
class MwlFindScpDcmtkTest {
    private static final int PATIENT_WEIGHT = 0x00101030;
    private static DicomServer server;

    @BeforeAll
    static void start() throws Exception {
        WorklistStore store = new WorklistStore(TestDatabase.create());
        store.upsertOrder(order(patient("P1", null, "DOE^JOHN"), procedure("PL1", "A1", "1.2.1"),
                step("S1", "CT", "20261121", "2300", "CT1")));
        store.upsertOrder(order(patient("P2", null, "DOE^JANE"), procedure("PL2", "A2", "1.2.2"),
                step("S2", "CT", "20261122", "0800", "CT1")));
        store.upsertOrder(order(patient("P3", null, "SMITH^JOHN"), procedure("PL3", "A3", "1.2.3"),
                step("S3", "MR", "20261122", "1400", "MR1")));
        store.upsertOrder(order(patient("P4", null, "ROE^JANE"), procedure("PL4", "A4", "1.2.4"),
                step("S4", "CT", "20261123", "0900", "CT1", "CT2")));
        store.upsertOrder(order(patient("P5", null, "POE^EDGAR"), procedure("PL5", "A5", "1.2.5"),
                step("S5", "CT", "20261122", "1000", "CT1")));
        store.updateStepStatus(null, "S5", SpsStatus.COMPLETED);
        DicomServiceRegistry registry = new MwlFindScp(store, MatchOptions.DEFAULT.withMaxAnswers(3))
                .register(new DicomServiceRegistry());
        server = DicomServer.builder("ORDERLY").port(0).registry(registry).build().start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(Duration.ofSeconds(2));
        }
    }

    private record Result(int exit, String output, List<Attributes> answers) {
    }

    private static String findscu() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "findscu");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return fail("dcmtk findscu not found on PATH: install dcmtk (a missing peer fails the build)");
    }

    private static Result findscu(Path dir, String... keys) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(findscu(), "-v", "-W", "-aet", "CT1", "-aec", "ORDERLY",
                "-X", "-od", dir.toString()));
        for (String k : keys) {
            cmd.add("-k");
            cmd.add(k);
        }
        cmd.add("127.0.0.1");
        cmd.add(Integer.toString(server.port()));
        Path log = dir.resolve("findscu.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TCP_NODELAY", "1"); // PEERS.md: dcmtk leaves Nagle on otherwise
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("findscu did not finish in 30 s");
        }
        List<Attributes> answers = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(x -> x.getFileName().toString().startsWith("rsp")).sorted().toList()) {
                try (DicomInputStream in = new DicomInputStream(Files.newInputStream(f))) {
                    answers.add(in.readDicomFile().dataset());
                }
            }
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.ISO_8859_1), answers);
    }

    private static List<String> accessions(Result r) {
        return r.answers().stream().map(a -> a.getString(Tag.AccessionNumber)).toList();
    }

    @Test
    void stationAeAndDateRange(@TempDir Path dir) throws Exception {
        Result r = findscu(dir, "AccessionNumber", "PatientName",
                "ScheduledProcedureStepSequence[0].ScheduledStationAETitle=CT1",
                "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate=20261121-20261122");
        assertEquals(0, r.exit(), r.output());
        assertEquals(List.of("A1", "A2"), accessions(r), "S5 is COMPLETED, S3 is at MR1, S4 on the 23rd");
        assertTrue(r.output().contains("Received Final Find Response (Success)"), r.output());
    }

    @Test
    void personNameWildcard(@TempDir Path dir) throws Exception {
        Result r = findscu(dir, "AccessionNumber", "PatientName=*^JANE", "ScheduledProcedureStepSequence[0].Modality");
        assertEquals(0, r.exit(), r.output());
        assertEquals(List.of("A2", "A4"), accessions(r));
        assertEquals("ROE^JANE", r.answers().get(1).getString(Tag.PatientName));
    }

    @Test
    void universalMatchingStopsAtMaxAnswersWithOutOfResources(@TempDir Path dir) throws Exception {
        // four open items, max-answers 3: three Pending, then A700H (Refused: Out of resources)
        Result r = findscu(dir, "AccessionNumber", "PatientID", "ScheduledProcedureStepSequence[0].Modality");
        assertEquals(List.of("A1", "A2", "A3"), accessions(r));
        assertTrue(r.output().contains("Final Find Response (Refused: OutOfResources)"), r.output());
    }

    @Test
    void universalMatchingWithinTheLimitAndZeroLengthReturnKeys(@TempDir Path dir) throws Exception {
        Result r = findscu(dir, "AccessionNumber", "PatientName=DOE*", "PatientWeight",
                "ScheduledProcedureStepSequence[0].ScheduledProcedureStepLocation",
                "ScheduledProcedureStepSequence[0].ScheduledStationAETitle");
        assertEquals(0, r.exit(), r.output());
        assertEquals(List.of("A1", "A2"), accessions(r));
        Attributes a = r.answers().get(0);
        assertTrue(a.contains(PATIENT_WEIGHT), "requested, absent in the item: returned zero-length");
        assertNull(a.getString(PATIENT_WEIGHT));
        Attributes sps = a.getSequence(Tag.ScheduledProcedureStepSequence).get(0);
        assertTrue(sps.contains(Tag.ScheduledProcedureStepLocation));
        assertEquals("CT1", sps.getString(Tag.ScheduledStationAETitle));
        assertTrue(!sps.contains(Tag.Modality) && !a.contains(Tag.PatientID), "only the requested keys");
    }

    @Test
    void malformedDateRangeIsRefusedWithA900(@TempDir Path dir) throws Exception {
        Result r = findscu(dir, "AccessionNumber",
                "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate=2026-11-22");
        assertEquals(List.of(), r.answers());
        assertTrue(r.output().contains("Final Find Response (Error: DataSetDoesNotMatchSOPClass)"), r.output()); // A900H
    }
}
