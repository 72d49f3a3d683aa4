package org.orderly.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.io.DicomInputStream;

/**
 * Issue #5, differential: dcmtk's example worklist (the .wl files of its documentation, converted with dump2dcm) is
 * served by dcmtk {@code wlmscpfs} from files and by Orderly after {@code orderly mwl import} through the HTTP API.
 * Every dcmtk example query, and one query per matching type, is run with {@code findscu -W} against both; both
 * must answer the same items with the same attribute values (answers compared as a multiset: PS3.4 §C.4.1.3.1.1
 * leaves their order to the SCP).
 *
 * <p>Where the standard lets the two servers differ, {@link #normalize} removes the difference on BOTH sides; each
 * rule cites the clause. Nothing else is normalized.
 *
 * <p>wlmscpfs has no bind-address option, so it listens on every interface on an ephemeral port for the few seconds
 * of this test (PEERS.md).
 */
class MwlDifferentialIT {
    private static final Path DCMTK_EXAMPLES = Path.of("/usr/share/doc/dcmtk/examples");

    /** One query per matching type, on dcmtk's example items. */
    private static final List<List<String>> OWN_QUERIES = List.of(
            List.of("PatientName=*", "PatientID", "AccessionNumber"),
            List.of("PatientName=V*", "PatientID"),                                        // wildcard
            List.of("PatientName=*^?NTONIO", "PatientID"),                                  // wildcard in a component
            List.of("PatientID=AV35674", "PatientName", "StudyInstanceUID"),                // single value
            List.of("ScheduledProcedureStepSequence[0].ScheduledStationAETitle=AA33", "PatientName"), // multi-valued item
            List.of("ScheduledProcedureStepSequence[0].Modality=MR", "PatientName", "AccessionNumber"),
            List.of("ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate=19951015-", "PatientName"),
            List.of("ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate=-19951015", "PatientName"),
            List.of("ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartTime=080000-100000", "PatientName"),
            List.of("StudyInstanceUID=1.2.276.0.7230010.3.2.101", "PatientName"),
            List.of("RequestedProcedureID", "RequestedProcedurePriority", "PatientSex=F"));

    /**
     * Optional matching keys (PS3.4 Table K.6-1, Matching Key Type O) that wlmscpfs does not match on: PS3.4
     * §C.2.2.1.1 lets an SCP treat them as return keys, so wlmscpfs answers every item. For these queries
     * wlmscpfs's answers are filtered by the key's value (the answer line given here) before the comparison;
     * Orderly must answer exactly those.
     */
    private static final java.util.Map<String, String> WLM_UNSUPPORTED_MATCHING = java.util.Map.of(
            "StudyInstanceUID=1.2.276.0.7230010.3.2.101", "(0020,000D) UI = 1.2.276.0.7230010.3.2.101\n",
            "PatientSex=F", "(0010,0040) CS = F\n");

    @Test
    void wlmscpfsAndOrderlyAnswerTheSameQueriesWithTheSameItems(@TempDir Path tmp) throws Exception {
        Path db = tmp.resolve("wlistdb/OFFIS");
        Files.createDirectories(db);
        Files.createFile(db.resolve("lockfile"));
        List<Path> dumps;
        try (Stream<Path> s = Files.list(DCMTK_EXAMPLES.resolve("wlistdb/OFFIS"))) {
            dumps = s.filter(p -> p.toString().endsWith(".dump")).sorted().toList();
        }
        assertTrue(dumps.size() >= 10, "dcmtk example worklist missing (install dcmtk): " + dumps);
        for (Path d : dumps) {
            run(tmp, "dump2dcm", d.toString(), db.resolve(d.getFileName().toString().replace(".dump", ".wl")).toString());
        }
        List<Path> queryFiles = new ArrayList<>();
        try (Stream<Path> s = Files.list(DCMTK_EXAMPLES.resolve("wlistqry"))) {
            for (Path d : s.filter(p -> p.toString().endsWith(".dump")).sorted().toList()) {
                Path q = tmp.resolve("queries").resolve(d.getFileName().toString().replace(".dump", ".dcm"));
                Files.createDirectories(q.getParent());
                run(tmp, "dump2dcm", d.toString(), q.toString());
                queryFiles.add(q);
            }
        }
        assertTrue(queryFiles.size() >= 13, "dcmtk example queries missing: " + queryFiles);

        int wlmPort = BrokerProcess.freePort();
        Process wlm = new ProcessBuilder("wlmscpfs", "-dfp", tmp.resolve("wlistdb").toString(),
                Integer.toString(wlmPort)).redirectErrorStream(true).redirectOutput(tmp.resolve("wlmscpfs.log").toFile())
                .start();
        Path routes = tmp.resolve("routes");
        BrokerProcessIT.copyRepoRoutes(routes);
        int http = BrokerProcess.freePort();
        int dicom = BrokerProcess.freePort();
        try (BrokerProcess broker = BrokerProcess.start(tmp, List.of("--orderly.http.port=" + http,
                "--orderly.dicom.port=" + dicom, "--orderly.hl7.port=0", "--orderly.data-dir=" + tmp.resolve("data"),
                "--orderly.routes-dir=" + routes, "--orderly.mappings-dir=" + tmp.resolve("maps"),
                "--orderly.bind=127.0.0.1"))) {
            broker.awaitReady();
            String summary = runJar(tmp, "mwl", "import", db.getParent().toString(), "--broker",
                    "http://127.0.0.1:" + http);
            assertTrue(summary.contains("imported " + dumps.size() + ", refused 0"), summary);

            int n = 0;
            for (Path q : queryFiles) {
                compare(tmp, "dcmtk " + q.getFileName(), List.of(q.toString()), wlmPort, dicom, n++);
            }
            for (List<String> keys : OWN_QUERIES) {
                List<String> args = new ArrayList<>();
                keys.forEach(k -> {
                    args.add("-k");
                    args.add(k);
                });
                compare(tmp, String.join(" ", keys), args, wlmPort, dicom, n++);
            }
        } finally {
            wlm.destroy();
            wlm.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void compare(Path tmp, String name, List<String> query, int wlmPort, int orderlyPort, int n)
            throws Exception {
        List<String> theirs = answers(tmp.resolve("w" + n), "OFFIS", wlmPort, query);
        for (var e : WLM_UNSUPPORTED_MATCHING.entrySet()) {
            if (query.contains(e.getKey())) {
                theirs = theirs.stream().filter(a -> a.contains(e.getValue())).toList();
            }
        }
        List<String> ours = answers(tmp.resolve("o" + n), "ORDERLY", orderlyPort, query);
        assertEquals(theirs, ours, "query " + name + ": wlmscpfs (expected) vs Orderly (actual)");
        if (n == 0) {
            assertTrue(!theirs.isEmpty(), "the first dcmtk example query matches every item");
        }
    }

    /** findscu -W against one server; each answer normalized and flattened to one string; sorted. */
    private static List<String> answers(Path dir, String calledAe, int port, List<String> query) throws Exception {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of(tool("findscu"), "-W", "-aet", "DIFFTEST", "-aec", calledAe,
                "-X", "-od", dir.toString()));
        List<String> files = query.stream().filter(a -> a.endsWith(".dcm")).toList();
        cmd.addAll(query.stream().filter(a -> !a.endsWith(".dcm")).toList());
        cmd.add("127.0.0.1");
        cmd.add(Integer.toString(port));
        cmd.addAll(files);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("findscu.log").toFile());
        pb.environment().put("TCP_NODELAY", "1");
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("findscu did not finish");
        }
        String log = Files.readString(dir.resolve("findscu.log"), StandardCharsets.ISO_8859_1);
        assertEquals(0, p.exitValue(), log);
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(x -> x.getFileName().toString().startsWith("rsp")).sorted().toList()) {
                try (DicomInputStream in = new DicomInputStream(Files.newInputStream(f))) {
                    Attributes a = in.readDicomFile().dataset();
                    normalize(a);
                    out.add(flatten(a, ""));
                }
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * The differences PS3.4 allows, removed from both answers:
     * <ul>
     *   <li>Specific Character Set (0008,0005): PS3.4 §C.4.1.1.3.2 requires it in a response whose values may use
     *       another character set; Orderly always includes the item's, wlmscpfs only where its file is in the
     *       answer's first level. The VALUES are compared decoded, so the character set itself is checked by
     *       them.</li>
     *   <li>Scheduled Procedure Step Status (0040,0020): Orderly manages the status of each step (SCHEDULED on
     *       import, PS3.3 §C.4.10) and returns it; the dcmtk files have none, so wlmscpfs returns it zero-length.
     *       Both are valid values of a Type 2 return key (PS3.4 Table K.6-1).</li>
     *   <li>SPS End Date (0040,0004) / End Time (0040,0005), zero-length from wlmscpfs only: for a zero-length
     *       Scheduled Procedure Step Sequence key (universal sequence matching, PS3.4 §C.2.2.2.6) the SCP returns
     *       "all attributes of the item"; wlmscpfs adds every Table K.6-1 key of the sequence, zero-length where
     *       absent, Orderly returns the stored item's attributes. Removed only when zero-length.</li>
     *   <li>An empty sequence: a sequence return key the item lacks comes back from Orderly as a zero-length
     *       (empty) sequence as PS3.4 §C.2.2.1.2 asks for any return key without a value; wlmscpfs leaves it
     *       out. Removed only when empty.</li>
     * </ul>
     */
    static void normalize(Attributes a) {
        a.remove(Tag.SpecificCharacterSet);
        for (int tag : a.tags()) {
            Object v = a.getValue(tag);
            if (v instanceof Sequence seq) {
                if (seq.isEmpty()) {
                    a.remove(tag);
                } else {
                    seq.forEach(MwlDifferentialIT::normalize);
                }
            } else if (tag == Tag.ScheduledProcedureStepStatus) {
                a.remove(tag);
            } else if ((tag == Tag.ScheduledProcedureStepEndDate || tag == Tag.ScheduledProcedureStepEndTime)
                    && a.getString(tag) == null) {
                a.remove(tag);
            }
        }
    }

    private static String flatten(Attributes a, String indent) {
        StringBuilder sb = new StringBuilder();
        for (int tag : a.tags()) {
            if (tag >>> 16 == 0x0002) {
                continue; // File Meta Information written by findscu, not part of the answer
            }
            Object v = a.getValue(tag);
            sb.append(indent).append(String.format("(%04X,%04X) %s", tag >>> 16, tag & 0xFFFF, a.getVR(tag)));
            if (v instanceof Sequence seq) {
                sb.append(" [").append(seq.size()).append(" items]\n");
                for (Attributes item : seq) {
                    sb.append(flatten(item, indent + "  ")).append(indent).append("  --\n");
                }
            } else {
                sb.append(" = ").append(String.join("\\", a.getStrings(tag))).append('\n');
            }
        }
        return sb.toString();
    }

    private static String tool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return fail("dcmtk " + name + " not found on PATH: install dcmtk (a missing peer fails the build)");
    }

    private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of(cmd));
        c.set(0, tool(cmd[0]));
        Process p = new ProcessBuilder(c).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", cmd) + " failed: " + out);
        }
    }

    /** Runs {@code java -jar orderly.jar ARGS}; returns stdout + stderr. */
    static String runJar(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar", BrokerProcess.jar().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("orderly " + String.join(" ", args) + " did not finish: " + out);
        }
        return "exit " + p.exitValue() + "\n" + out;
    }
}
