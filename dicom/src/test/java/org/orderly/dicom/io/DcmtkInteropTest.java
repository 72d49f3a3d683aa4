package org.orderly.dicom.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Fragments;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;

/**
 * Interop with DCMTK (a real peer, not a mock): files made by {@code dump2dcm} are parsed by our reader and
 * re-encoded byte-identically by our writer; files made by our writer are checked with {@code dcmdump}.
 * A missing DCMTK fails this test (GUIDE: a missing peer fails the build).
 */
class DcmtkInteropTest {

    @TempDir
    Path dir;

    /** PS3.5 H.3.1 bytes of Yamada^Tarou=山田^太郎=やまだ^たろう in ISO 2022 IR 87. */
    static final byte[] JAPANESE = Bytes.of("Yamada^Tarou=",
            0x1B, "$B;3ED", 0x1B, "(B^", 0x1B, "$BB@O:", 0x1B, "(B=",
            0x1B, "$B$d$^$@", 0x1B, "(B^", 0x1B, "$B$?$m$&", 0x1B, "(B");

    record Charset(String term, byte[] nameBytes, String name) {
    }

    static final List<Charset> CHARSETS = List.of(
            new Charset("\\ISO 2022 IR 87", JAPANESE, "Yamada^Tarou=山田^太郎=やまだ^たろう"),
            new Charset("GB18030", "Wang^XiaoDong=王^小东=".getBytes(java.nio.charset.Charset.forName("GB18030")),
                    "Wang^XiaoDong=王^小东="),
            new Charset("ISO_IR 192", "Wang^XiaoDong=王^小東=".getBytes(StandardCharsets.UTF_8), "Wang^XiaoDong=王^小東="));

    @BeforeAll
    static void dcmtkIsInstalled() {
        for (String tool : new String[] {"dump2dcm", "dcmdump"}) {
            try {
                Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            } catch (IOException | InterruptedException e) {
                fail("DCMTK tool " + tool + " is required for interop tests (apt-get install dcmtk): " + e);
            }
        }
    }

    /** Runs a DCMTK tool; output decoded as ISO 8859-1 so raw value bytes survive. */
    static String run(String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TCP_NODELAY", "1");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "timeout: " + String.join(" ", cmd));
        String text = new String(out, StandardCharsets.ISO_8859_1);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + text);
        return text;
    }

    static byte[] dump(Charset cs) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        String head = """
                (0008,0005) CS [%s]
                (0008,0016) UI =SecondaryCaptureImageStorage
                (0008,0018) UI [1.2.826.0.1.3680043.2.1143.42]
                (0008,0060) CS [OT]
                (0009,0010) LO [ACME 1.0]
                (0009,1001) UN 01\\02\\03\\04
                (0010,0010) PN [""".formatted(cs.term());
        b.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes(cs.nameBytes());
        b.writeBytes("""
                ]
                (0010,0020) LO [ID1]
                (0010,1010) AS [042Y]
                (0018,0050) DS [1.5]
                (0020,0013) IS [7]
                (0028,0010) US 2
                (0028,0011) US 2
                (0028,0030) DS [0.5\\0.25]
                (0040,0100) SQ (Sequence with undefined length)
                (fffe,e000) na (Item with undefined length)
                (0040,0001) AE [CT1]
                (0040,0008) SQ (Sequence with undefined length)
                (fffe,e000) na (Item with undefined length)
                (0008,0100) SH [CODE1]
                (0008,0102) SH [99ORD]
                (fffe,e00d) na (ItemDelimitationItem)
                (fffe,e0dd) na (SequenceDelimitationItem)
                (0040,0009) SH [SPS1]
                (fffe,e00d) na (ItemDelimitationItem)
                (fffe,e0dd) na (SequenceDelimitationItem)
                (7fe0,0010) OW 0001\\0002\\0003\\fffe
                """.getBytes(StandardCharsets.ISO_8859_1));
        return b.toByteArray();
    }

    static Stream<Arguments> dcmtkFiles() {
        List<Arguments> args = new ArrayList<>();
        for (Charset cs : CHARSETS) {
            args.add(Arguments.of(cs, "+te", UID.ExplicitVRLittleEndian));
        }
        Charset jp = CHARSETS.get(0);
        args.add(Arguments.of(jp, "+ti", UID.ImplicitVRLittleEndian));
        args.add(Arguments.of(jp, "+tb", UID.ExplicitVRBigEndian));
        args.add(Arguments.of(jp, "+td", UID.DeflatedExplicitVRLittleEndian));
        args.add(Arguments.of(jp, "-e", UID.ExplicitVRLittleEndian)); // undefined lengths
        args.add(Arguments.of(CHARSETS.get(1), "+ti", UID.ImplicitVRLittleEndian));
        return args.stream();
    }

    @ParameterizedTest
    @MethodSource("dcmtkFiles")
    void parseAndReencodeDump2dcmFiles(Charset cs, String option, String tsuid) throws Exception {
        Path dumpFile = dir.resolve("in.dump");
        Files.write(dumpFile, dump(cs));
        Path dcm = dir.resolve("dcmtk.dcm");
        List<String> cmd = new ArrayList<>(List.of("dump2dcm", "-q"));
        if (option.equals("-e")) {
            cmd.add("+te");
        }
        cmd.addAll(List.of(option, dumpFile.toString(), dcm.toString()));
        run(cmd.toArray(String[]::new));
        byte[] original = Files.readAllBytes(dcm);

        DicomFile f;
        try (InputStream in = Files.newInputStream(dcm); DicomInputStream dis = new DicomInputStream(in)) {
            f = dis.readDicomFile();
        }
        assertEquals(tsuid, f.transferSyntax().uid());
        Attributes ds = f.dataset();
        assertEquals(cs.name(), ds.getString(Tag.PatientName));
        assertEquals("ID1", ds.getString(Tag.PatientID));
        assertEquals(1.5, ds.getDouble(Tag.SliceThickness, 0), 0);
        assertEquals(0.25, ds.getDoubles(Tag.PixelSpacing)[1], 0);
        assertEquals(7, ds.getInt(Tag.InstanceNumber, 0));
        assertEquals("ACME 1.0", ds.getString(0x00090010));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, ds.getBytes(0x00091001));
        Attributes sps = ds.getSequence(Tag.ScheduledProcedureStepSequence).get(0);
        assertEquals("CT1", sps.getString(Tag.ScheduledStationAETitle));
        assertEquals("SPS1", sps.getString(Tag.ScheduledProcedureStepID));
        assertEquals("CODE1", sps.getSequence(Tag.ScheduledProtocolCodeSequence).get(0).getString(Tag.CodeValue));
        assertArrayEquals(new int[] {1, 2, 3, 0xFFFE}, ds.getInts(Tag.PixelData));

        // Re-encode with our writer: byte-identical. DCMTK writes defined lengths by default, undefined with -e.
        // Deflated output is compared after inflation only: equal data may deflate to different bytes.
        DicomOutputStream.SequenceLength mode = option.equals("-e")
                ? DicomOutputStream.SequenceLength.UNDEFINED : DicomOutputStream.SequenceLength.DEFINED;
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(ours).sequenceLength(mode)) {
            out.writeDicomFile(f.fileMetaInformation(), ds);
        }
        if (f.transferSyntax().deflated()) {
            DicomFile again;
            try (DicomInputStream dis = new DicomInputStream(new java.io.ByteArrayInputStream(ours.toByteArray()))) {
                again = dis.readDicomFile();
            }
            assertEquals(ds, again.dataset());
        } else {
            assertArrayEquals(original, ours.toByteArray(), "re-encoded bytes differ from dump2dcm " + option);
        }
    }

    @Test
    void encapsulatedPixelDataFromDump2dcm() throws Exception {
        Path dumpFile = dir.resolve("enc.dump");
        Files.writeString(dumpFile, """
                (0002,0010) UI =JPEGBaseline
                (0008,0016) UI =SecondaryCaptureImageStorage
                (0008,0018) UI [1.2.3.4.5]
                (0028,0010) US 2
                (7fe0,0010) OB (PixelSequence #=3)
                (fffe,e000) pi (no value available)
                (fffe,e000) pi ff\\d8\\ff\\d9
                (fffe,e000) pi 01\\02\\03\\04\\05\\06
                (fffe,e0dd) na (SequenceDelimitationItem)
                """);
        Path dcm = dir.resolve("enc.dcm");
        run("dump2dcm", "-q", dumpFile.toString(), dcm.toString());
        DicomFile f;
        try (InputStream in = Files.newInputStream(dcm); DicomInputStream dis = new DicomInputStream(in)) {
            f = dis.readDicomFile();
        }
        assertEquals(TransferSyntax.JPEG_BASELINE, f.transferSyntax());
        Fragments frags = assertInstanceOf(Fragments.class, f.dataset().getValue(Tag.PixelData));
        assertEquals(3, frags.size());
        assertArrayEquals(Bytes.of(0xFF, 0xD8, 0xFF, 0xD9), (byte[]) frags.get(1));
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        Part10Writer.write(ours, f.fileMetaInformation(), f.dataset());
        assertArrayEquals(Files.readAllBytes(dcm), ours.toByteArray());
    }

    static Stream<String> transferSyntaxes() {
        return Stream.of(UID.ImplicitVRLittleEndian, UID.ExplicitVRLittleEndian, UID.DeflatedExplicitVRLittleEndian,
                UID.ExplicitVRBigEndian);
    }

    @ParameterizedTest
    @MethodSource("transferSyntaxes")
    void dcmdumpReadsOurFiles(String tsuid) throws Exception {
        for (Charset cs : CHARSETS) {
            Attributes ds = new Attributes();
            ds.setString(Tag.SpecificCharacterSet, org.orderly.dicom.data.VR.CS,
                    cs.term().startsWith("\\") ? new String[] {"", cs.term().substring(1)} : new String[] {cs.term()});
            ds.setString(Tag.SOPClassUID, org.orderly.dicom.data.VR.UI, UID.SecondaryCaptureImageStorage);
            ds.setString(Tag.SOPInstanceUID, org.orderly.dicom.data.VR.UI, "2.25.42");
            ds.setString(Tag.PatientName, org.orderly.dicom.data.VR.PN, cs.name());
            ds.setString(Tag.PatientID, org.orderly.dicom.data.VR.LO, "ID1");
            ds.setString(0x00090010, org.orderly.dicom.data.VR.LO, "ACME 1.0");
            ds.setBytes(0x00091001, org.orderly.dicom.data.VR.UN, new byte[] {1, 2, 3, 4});
            Attributes item = ds.newSequence(Tag.ScheduledProcedureStepSequence).addNewItem();
            item.setString(Tag.ScheduledStationAETitle, org.orderly.dicom.data.VR.AE, "CT1");
            item.newSequence(Tag.ScheduledProtocolCodeSequence).addNewItem()
                    .setString(Tag.CodeValue, org.orderly.dicom.data.VR.SH, "CODE1");
            ds.setInt(Tag.Rows, org.orderly.dicom.data.VR.US, 2);
            ds.setInt(Tag.PixelData, org.orderly.dicom.data.VR.OW, 1, 2, 3, 0xFFFE);
            Path file = dir.resolve("ours.dcm");
            try (OutputStream out = Files.newOutputStream(file)) {
                Part10Writer.write(out, FileMetaInformation.forDataset(ds, tsuid), ds);
            }
            String text = run("dcmdump", "-M", "+L", file.toString());
            assertFalse(text.contains("E: ") || text.contains("W: "), text);
            assertTrue(text.contains("(0010,0020) LO [ID1]"), text);
            assertTrue(text.contains("(0008,0100) SH [CODE1]"), text);
            assertTrue(text.contains("(0040,0001) AE [CT1]"), text);
            assertTrue(text.contains("(0009,1001) UN 01\\02\\03\\04") || text.contains("(0009,1001) ?? 01\\02\\03\\04")
                    || text.contains("(0009,1001) UN (no value") || text.contains("01\\02\\03\\04"), text);
            assertTrue(text.contains("(7fe0,0010) OW 0001\\0002\\0003\\fffe"), text);
            assertTrue(text.contains("(0002,0012) UI [" + FileMetaInformation.IMPLEMENTATION_CLASS_UID + "]"), text);
            String rawName = new String(cs.nameBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(text.contains("(0010,0010) PN [" + rawName + "]"), text);
        }
    }
}
