package org.orderly.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #5 end to end with the real jar: worklist files imported through the HTTP API ({@code orderly mwl import}),
 * queried with {@code orderly find} (and so with our DICOM client) under per-calling-AE rules from a rules file that
 * is reloaded when saved (a broken save is refused and the previous rules stay), unknown callers refused with
 * A-ASSOCIATE-RJ, and the query log API.
 */
class MwlBrokerIT {
    private static final Path SAMPLES = Path.of(System.getProperty("orderly.repo.routes")).resolve("../samples/mwl")
            .normalize();
    private static final String SPS = "ScheduledProcedureStepSequence[0].";

    @Test
    void importRulesFindQueryLogAndReload(@TempDir Path tmp) throws Exception {
        Path wl = tmp.resolve("wl");
        Files.createDirectories(wl);
        for (String s : List.of("ct1-mueller", "mr1-smith", "no-patient-id")) {
            Process p = new ProcessBuilder("dump2dcm", SAMPLES.resolve(s + ".dump").toString(),
                    wl.resolve(s + ".wl").toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertEquals(0, p.waitFor(), "dump2dcm " + s);
        }
        Path rules = tmp.resolve("mwl-rules.yaml");
        Files.copy(SAMPLES.resolve("mwl-rules.yaml"), rules);
        Path routes = tmp.resolve("routes");
        BrokerProcessIT.copyRepoRoutes(routes);
        int http = BrokerProcess.freePort();
        int dicom = BrokerProcess.freePort();
        try (BrokerProcess broker = BrokerProcess.start(tmp, List.of("--orderly.http.port=" + http,
                "--orderly.dicom.port=" + dicom, "--orderly.hl7.port=0", "--orderly.data-dir=" + tmp.resolve("data"),
                "--orderly.routes-dir=" + routes, "--orderly.mappings-dir=" + tmp.resolve("maps"),
                "--orderly.bind=127.0.0.1", "--orderly.mwl.rules-file=" + rules,
                "--orderly.mwl.unknown-callers=refuse"))) {
            broker.awaitReady();
            String imp = MwlDifferentialIT.runJar(tmp, "mwl", "import", wl.toString(), "--broker",
                    "http://127.0.0.1:" + http);
            assertTrue(imp.startsWith("exit 1") && imp.contains("imported 2, refused 1")
                    && imp.contains("refused no-patient-id.wl: no Patient ID (0010,0020)"), imp);

            String target = "ORDERLY@127.0.0.1:" + dicom;
            // CT1: no station AE in its query -> its own; Latin-1 answers, ideographic group dropped
            String ct1 = MwlDifferentialIT.runJar(tmp, "find", target, "--calling-ae", "CT1", "-k", "PatientName",
                    "-k", "AccessionNumber", "-k", SPS + "ScheduledProcedureStepStartDate=20261122");
            assertTrue(ct1.startsWith("exit 0") && ct1.contains("answer 1:") && !ct1.contains("answer 2:"), ct1);
            assertTrue(ct1.contains("PatientName: Müller^Jürgen") && !ct1.contains("ミュラー"), ct1);
            assertTrue(ct1.contains("SpecificCharacterSet: ISO_IR 100") && ct1.contains("ACC1001"), ct1);
            assertTrue(ct1.contains("final status: 0000"), ct1);

            // MR1: sends a wrong Patient ID, which its rule ignores; sees its station only
            String mr1 = MwlDifferentialIT.runJar(tmp, "find", target, "--calling-ae", "MR1", "-k", "PatientID=BOGUS",
                    "-k", "AccessionNumber");
            assertTrue(mr1.startsWith("exit 0") && mr1.contains("ACC1002") && !mr1.contains("ACC1001"), mr1);
            assertTrue(mr1.contains("PatientID: PID1002"), mr1);

            // unknown caller: A-ASSOCIATE-RJ calling AE not recognized
            String stranger = MwlDifferentialIT.runJar(tmp, "find", target, "--calling-ae", "STRANGER", "-k",
                    "PatientName");
            assertTrue(stranger.startsWith("exit 1") && stranger.toLowerCase().contains("rejected"), stranger);

            // the query log: who asked what, how many answers
            String log = BrokerProcess.get(http, "/api/mwl/queries?calling-ae=CT1").body();
            assertTrue(log.contains("\"callingAe\":\"CT1\"") && log.contains("\"answers\":1")
                    && log.contains("ScheduledProcedureStepStartDate=20261122") && log.contains("0000 Success"), log);
            assertTrue(!broker.stdout().stream().anyMatch(l -> l.contains("Müller") || l.contains("PID1001")),
                    "no PHI in the log");

            // a broken save is refused, the previous rules stay
            Files.writeString(rules, Files.readString(rules).replace("callers:\n",
                    "callers:\n  STRANGER:\n    modalities: [C T!]\n"), StandardCharsets.UTF_8);
            String status = await(() -> get(http, "/api/mwl/rules"), s -> s.contains("\"applied\":false"));
            assertTrue(status.contains("mwl-rules.yaml:") && status.contains("C T!"), status);
            stranger = MwlDifferentialIT.runJar(tmp, "find", target, "--calling-ae", "STRANGER", "-k", "PatientName");
            assertTrue(stranger.startsWith("exit 1"), "previous rules still apply: " + stranger);
            // fixed: applied on save, STRANGER now known and sees CT only
            Files.writeString(rules, Files.readString(rules).replace("[C T!]", "[MR]"), StandardCharsets.UTF_8);
            await(() -> get(http, "/api/mwl/rules"), s -> s.contains("\"applied\":true") && s.contains("\"callers\":4"));
            stranger = MwlDifferentialIT.runJar(tmp, "find", target, "--calling-ae", "STRANGER", "-k",
                    "AccessionNumber");
            assertTrue(stranger.startsWith("exit 0") && stranger.contains("ACC1002") && !stranger.contains("ACC1001"),
                    stranger);
        }
    }

    private static String get(int port, String path) {
        try {
            return BrokerProcess.get(port, path).body();
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** Polls an HTTP status until it satisfies {@code done} (file watching is asynchronous), at most 20 s. */
    private static String await(Supplier<String> read, java.util.function.Predicate<String> done)
            throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String last = read.get();
        while (!done.test(last)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not reached in 20 s: " + last);
            }
            Thread.sleep(200);
            last = read.get();
        }
        return last;
    }
}
