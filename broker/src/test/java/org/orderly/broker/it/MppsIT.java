package org.orderly.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderly.broker.hl7.AckSummary;
import org.orderly.broker.hl7.MllpClient;

/**
 * Issue #6 end to end with the real jar and independent peers: dcmjs-dimse is the modality (N-CREATE, N-SET, N-GET
 * and the error cases), a Java MLLP server in this test is the RIS (stopped and restarted mid-test, AE-then-AA mode),
 * a dcmjs-dimse SCP is the forwarding destination (down first, then up). The broker is restarted (SIGKILL) between
 * a status message the RIS acknowledged and one it did not.
 */
class MppsIT {
    private static final Path REPO = Path.of(System.getProperty("orderly.repo.routes")).resolve("..").normalize();
    private static final Path NODE_MODULES = REPO.resolve("samples/peers/node_modules");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SCU = REPO.resolve("broker/src/test/node/mpps-scu.js").toString();
    private static final String NSCP = REPO.resolve("dicom/src/test/node/nscp.js").toString();

    // ------------------------------------------------------------------ data sets (dcmjs naturalized JSON)

    private static String create(String accession, String rpId, String spsId, String studyUid, String status) {
        return """
            {"ReferencedPatientSequence":[],"PatientName":"DOE^JANE","PatientID":"NG100234","PatientBirthDate":"19750612","PatientSex":"F",
             "ScheduledStepAttributesSequence":[{"StudyInstanceUID":"%s","ReferencedStudySequence":[],
               "AccessionNumber":"%s","RequestedProcedureID":"%s","RequestedProcedureDescription":"CT Head",
               "ScheduledProcedureStepID":"%s","ScheduledProcedureStepDescription":"scan","ScheduledProtocolCodeSequence":[]}],
             "PerformedProcedureStepID":"PPS1","PerformedStationAETitle":"CT1","PerformedStationName":"CT ROOM 1",
             "PerformedLocation":"ROOM 1","PerformedProcedureStepStartDate":"20240315","PerformedProcedureStepStartTime":"093000",
             "PerformedProcedureStepStatus":"%s","PerformedProcedureStepDescription":"CT Head","PerformedProcedureTypeDescription":"CT",
             "ProcedureCodeSequence":[{"CodeValue":"CTHEAD","CodingSchemeDesignator":"L","CodeMeaning":"CT Head"}],
             "PerformedProcedureStepEndDate":"","PerformedProcedureStepEndTime":"","Modality":"CT","StudyID":"1",
             "PerformedProtocolCodeSequence":[],"PerformedSeriesSequence":[]}
            """.formatted(studyUid, accession, rpId, spsId, status);
    }

    private static final String STUDY = "1.2.826.0.1.3680043.9.7433.1.20240315.1";
    private static final String COMPLETE = """
            {"PerformedProcedureStepStatus":"COMPLETED","PerformedProcedureStepEndDate":"20240315",
             "PerformedProcedureStepEndTime":"094500","PerformedSeriesSequence":[{"PerformingPhysicianName":"",
               "ProtocolName":"HEAD","OperatorsName":"TECH^ONE","SeriesInstanceUID":"1.2.826.0.1.3680043.10.1.1",
               "SeriesDescription":"axial","RetrieveAETitle":"","ReferencedImageSequence":[{
                 "ReferencedSOPClassUID":"1.2.840.10008.5.1.4.1.1.2","ReferencedSOPInstanceUID":"1.2.826.0.1.3680043.10.1.1.1"}],
               "ReferencedNonImageCompositeSOPInstanceSequence":[]}]}
            """;
    private static final String DISCONTINUE = """
            {"PerformedProcedureStepStatus":"DISCONTINUED","PerformedProcedureStepEndDate":"20240315",
             "PerformedProcedureStepEndTime":"094000","PerformedSeriesSequence":[{"PerformingPhysicianName":"",
               "ProtocolName":"HEAD","OperatorsName":"TECH^ONE","SeriesInstanceUID":"1.2.826.0.1.3680043.10.1.2",
               "SeriesDescription":"scout","RetrieveAETitle":"","ReferencedImageSequence":[],
               "ReferencedNonImageCompositeSOPInstanceSequence":[]}]}
            """;

    private static String op(String op, String iuid, String dataset) {
        return "{\"op\":\"" + op + "\",\"iuid\":\"" + iuid + "\"" + (dataset == null ? "" : ",\"dataset\":" + dataset)
                + "}";
    }

    private static String get(String iuid, String... attrs) {
        return "{\"op\":\"get\",\"iuid\":\"" + iuid + "\",\"attrs\":[" + String.join(",",
                java.util.Arrays.stream(attrs).map(a -> "\"" + a + "\"").toList()) + "]}";
    }

    /** One dcmjs-dimse response. */
    record Rsp(int index, int status, String comment, String json) {
    }

    /** Runs the operations on one association with dcmjs-dimse; returns the responses in order. */
    private static List<Rsp> modality(Path tmp, int dicomPort, String... ops) throws Exception {
        Path file = Files.createTempFile(tmp, "ops", ".json");
        Files.writeString(file, "[" + String.join(",", ops) + "]");
        ProcessBuilder pb = new ProcessBuilder("node", SCU, "127.0.0.1", Integer.toString(dicomPort), "ORDERLY",
                file.toString()).redirectErrorStream(true);
        pb.environment().put("NODE_PATH", NODE_MODULES.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        String result = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow(() -> new AssertionError(out));
        List<Rsp> rsps = new ArrayList<>();
        for (String part : result.substring(8).split("(?=\\{\"index\":)")) {
            Matcher m = Pattern.compile("\\{\"index\":(\\d+),\"op\":\"\\w+\",\"status\":(\\d+)").matcher(part);
            if (m.find()) {
                Matcher c = Pattern.compile("\"comment\":\"([^\"]*)\"").matcher(part);
                rsps.add(new Rsp(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), c.find() ? c.group(1) : null, part));
            }
        }
        assertEquals(ops.length, rsps.size(), result);
        return rsps;
    }

    // ------------------------------------------------------------------ broker

    private record Setup(int http, int dicom, int hl7, Path routes, List<String> args) {
    }

    private static Setup setup(Path tmp, int risPort, String forwardTo, String... extra) throws Exception {
        return setupWithOff(tmp, risPort, forwardTo, null, extra);
    }

    /** {@code switchedOff}: a second destination whose route has {@code autoStartup: false}. */
    private static Setup setupWithOff(Path tmp, int risPort, String forwardTo, String switchedOff, String... extra)
            throws Exception {
        Path routes = tmp.resolve("routes");
        if (!Files.isDirectory(routes)) {
            BrokerProcessIT.copyRepoRoutes(routes);
        }
        if (forwardTo != null) {
            Files.writeString(routes.resolve("mpps-forward.camel.yaml"), """
                - route:
                    id: mpps-forward-fanout
                    from:
                      uri: jms:queue:orderly.mpps.forward
                      parameters:
                        transacted: true
                        cacheLevelName: CACHE_CONSUMER
                      steps:
                        - to: jms:queue:orderly.mpps.forward.fwd
                - route:
                    id: mpps-forward-fwd
                    from:
                      uri: jms:queue:orderly.mpps.forward.fwd
                      parameters:
                        transacted: true
                        concurrentConsumers: 1
                        cacheLevelName: CACHE_CONSUMER
                      steps:
                        - bean:
                            ref: mppsForwarder
                            method: "forward(*, '%s')"
                """.formatted(forwardTo) + (switchedOff == null ? "" : """
                - route:
                    id: mpps-forward-off
                    autoStartup: false
                    from:
                      uri: jms:queue:orderly.mpps.forward.off
                      parameters:
                        transacted: true
                        concurrentConsumers: 1
                        cacheLevelName: CACHE_CONSUMER
                      steps:
                        - bean:
                            ref: mppsForwarder
                            method: "forward(*, '%s')"
                """.formatted(switchedOff)).replace("""
                        - to: jms:queue:orderly.mpps.forward.fwd""", switchedOff == null ? """
                        - to: jms:queue:orderly.mpps.forward.fwd""" : """
                        - to: jms:queue:orderly.mpps.forward.fwd
                        - to: jms:queue:orderly.mpps.forward.off"""));
        }
        int http = BrokerProcess.freePort();
        int dicom = BrokerProcess.freePort();
        int hl7 = BrokerProcess.freePort();
        List<String> args = new ArrayList<>(List.of("--orderly.http.port=" + http, "--orderly.dicom.port=" + dicom,
                "--orderly.hl7.port=" + hl7, "--orderly.data-dir=" + tmp.resolve("data"),
                "--orderly.routes-dir=" + routes, "--orderly.mappings-dir=" + tmp.resolve("maps"),
                "--orderly.bind=127.0.0.1", "--orderly.ris.host=127.0.0.1", "--orderly.ris.port=" + risPort,
                "--orderly.ris.backoff-initial-ms=100", "--orderly.ris.backoff-max-ms=400",
                "--orderly.ris.ack-timeout-ms=2000"));
        args.addAll(List.of(extra));
        return new Setup(http, dicom, hl7, routes, args);
    }

    private static HttpResponse<String> post(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<TestRis.Received> of(TestRis ris, String mppsMarker) {
        return ris.received().stream().filter(r -> r.message().contains(mppsMarker)).toList();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void createSetGetErrorsStatusToRisUnscheduledAndForwarding(@TempDir Path tmp) throws Exception {
        int fwdPort = BrokerProcess.freePort();
        int offPort = BrokerProcess.freePort();
        Path offLog = tmp.resolve("off.log");
        ProcessBuilder offPb = new ProcessBuilder("node", NSCP, Integer.toString(offPort))
                .redirectErrorStream(true).redirectOutput(offLog.toFile());
        offPb.environment().put("NODE_PATH", NODE_MODULES.toString());
        offPb.environment().put("PEER_TIMEOUT_MS", "180000");
        Process off = offPb.start(); // up the whole time; its route is switched off: it must get nothing
        try (AutoCloseable stopOff = () -> {
                    off.getOutputStream().close();
                    off.destroy();
                    off.waitFor(10, TimeUnit.SECONDS);
                };
                TestRis ris = new TestRis(BrokerProcess.freePort()).start()) {
            Setup s = setupWithOff(tmp, ris.port(), "FWD@127.0.0.1:" + fwdPort, "OFF@127.0.0.1:" + offPort);
            try (BrokerProcess broker = BrokerProcess.start(tmp, s.args())) {
                broker.awaitReady();
                // the order, as the RIS sends it: placer ESP0201, filler ESF0201, accession ESA0201, RP ESR0201, SPS ESS0201A/B
                try (MllpClient c = new MllpClient("127.0.0.1", s.hl7(), 5000, 10000)) {
                    byte[] orm = Files.readAllBytes(REPO.resolve("samples/hl7/02-orm-o01-v231-ihe-zds-lf.hl7"));
                    assertEquals("AA", AckSummary.parse(new String(c.exchange(orm), StandardCharsets.ISO_8859_1)).code());
                }
                String a = "1.2.826.0.1.3680043.10.99.1";
                String d = "1.2.826.0.1.3680043.10.99.4";
                List<Rsp> r = modality(tmp, s.dicom(),
                        op("create", a, create("ESA0201", "ESR0201", "ESS0201A", STUDY, "IN PROGRESS")),
                        op("set", a, COMPLETE),
                        get(a, "PerformedProcedureStepStatus", "PerformedProcedureStepEndTime"),
                        op("set", a, DISCONTINUE),
                        op("create", a, create("ESA0201", "ESR0201", "ESS0201A", STUDY, "IN PROGRESS")),
                        op("set", "1.2.826.0.1.3680043.10.99.404", COMPLETE),
                        op("create", "1.2.826.0.1.3680043.10.99.2", create("X", "X", "X", "1.2.3", "IN PROGRESS")
                                .replace("\"PerformedStationAETitle\":\"CT1\",", "").replace("\"Modality\":\"CT\",", "")),
                        op("create", "1.2.826.0.1.3680043.10.99.3", create("X", "X", "X", "1.2.3", "COMPLETED")),
                        op("create", d, create("WALKIN1", "", "", "1.2.826.0.1.3680043.10.8", "IN PROGRESS")),
                        op("set", d, DISCONTINUE),
                        get("1.2.826.0.1.3680043.10.99.404"));
                assertEquals(0, r.get(0).status(), r.get(0).json());
                assertEquals(0, r.get(1).status(), r.get(1).json());
                assertEquals(0, r.get(2).status(), r.get(2).json());
                assertTrue(r.get(2).json().contains("\"PerformedProcedureStepStatus\":\"COMPLETED\""), r.get(2).json());
                assertTrue(r.get(2).json().contains("094500"), r.get(2).json());
                assertEquals(0x0110, r.get(3).status(), r.get(3).json()); // no change after a final state
                assertEquals("Performed Procedure Step Object may no longer be updated", r.get(3).comment());
                assertEquals(0x0111, r.get(4).status(), r.get(4).json()); // duplicate SOP Instance UID
                assertEquals(0x0112, r.get(5).status(), r.get(5).json()); // unknown instance
                assertEquals(0x0120, r.get(6).status(), r.get(6).json()); // missing Type 1, named
                assertTrue(r.get(6).comment().contains("(0040,0241)") && r.get(6).comment().contains("(0008,0060)"),
                        r.get(6).json());
                assertEquals(0x0106, r.get(7).status(), r.get(7).json()); // COMPLETED at N-CREATE
                assertEquals(0, r.get(8).status(), r.get(8).json());
                assertEquals(0, r.get(9).status(), r.get(9).json());
                assertEquals(0x0112, r.get(10).status(), r.get(10).json());

                // the RIS: IN PROGRESS then COMPLETED for the scheduled order, named exactly as it sent it
                List<TestRis.Received> forA = ris.await(m -> m.field("ORC", 2).startsWith("ESP0201"), 2, WAIT);
                TestRis.Received ip = forA.get(0);
                TestRis.Received cm = forA.get(1);
                assertEquals("ORM^O01", ip.field("MSH", 9));
                assertEquals("2.3.1", ip.field("MSH", 12));
                assertEquals("SC", ip.field("ORC", 1));
                assertTrue(ip.field("ORC", 3).startsWith("ESF0201"), ip.message());
                assertEquals("IP", ip.field("ORC", 5));
                assertEquals("ES200877^^^EASTSIDE", ip.field("PID", 3));
                assertEquals("ESA0201", ip.field("OBR", 18));
                assertEquals(ip.field("ORC", 2), ip.field("OBR", 2));
                assertEquals(STUDY + "^ORDERLY^Application^DICOM", ip.field("ZDS", 1));
                assertEquals("CM", cm.field("ORC", 5));
                assertEquals("ESS0201A", cm.field("OBR", 20));
                // the unscheduled MPPS is reported too: accession and patient as the modality sent them, no order numbers
                List<TestRis.Received> forD = ris.await(m -> "WALKIN1".equals(m.field("OBR", 18)), 2, WAIT);
                assertEquals("IP", forD.get(0).field("ORC", 5));
                assertEquals("DC", forD.get(1).field("ORC", 5));
                assertEquals("", forD.get(0).field("ORC", 2));
                assertEquals("NG100234", forD.get(0).field("PID", 3));
                // nothing twice, nothing else
                List<String> ids = ris.received().stream().map(TestRis.Received::controlId).toList();
                assertEquals(4, ids.size(), ids.toString());
                assertEquals(4, ids.stream().distinct().count(), ids.toString());
                // worklist events (topic orderly.worklist.events, logged by routes/worklist-events.camel.yaml):
                // the scheduled step started then completed; the unscheduled MPPS changes no step; no PHI
                String started = broker.awaitOut(l -> l.contains("worklist STARTED sps=ESS0201A "), WAIT);
                String done = broker.awaitOut(l -> l.contains("worklist COMPLETED sps=ESS0201A "), WAIT);
                for (String l : List.of(started, done)) {
                    assertTrue(!l.contains("NG100234") && !l.contains("DOE") && !l.contains("ES200877"), l);
                }
                assertEquals(2, broker.stdout().stream().filter(l -> l.matches(".* - worklist (STARTED|COMPLETED|DISCONTINUED) sps=.*"))
                        .count(),
                        String.join("\n", broker.stdout().stream().filter(l -> l.contains("worklist ")).toList()));
                String unscheduled = BrokerProcess.get(s.http(), "/api/mpps/unscheduled").body();
                assertTrue(unscheduled.contains(d) && !unscheduled.contains(a), unscheduled);

                // forwarding: the destination was down during all this; now it comes up and gets everything, in order
                Path fwdLog = tmp.resolve("fwd.log");
                ProcessBuilder pb = new ProcessBuilder("node", NSCP, Integer.toString(fwdPort))
                        .redirectErrorStream(true).redirectOutput(fwdLog.toFile());
                pb.environment().put("NODE_PATH", NODE_MODULES.toString());
                pb.environment().put("PEER_TIMEOUT_MS", "90000");
                Process fwd = pb.start();
                try {
                    // the forwarder's backoff doubles to 60 s while the destination is down: on a slow machine the
                    // next attempt can come ~30 s after the destination is up
                    long end = System.nanoTime() + Duration.ofSeconds(80).toNanos();
                    List<String> reqs = List.of();
                    while (System.nanoTime() < end) {
                        reqs = Files.readAllLines(fwdLog).stream().filter(l -> l.startsWith("REQUEST ")).toList();
                        if (reqs.size() >= 4) {
                            break;
                        }
                        Thread.sleep(200);
                    }
                    assertEquals(4, reqs.size(), reqs.toString());
                    assertTrue(reqs.get(0).contains("\"op\":\"N-CREATE\"") && reqs.get(0).contains(a), reqs.get(0));
                    assertTrue(reqs.get(1).contains("\"op\":\"N-SET\"") && reqs.get(1).contains(a), reqs.get(1));
                    assertTrue(reqs.get(2).contains("\"op\":\"N-CREATE\"") && reqs.get(2).contains(d), reqs.get(2));
                    assertTrue(reqs.get(3).contains("\"op\":\"N-SET\"") && reqs.get(3).contains("DISCONTINUED"), reqs.get(3));
                    // one association for the four (reused), not one per message
                    assertEquals(1, broker.stdout().stream().filter(l -> l.contains("ORDERLY->FWD(")
                            && l.contains("A-ASSOCIATE-AC")).count(), String.join("\n", broker.stdout().stream()
                            .filter(l -> l.contains("->FWD(")).toList()));
                    // the switched-off destination (autoStartup: false) got nothing, though it was up all along
                    assertTrue(Files.readString(offLog).contains("LISTENING"), Files.readString(offLog));
                    assertTrue(Files.readAllLines(offLog).stream().noneMatch(l -> l.startsWith("REQUEST ")),
                            Files.readString(offLog));
                } finally {
                    fwd.getOutputStream().close();
                    fwd.destroy();
                    fwd.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    @Test
    void retriesOrderRestartAndDeadLetter(@TempDir Path tmp) throws Exception {
        String e = "1.2.826.0.1.3680043.10.98.5";
        String f = "1.2.826.0.1.3680043.10.98.6";
        try (TestRis ris = new TestRis(BrokerProcess.freePort()).mode(TestRis.Mode.AE_THEN_AA).start()) {
            Setup s = setup(tmp, ris.port(), null, "--orderly.ris.max-attempts=1000");
            try (BrokerProcess broker = BrokerProcess.start(tmp, s.args())) {
                broker.awaitReady();
                assertEquals(0, modality(tmp, s.dicom(), op("create", e, create("ACC-E", "", "", "1.2.9.5", "IN PROGRESS")))
                        .get(0).status());
                // AE first, then the same message (same MSH-10) again, AA
                List<TestRis.Received> ipE = ris.await(m -> "ACC-E".equals(m.field("OBR", 18)), 2, WAIT);
                assertEquals(List.of("AE", "AA"), ipE.stream().map(TestRis.Received::ackCode).toList());
                assertEquals(ipE.get(0).controlId(), ipE.get(1).controlId());
                // the RIS goes down; the modality completes; the broker keeps trying, then crashes
                ris.stop();
                assertEquals(0, modality(tmp, s.dicom(), op("set", e, COMPLETE)).get(0).status());
                broker.awaitOut(l -> l.contains("attempt 2 failed"), WAIT);
                broker.kill();
                broker.awaitExit(WAIT);
            }
            // restart: the RIS is back, the broker too (now dead-lettering after 3 attempts)
            ris.mode(TestRis.Mode.AA).start();
            Setup s2 = setup(tmp, ris.port(), null, "--orderly.ris.max-attempts=3");
            try (BrokerProcess broker = BrokerProcess.start(tmp, s2.args())) {
                broker.awaitReady();
                List<TestRis.Received> all = ris.await(m -> "ACC-E".equals(m.field("OBR", 18)), 3, WAIT);
                assertEquals("CM", all.get(2).field("ORC", 5));
                assertEquals("AA", all.get(2).ackCode());
                Thread.sleep(500); // nothing more may come for E: the acknowledged IN PROGRESS is never sent again
                List<TestRis.Received> forE = of(ris, "ACC-E");
                assertEquals(3, forE.size(), forE.toString());
                assertEquals(1, forE.stream().filter(m -> "IP".equals(m.field("ORC", 5)) && "AA".equals(m.ackCode())).count());

                // dead-letter: the RIS is down for F's IN PROGRESS; its COMPLETED waits behind it
                ris.stop();
                assertEquals(0, modality(tmp, s2.dicom(), op("create", f, create("ACC-F", "", "", "1.2.9.6", "IN PROGRESS")),
                        op("set", f, COMPLETE)).get(1).status());
                broker.awaitOut(l -> l.contains("dead-lettered after 3 attempts"), WAIT);
                String dlq = BrokerProcess.get(s2.http(), "/api/mpps/dlq").body();
                assertTrue(dlq.contains(f) && dlq.contains("\"waitingBehind\":1") && dlq.contains("\"attempts\":3"), dlq);
                ris.start();
                Thread.sleep(1000); // the RIS is up, but F stays dead until an admin acts: nothing may overtake it
                assertEquals(0, of(ris, "ACC-F").size());
                HttpResponse<String> retry = post(s2.http(), "/api/mpps/dlq/retry");
                assertEquals(200, retry.statusCode(), retry.body());
                assertTrue(retry.body().contains("\"retried\":1"), retry.body());
                List<TestRis.Received> forF = ris.await(m -> "ACC-F".equals(m.field("OBR", 18)), 2, WAIT);
                assertEquals(List.of("IP", "CM"), forF.stream().map(m -> m.field("ORC", 5)).toList());
                assertTrue(BrokerProcess.get(s2.http(), "/api/mpps/dlq").body().contains("\"messages\":[]"));
            }
        }
    }

    /** hl7-mappings/status.yaml switched to OMI^O23 (v2.5.1): the RIS gets IPC with the order's imaging keys. */
    @Test
    void omiO23StatusMessagesCarryIpc(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("maps"));
        Files.writeString(tmp.resolve("maps/status.yaml"), "message-type: OMI_O23\nsending-application: ORDERLY\n"
                + "receiving-application: TESTRIS\n");
        try (TestRis ris = new TestRis(BrokerProcess.freePort()).start()) {
            Setup s = setup(tmp, ris.port(), null);
            try (BrokerProcess broker = BrokerProcess.start(tmp, s.args())) {
                broker.awaitReady();
                try (MllpClient c = new MllpClient("127.0.0.1", s.hl7(), 5000, 10000)) {
                    byte[] orm = Files.readAllBytes(REPO.resolve("samples/hl7/02-orm-o01-v231-ihe-zds-lf.hl7"));
                    assertEquals("AA", AckSummary.parse(new String(c.exchange(orm), StandardCharsets.ISO_8859_1)).code());
                }
                String a = "1.2.826.0.1.3680043.10.97.1";
                List<Rsp> r = modality(tmp, s.dicom(),
                        op("create", a, create("ESA0201", "ESR0201", "ESS0201A", STUDY, "IN PROGRESS")),
                        op("set", a, COMPLETE));
                assertEquals(0, r.get(0).status(), r.get(0).json());
                assertEquals(0, r.get(1).status(), r.get(1).json());
                List<TestRis.Received> got = ris.await(m -> m.field("ORC", 2).startsWith("ESP0201"), 2, WAIT);
                for (TestRis.Received m : got) {
                    assertEquals("OMI^O23^OMI_O23", m.field("MSH", 9), m.message());
                    assertEquals("2.5.1", m.field("MSH", 12), m.message());
                    assertEquals("TESTRIS", m.field("MSH", 5), m.message());
                    assertEquals("SC", m.field("ORC", 1), m.message());
                    assertTrue(m.field("ORC", 3).startsWith("ESF0201"), m.message());
                    assertEquals("ESA0201", m.field("IPC", 1), m.message());  // IPC-1 Accession Identifier
                    assertEquals("ESR0201", m.field("IPC", 2), m.message());  // IPC-2 Requested Procedure ID
                    assertEquals(STUDY, m.field("IPC", 3), m.message());      // IPC-3 Study Instance UID
                    assertEquals("ESS0201A", m.field("IPC", 4), m.message()); // IPC-4 Scheduled Procedure Step ID
                    assertEquals("CT", m.field("IPC", 5), m.message());       // IPC-5 Modality (as performed)
                    assertEquals(null, m.field("ZDS", 1), m.message());       // ZDS is ORM^O01 only
                    assertEquals("AA", m.ackCode());
                }
                assertEquals(List.of("IP", "CM"), got.stream().map(m -> m.field("ORC", 5)).toList());
            }
        }
    }
}
