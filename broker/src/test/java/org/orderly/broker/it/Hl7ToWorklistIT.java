package org.orderly.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.orderly.dicom.io.DicomInputStream;

/**
 * Issue #4's end-to-end promise, with independent peers on both sides of the real jar: every sample of
 * {@code samples/hl7} goes in over MLLP with {@code orderly hl7 send} (in file order: orders, then the cancel,
 * change, discontinue, A08 and A40 that act on them), and dcmtk {@code findscu -W} reads the worklist back.
 * The answers must carry what the messages said, after every later message was applied.
 */
class Hl7ToWorklistIT {
    private static final Path SAMPLES = Path.of(System.getProperty("orderly.repo.routes")).resolve("../samples/hl7")
            .normalize();
    private static final String SPS = "ScheduledProcedureStepSequence[0].";

    @Test
    void everySampleReachesTheWorklistAsTheRisSentIt(@TempDir Path tmp) throws Exception {
        Path routes = tmp.resolve("routes");
        BrokerProcessIT.copyRepoRoutes(routes);
        int hl7 = BrokerProcess.freePort();
        int dicom = BrokerProcess.freePort();
        try (BrokerProcess broker = BrokerProcess.start(tmp, List.of("--orderly.http.port=" + BrokerProcess.freePort(),
                "--orderly.dicom.port=" + dicom, "--orderly.hl7.port=" + hl7,
                "--orderly.data-dir=" + tmp.resolve("data"), "--orderly.routes-dir=" + routes,
                "--orderly.mappings-dir=" + tmp.resolve("maps"), "--orderly.bind=127.0.0.1"))) {
            broker.awaitReady();

            List<String> send = new ArrayList<>(List.of("hl7", "send"));
            try (Stream<Path> s = Files.list(SAMPLES)) {
                s.map(Path::toString).filter(n -> n.endsWith(".hl7")).sorted().forEach(send::add);
            }
            send.addAll(List.of("--to", "127.0.0.1:" + hl7));
            String sent = MwlDifferentialIT.runJar(tmp, send.toArray(String[]::new));
            // 12 (A40 of a prior patient never ordered) is AE, 13 (ORU^R01) is AR: so exit 1, every other AA
            assertTrue(sent.startsWith("exit 1"), sent);
            assertEquals(12, sent.split(": AA", -1).length - 1, sent);

            Map<String, Attributes> items = worklist(tmp.resolve("rsp"), dicom);

            // 01 ORM v2.3, two OBRs = two requested procedures; 08 cancelled the second; 09 moved the first to
            // 14:00; 11 (A08) changed the patient's name and birth date on the open item
            Attributes head = items.get("NGA5001");
            assertEquals("DOE-SMITH^JANE^Q", head.getString(Tag.PatientName));
            assertEquals("19750613", head.getString(Tag.PatientBirthDate));
            assertEquals("NG100234", head.getString(Tag.PatientID));
            assertEquals("CT", sps(head).getString(Tag.Modality));
            assertEquals("20240315", sps(head).getString(Tag.ScheduledProcedureStepStartDate));
            assertEquals("140000", sps(head).getString(Tag.ScheduledProcedureStepStartTime));
            assertEquals("NGS5001", sps(head).getString(Tag.ScheduledProcedureStepID));
            assertEquals("NGR5001", head.getString(Tag.RequestedProcedureID));
            assertFalse(items.containsKey("NGA5002"), "cancelled by 08: " + items.keySet());
            // 02 (IHE, ZDS) was discontinued by 10: both steps leave the modality's list
            assertFalse(items.containsKey("ESA0201"), "discontinued by 10: " + items.keySet());

            // 03 v2.4
            assertEquals("TESTER^MARIA", items.get("LVA301").getString(Tag.PatientName));

            // 04 OMI^O23 v2.5.1 with IPC: Study Instance UID from IPC-3, one step per IPC, station AE from IPC-9
            Attributes pet = items.get("RBA401");
            assertEquals("1.2.826.0.1.3680043.9.7433.2.401", pet.getString(Tag.StudyInstanceUID));
            assertEquals("20240318", sps(pet).getString(Tag.ScheduledProcedureStepStartDate));
            assertTrue(List.of("PETCT_CT", "PETCT_PT").contains(sps(pet).getString(Tag.ScheduledStationAETitle)),
                    sps(pet).toString());

            // 05 Latin-1 (MSH-18 8859/1) and 06 UTF-8 Greek: names survive, each in a character set that holds it
            assertEquals("Müller^Jürgen^Björn", items.get("KSA501").getString(Tag.PatientName));
            Attributes greek = items.get("AGA601");
            assertEquals("Παπαδοπούλου^Ελένη", greek.getString(Tag.PatientName));
            assertEquals("MR_ATH2", sps(greek).getString(Tag.ScheduledStationAETitle));

            // 07 escapes: \X27\ -> ', \T\ -> &, \F\ -> |, \S\ -> ^
            Attributes esc = items.get("NGA701");
            assertEquals("O'BRIEN^MARY&ANN", esc.getString(Tag.PatientName));
            assertEquals("X-ray hand L|R ^ 2 views", esc.getString(Tag.RequestedProcedureDescription));

            // 14 Z-segment dialect: Study Instance UID from ZDS-1
            assertEquals("1.2.826.0.1.3680043.9.7433.4.1401", items.get("HTA1401").getString(Tag.StudyInstanceUID));

            // nothing from the refused ORU^R01
            assertFalse(items.values().stream().anyMatch(a -> "NG001301".equals(a.getString(Tag.AccessionNumber))));
        }
    }

    private static Attributes sps(Attributes item) {
        return item.getSequence(Tag.ScheduledProcedureStepSequence).get(0);
    }

    /** Every open worklist item, by accession number (the first step's answer of each). */
    private static Map<String, Attributes> worklist(Path dir, int port) throws Exception {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of("findscu", "-W", "-aet", "E2ETEST", "-aec", "ORDERLY", "-X", "-od",
                dir.toString()));
        for (String k : List.of("PatientName", "PatientID", "PatientBirthDate", "AccessionNumber",
                "StudyInstanceUID", "RequestedProcedureID", "RequestedProcedureDescription", SPS + "Modality",
                SPS + "ScheduledProcedureStepStartDate", SPS + "ScheduledProcedureStepStartTime",
                SPS + "ScheduledProcedureStepID", SPS + "ScheduledStationAETitle")) {
            cmd.addAll(List.of("-k", k));
        }
        cmd.addAll(List.of("127.0.0.1", Integer.toString(port)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("findscu.log").toFile());
        pb.environment().put("TCP_NODELAY", "1");
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("findscu did not finish");
        }
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("findscu.log"), StandardCharsets.ISO_8859_1));
        Map<String, Attributes> items = new HashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(x -> x.getFileName().toString().startsWith("rsp")).sorted().toList()) {
                try (DicomInputStream in = new DicomInputStream(Files.newInputStream(f))) {
                    Attributes a = in.readDicomFile().dataset();
                    items.putIfAbsent(a.getString(Tag.AccessionNumber), a);
                }
            }
        }
        assertFalse(items.isEmpty(), "no worklist answers");
        return items;
    }
}
