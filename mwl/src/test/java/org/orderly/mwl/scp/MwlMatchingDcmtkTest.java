package org.orderly.mwl.scp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.orderly.mwl.testing.Fixtures.order;
import static org.orderly.mwl.testing.Fixtures.patient;
import static org.orderly.mwl.testing.Fixtures.procedure;
import static org.orderly.mwl.testing.Fixtures.step;
import static org.orderly.mwl.testing.Fixtures.utf8Patient;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
import org.orderly.mwl.access.CallingAeRule;
import org.orderly.mwl.access.MwlAccessPolicy;
import org.orderly.mwl.log.QueryLogEntry;
import org.orderly.mwl.model.SpsStatus;
import org.orderly.mwl.query.MatchOptions;
import org.orderly.mwl.store.WorklistStore;
import org.orderly.mwl.testing.TestDatabase;

/**
 * Issue #5 with dcmtk {@code findscu -W} as the modality: one test per matching type of PS3.4 §C.2.2.2 / §K.6.1.2,
 * status filtering, C-CANCEL, the per-calling-AE rules (visibility, coercion, answer character set, unknown
 * callers) and the query log. A missing findscu FAILS the test (in CI a missing peer fails the build).
 */
class MwlMatchingDcmtkTest {
    private static final AtomicReference<MwlAccessPolicy> POLICY = new AtomicReference<>(MwlAccessPolicy.OPEN);
    private static final List<QueryLogEntry> LOG = new CopyOnWriteArrayList<>();
    private static DicomServer server;
    private static DicomServer foldingServer;

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
        Attributes p6 = procedure("PL6", "A6", "1.2.6");
        p6.setString(Tag.SpecificCharacterSet, org.orderly.dicom.data.VR.CS, "ISO_IR 192");
        store.upsertOrder(order(utf8Patient("P6", "Müller^Jürgen=ミュラー^ユルゲン"), p6,
                utf8Step()));
        DicomServiceRegistry registry = new MwlFindScp(store, MatchOptions.DEFAULT.withMaxAnswers(100), POLICY::get,
                LOG::add).register(new DicomServiceRegistry());
        server = DicomServer.builder("ORDERLY").port(0).registry(registry)
                .callingAeCheck((ae, syntaxes) -> POLICY.get().refusal(ae, syntaxes)).build().start();
        DicomServiceRegistry folding = new MwlFindScp(store, MatchOptions.DEFAULT.withPnFolding(true, true))
                .register(new DicomServiceRegistry());
        foldingServer = DicomServer.builder("ORDERLY").port(0).registry(folding).build().start();
    }

    private static Attributes utf8Step() {
        Attributes s = step("S6", "MR", "20261122", "1500", "MR1");
        Attributes out = new Attributes();
        out.setString(Tag.SpecificCharacterSet, org.orderly.dicom.data.VR.CS, "ISO_IR 192");
        out.addAll(s);
        return out;
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(Duration.ofSeconds(2));
        }
        if (foldingServer != null) {
            foldingServer.stop(Duration.ofSeconds(2));
        }
    }

    private record Result(int exit, String output, List<Attributes> answers) {
        List<String> accessions() {
            return answers.stream().map(a -> a.getString(Tag.AccessionNumber)).toList();
        }
    }

    static String findscu() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "findscu");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return fail("dcmtk findscu not found on PATH: install dcmtk (a missing peer fails the build)");
    }

    private static Result find(Path dir, String callingAe, String... keys) throws Exception {
        return find(server, dir, callingAe, List.of(), keys);
    }

    private static Result find(DicomServer target, Path dir, String callingAe, List<String> options, String... keys)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of(findscu(), "-v", "-W", "-aet", callingAe, "-aec", "ORDERLY",
                "-X", "-od", dir.toString()));
        cmd.addAll(options);
        cmd.add("-k");
        cmd.add("AccessionNumber"); // every answer names its item
        for (String k : keys) {
            cmd.add("-k");
            cmd.add(k);
        }
        cmd.add("127.0.0.1");
        cmd.add(Integer.toString(target.port()));
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
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8), answers);
    }

    private static final String SPS = "ScheduledProcedureStepSequence[0].";

    // ------------------------------------------------------------ matching types (PS3.4 §C.2.2.2)

    @Test
    void singleValueMatching(@TempDir Path dir) throws Exception {
        Result r = find(dir, "ANY", "PatientID=P3");
        assertEquals(List.of("A3"), r.accessions(), r.output());
        assertTrue(r.output().contains("Final Find Response (Success)"), r.output());
    }

    @Test
    void universalMatchingReturnsValuesAndZeroLengthForMissingKeys(@TempDir Path dir) throws Exception {
        Result r = find(dir, "ANY", "PatientID", "PatientName=DOE^JOHN", "AdmissionID", SPS + "ScheduledStationName");
        assertEquals(List.of("A1"), r.accessions(), r.output());
        Attributes a = r.answers().get(0);
        assertEquals("P1", a.getString(Tag.PatientID), "universal key returns the value");
        assertTrue(a.contains(Tag.AdmissionID) && a.getString(Tag.AdmissionID) == null, "missing key: zero-length");
        Attributes sps = a.getSequence(Tag.ScheduledProcedureStepSequence).get(0);
        assertTrue(sps.contains(Tag.ScheduledStationName) && sps.size() == 1, "only the requested item keys");
    }

    @Test
    void wildcardMatchingAlsoInsidePersonNameComponents(@TempDir Path dir) throws Exception {
        assertEquals(List.of("A1", "A2"), find(dir.resolve("a"), "ANY", "PatientName=D?E^J*").accessions());
        assertEquals(List.of("A1", "A3"), find(dir.resolve("b"), "ANY", "PatientName=*^JO?N").accessions());
        assertEquals(List.of("A2", "A4"), find(dir.resolve("c"), "ANY", "PatientName=*JANE").accessions());
    }

    @Test
    void dateRangeMatchingWithOpenRanges(@TempDir Path dir) throws Exception {
        assertEquals(List.of("A1"), find(dir.resolve("a"), "ANY", SPS + "ScheduledProcedureStepStartDate=-20261121")
                .accessions());
        assertEquals(List.of("A4"), find(dir.resolve("b"), "ANY", SPS + "ScheduledProcedureStepStartDate=20261123-")
                .accessions());
        assertEquals(List.of("A2", "A3", "A6"), find(dir.resolve("c"), "ANY",
                SPS + "ScheduledProcedureStepStartDate=20261122").accessions());
        assertEquals(List.of("A1", "A3", "A6"), find(dir.resolve("d"), "ANY",
                SPS + "ScheduledProcedureStepStartTime=1200-").accessions(), "time range alone: any date");
    }

    @Test
    void combinedDateTimeRangeOfSpsStartDateAndTime(@TempDir Path dir) throws Exception {
        // PS3.4 §C.2.2.2.5.1: 20261121 22:00 to 20261122 09:00 as ONE range; matched separately the time range
        // 2200-0900 would be empty
        Result r = find(dir, "ANY", SPS + "ScheduledProcedureStepStartDate=20261121-20261122",
                SPS + "ScheduledProcedureStepStartTime=2200-0900");
        assertEquals(List.of("A1", "A2"), r.accessions(), r.output());
    }

    @Test
    void listOfUidMatching(@TempDir Path dir) throws Exception {
        Result r = find(dir, "ANY", "StudyInstanceUID=1.2.1\\1.2.3");
        assertEquals(List.of("A1", "A3"), r.accessions(), r.output());
    }

    @Test
    void sequenceMatchingInsideTheScheduledProcedureStepSequence(@TempDir Path dir) throws Exception {
        Result r = find(dir, "ANY", SPS + "Modality=MR", SPS + "ScheduledStationAETitle=MR1",
                SPS + "ScheduledProcedureStepID");
        assertEquals(List.of("A3", "A6"), r.accessions(), r.output());
        assertEquals("S3", r.answers().get(0).getSequence(Tag.ScheduledProcedureStepSequence).get(0)
                .getString(Tag.ScheduledProcedureStepID));
    }

    @Test
    void multiValuedKeysMatchAnyValue(@TempDir Path dir) throws Exception {
        assertEquals(List.of("A1", "A2", "A3", "A6", "A4"), find(dir.resolve("a"), "ANY", SPS + "Modality=CT\\MR")
                .accessions());
        assertEquals(List.of("A4"), find(dir.resolve("b"), "ANY", SPS + "ScheduledStationAETitle=CT2").accessions(),
                "a step with station AE CT1\\CT2 matches CT2");
    }

    @Test
    void keysOutsideTheSequence(@TempDir Path dir) throws Exception {
        assertEquals(List.of("A2"), find(dir.resolve("a"), "ANY", "AccessionNumber=A2").accessions());
        assertEquals(List.of("A4"), find(dir.resolve("b"), "ANY", "RequestedProcedureID=RPA4").accessions());
    }

    // ------------------------------------------------------------ status

    @Test
    void defaultStatusesHideCompletedStepsButANamedStatusGetsThem(@TempDir Path dir) throws Exception {
        Result all = find(dir.resolve("a"), "ANY", SPS + "ScheduledStationAETitle=CT1");
        assertEquals(List.of("A1", "A2", "A4"), all.accessions(), "S5 is COMPLETED");
        Result done = find(dir.resolve("b"), "ANY", SPS + "ScheduledProcedureStepStatus=COMPLETED");
        assertEquals(List.of("A5"), done.accessions());
        assertEquals("COMPLETED", done.answers().get(0).getSequence(Tag.ScheduledProcedureStepSequence).get(0)
                .getString(Tag.ScheduledProcedureStepStatus));
    }

    // ------------------------------------------------------------ person names and character sets

    @Test
    void caseAndAccentInsensitivePersonNamesWhenConfigured(@TempDir Path dir) throws Exception {
        assertEquals(List.of(), find(dir.resolve("a"), "ANY", "PatientName=muller*").accessions());
        assertEquals(List.of("A6"), find(foldingServer, dir.resolve("b"), "ANY", List.of(), "PatientName=muller*")
                .accessions());
        assertEquals(List.of("A1"), find(foldingServer, dir.resolve("c"), "ANY", List.of(), "PatientName=doe^john")
                .accessions());
    }

    @Test
    void specificCharacterSetOnTheWayInAndOut(@TempDir Path dir) throws Exception {
        Result r = find(dir, "ANY", "SpecificCharacterSet=ISO_IR 192", "PatientName=Müller*");
        assertEquals(List.of("A6"), r.accessions(), r.output());
        Attributes a = r.answers().get(0);
        assertEquals("ISO_IR 192", a.getString(Tag.SpecificCharacterSet));
        assertEquals("Müller^Jürgen=ミュラー^ユルゲン", a.getString(Tag.PatientName));
    }

    @Test
    void answerCharsetPerCallingAeWithTransliteration(@TempDir Path dir) throws Exception {
        POLICY.set(policy(rule("LATIN1", Set.of(), Set.of(), false, Set.of(), "ISO_IR 100"),
                rule("ASCII", Set.of(), Set.of(), false, Set.of(), "ISO_IR 6")));
        try {
            Result latin = find(dir.resolve("a"), "LATIN1", "PatientName", "PatientID=P6");
            Attributes a = latin.answers().get(0);
            assertEquals("ISO_IR 100", a.getString(Tag.SpecificCharacterSet));
            assertEquals("Müller^Jürgen", a.getString(Tag.PatientName), "ideographic group dropped, accents kept");
            Result ascii = find(dir.resolve("b"), "ASCII", "PatientName", "PatientID=P6");
            assertEquals("Muller^Jurgen", ascii.answers().get(0).getString(Tag.PatientName));
        } finally {
            POLICY.set(MwlAccessPolicy.OPEN);
        }
    }

    // ------------------------------------------------------------ per-calling-AE rules

    @Test
    void callingAeSeesOnlyItsStationsModalitiesAndByDefaultItsOwnStation(@TempDir Path dir) throws Exception {
        POLICY.set(policy(rule("CT2", Set.of(), Set.of(), true, Set.of(), null),
                rule("MRVIEW", Set.of(), Set.of("MR"), false, Set.of(), null),
                rule("CTDESK", Set.of("CT1"), Set.of(), false, Set.of(), null)));
        try {
            assertEquals(List.of("A4"), find(dir.resolve("a"), "CT2", "PatientName").accessions(),
                    "no station AE in the query: the calling AE's");
            assertEquals(List.of("A3", "A6"), find(dir.resolve("b"), "MRVIEW", "PatientName").accessions());
            assertEquals(List.of(), find(dir.resolve("c"), "MRVIEW", SPS + "Modality=CT").accessions());
            assertEquals(List.of("A1", "A2", "A4"), find(dir.resolve("d"), "CTDESK", "PatientName").accessions());
            assertEquals(List.of(), find(dir.resolve("e"), "CTDESK", SPS + "ScheduledStationAETitle=MR1")
                    .accessions());
        } finally {
            POLICY.set(MwlAccessPolicy.OPEN);
        }
    }

    @Test
    void ignoredKeysMatchUniversallyButAreReturned(@TempDir Path dir) throws Exception {
        POLICY.set(policy(rule("ODDVENDOR", Set.of(), Set.of(), false, Set.of(Tag.PatientID), null)));
        try {
            Result r = find(dir, "ODDVENDOR", "PatientID=WRONG", "PatientName=DOE^JOHN");
            assertEquals(List.of("A1"), r.accessions(), r.output());
            assertEquals("P1", r.answers().get(0).getString(Tag.PatientID));
        } finally {
            POLICY.set(MwlAccessPolicy.OPEN);
        }
    }

    @Test
    void unknownCallersRefusedWithAssociateRjWhenConfigured(@TempDir Path dir) throws Exception {
        POLICY.set(policy(rule("CT1", Set.of(), Set.of(), false, Set.of(), null)).withRefuseUnknown(true));
        try {
            Result refused = find(dir.resolve("a"), "STRANGER", "PatientName");
            assertNotEquals(0, refused.exit());
            assertTrue(refused.output().contains("Calling AE Title Not Recognized"), refused.output());
            assertEquals(List.of("A1", "A2", "A4", "A6").size() + 1, find(dir.resolve("b"), "CT1", "PatientName")
                    .answers().size(), "a known caller sees everything its rule allows");
        } finally {
            POLICY.set(MwlAccessPolicy.OPEN);
        }
    }

    // ------------------------------------------------------------ query log

    @Test
    void everyQueryIsLoggedWithCallerKeysAnswersAndStatus(@TempDir Path dir) throws Exception {
        Result r = find(dir, "LOGME", "PatientName=DOE*", SPS + "Modality=CT");
        assertEquals(List.of("A1", "A2"), r.accessions(), r.output());
        QueryLogEntry e = LOG.stream().filter(x -> x.callingAe().equals("LOGME")).findFirst().orElseThrow();
        assertEquals("0000 Success", e.status(), e.toString());
        assertEquals(2, e.answers());
        assertEquals("0000 Success", e.status());
        assertEquals("ORDERLY", e.calledAe());
        assertTrue(e.keys().contains("PatientName=DOE*") && e.keys().contains(
                "ScheduledProcedureStepSequence[0].Modality=CT"), e.keys());
        assertTrue(e.elapsedMicros() > 0);
    }

    private static MwlAccessPolicy policy(CallingAeRule... rules) {
        java.util.Map<String, CallingAeRule> m = new java.util.HashMap<>();
        for (CallingAeRule r : rules) {
            m.put(r.name(), r);
        }
        return new MwlAccessPolicy(Map.copyOf(m), CallingAeRule.SEE_ALL, false);
    }

    private static CallingAeRule rule(String ae, Set<String> stations, Set<String> modalities, boolean fromCalling,
            Set<Integer> ignored, String charset) {
        return new CallingAeRule(ae, stations, modalities, Set.of(), fromCalling, ignored, charset, "test");
    }
}
