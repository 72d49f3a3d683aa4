package org.orderly.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Fragments;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.io.DicomFile;
import org.orderly.dicom.io.DicomInputStream;
import org.orderly.dicom.io.FileMetaInformation;
import org.orderly.dicom.io.Part10Writer;

/**
 * Issue #7, "accepting Implicit/Explicit VR Little Endian and the common compressed transfer syntaxes as they come;
 * the original transfer syntax is passed through when the destination accepts it": objects encoded by dcmtk at test
 * time (dcmcjpeg, dcmcjpls, dcmcrle, dcmconv), each sent by dcmtk storescu proposing its transfer syntax, through
 * orderly.jar to dcmtk storescp accepting every transfer syntax ({@code +xa}). At storescp: the same transfer syntax
 * UID in the File Meta Information and byte-identical pixel data (every fragment, for encapsulated syntaxes).
 *
 * <p>JPEG 2000: dcmtk has no JPEG 2000 encoder, so that object is crafted with our Part10Writer: encapsulated pixel
 * data whose fragment is a FAKE codestream (SOC, SIZ marker, random bytes, EOC) under the JPEG 2000 Image Compression
 * (Lossless Only) UID. Nobody decodes it on the way, which is the point: the bytes must pass through untouched.
 */
class StorageTransferSyntaxIT {

    private record Case(String name, String tsUid, String storescuOption) {
    }

    @Test
    void everyCommonTransferSyntaxPassesThroughWithIdenticalPixelData(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path pacsDir = Files.createDirectories(tmp.resolve("pacs"));
        List<Case> cases = List.of(
                new Case("explicit", UID.ExplicitVRLittleEndian, "-xe"),
                new Case("implicit", UID.ImplicitVRLittleEndian, "-xi"),
                new Case("deflate", UID.DeflatedExplicitVRLittleEndian, "-xd"),
                new Case("jpeg-baseline", UID.JPEGBaseline8Bit, "-xy"),
                new Case("jpeg-lossless", UID.JPEGLosslessSV1, "-xs"),
                new Case("jpeg-ls", UID.JPEGLSLossless, "-xt"),
                new Case("rle", UID.RLELossless, "-xr"),
                new Case("j2k-fake", UID.JPEG2000Lossless, "-xv"));
        Map<String, Case> byIuid = new LinkedHashMap<>();
        Map<String, Path> files = new LinkedHashMap<>();
        int n = 1;
        for (Case c : cases) {
            String iuid = "2.25.6100." + (++n);
            Path base = image8(src, "2.25.6100", n); // SOP Instance UID = iuid
            String in = base.toString();
            Path f = src.resolve(c.name() + ".dcm");
            switch (c.name()) {
                case "explicit" -> run("dcmconv", "+te", in, f.toString());
                case "implicit" -> run("dcmconv", "+ti", in, f.toString());
                case "deflate" -> run("dcmconv", "+td", in, f.toString());
                case "jpeg-baseline" -> run("dcmcjpeg", "+eb", "+un", in, f.toString()); // +un: keep the SOP UID
                case "jpeg-lossless" -> run("dcmcjpeg", "+e1", "+un", in, f.toString());
                case "jpeg-ls" -> run("dcmcjpls", "+el", in, f.toString());
                case "rle" -> run("dcmcrle", in, f.toString());
                case "j2k-fake" -> fakeJ2k(base, f);
                default -> fail(c.name());
            }
            DicomFile sent = read(f);
            assertEquals(c.tsUid(), sent.fileMetaInformation().getString(Tag.TransferSyntaxUID).strip(),
                    "dcmtk made " + c.name());
            assertEquals(iuid, sent.dataset().getString(Tag.SOPInstanceUID).strip());
            byIuid.put(iuid, c);
            files.put(iuid, f);
        }

        int dicomPort = BrokerProcess.freePort();
        int pacsPort = BrokerProcess.freePort();
        int httpPort = BrokerProcess.freePort();
        Path routes = Files.createDirectories(tmp.resolve("routes"));
        Files.copy(Path.of(System.getProperty("orderly.repo.routes")).resolve("storage-default.camel.yaml"),
                routes.resolve("storage-default.camel.yaml"));
        Process scp = StoragePeers.storescp(pacsPort, pacsDir);
        try (BrokerProcess broker = BrokerProcess.start(tmp, List.of("--orderly.http.port=" + httpPort,
                "--orderly.dicom.port=" + dicomPort, "--orderly.hl7.port=" + BrokerProcess.freePort(),
                "--orderly.data-dir=" + tmp.resolve("data"), "--orderly.routes-dir=" + routes,
                "--orderly.bind=127.0.0.1", "--orderly.storage.min-free-mb=1",
                "--orderly.forward.destination=PACS@127.0.0.1:" + pacsPort))) {
            broker.awaitReady();
            for (var e : files.entrySet()) {
                Case c = byIuid.get(e.getKey());
                List<String> out = StoragePeers.newLines();
                // -R: propose only this object's SOP class; the option proposes the object's transfer syntax first
                Process scu = StoragePeers.storescu(dicomPort, List.of(e.getValue()), out, "-R", c.storescuOption());
                assertTrue(scu.waitFor(30, TimeUnit.SECONDS), "storescu finished");
                // its output is read by a thread: wait for the last line ("Releasing Association") or a failure
                for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); System.nanoTime() < end
                        && out.stream().noneMatch(l -> l.contains("Releasing Association") || l.startsWith("E:")); ) {
                    Thread.sleep(20);
                }
                assertEquals(1, StoragePeers.successes(out), c.name() + "\n" + String.join("\n", out));
                assertTrue(out.stream().anyMatch(l -> l.contains("Sending Store Request")), String.join("\n", out));
            }
            Map<String, DicomFile> got;
            try {
                got = awaitReceived(pacsDir, files.size());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nDLQ: " + BrokerProcess.get(httpPort, "/api/storage/dlq").body()
                        + "\nbroker:\n" + broker.allOutput(), e);
            }
            for (var e : files.entrySet()) {
                Case c = byIuid.get(e.getKey());
                DicomFile sent = read(e.getValue());
                DicomFile at = got.get(e.getKey());
                assertEquals(c.tsUid(), at.fileMetaInformation().getString(Tag.TransferSyntaxUID).strip(),
                        c.name() + ": transfer syntax passed through");
                assertEquals(pixelBytes(sent), pixelBytes(at), c.name() + ": pixel data byte-identical");
            }
        } finally {
            scp.destroy();
            scp.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * A destination that refuses the object's transfer syntax (storescp without {@code +xa}: uncompressed only):
     * the object goes to the dead-letter queue at once, its reason naming the transfer syntax, and the next object of
     * the same study is delivered instead of waiting behind it.
     */
    @Test
    void refusedTransferSyntaxGoesToTheDeadLetterQueueAndTheStudyMovesOn(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path pacsDir = Files.createDirectories(tmp.resolve("pacs"));
        Path jpeg = src.resolve("jpeg.dcm");
        run("dcmcjpeg", "+eb", "+un", image8(src, "2.25.6200", 1).toString(), jpeg.toString());
        Path explicit = src.resolve("explicit.dcm");
        run("dcmconv", "+te", image8(src, "2.25.6200", 2).toString(), explicit.toString());
        int dicomPort = BrokerProcess.freePort();
        int pacsPort = BrokerProcess.freePort();
        int httpPort = BrokerProcess.freePort();
        Path routes = Files.createDirectories(tmp.resolve("routes"));
        Files.copy(Path.of(System.getProperty("orderly.repo.routes")).resolve("storage-default.camel.yaml"),
                routes.resolve("storage-default.camel.yaml"));
        Process scp = StoragePeers.storescp(pacsPort, pacsDir, new String[0]); // no +xa: refuses JPEG
        try (BrokerProcess broker = BrokerProcess.start(tmp, List.of("--orderly.http.port=" + httpPort,
                "--orderly.dicom.port=" + dicomPort, "--orderly.hl7.port=" + BrokerProcess.freePort(),
                "--orderly.data-dir=" + tmp.resolve("data"), "--orderly.routes-dir=" + routes,
                "--orderly.bind=127.0.0.1", "--orderly.storage.min-free-mb=1",
                "--orderly.forward.destination=PACS@127.0.0.1:" + pacsPort))) {
            broker.awaitReady();
            for (var c : List.of(List.of(jpeg, "-xy"), List.of(explicit, "-xe"))) {
                List<String> out = StoragePeers.newLines();
                Process scu = StoragePeers.storescu(dicomPort, List.of((Path) c.get(0)), out, "-R", (String) c.get(1));
                assertTrue(scu.waitFor(30, TimeUnit.SECONDS), "storescu finished");
                for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); System.nanoTime() < end
                        && out.stream().noneMatch(l -> l.contains("Releasing Association") || l.startsWith("E:")); ) {
                    Thread.sleep(20);
                }
                assertEquals(1, StoragePeers.successes(out), String.join("\n", out));
            }
            Map<String, DicomFile> got;
            String dlq = "";
            try {
                got = awaitReceived(pacsDir, 1);
                for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); System.nanoTime() < end
                        && !dlq.contains("2.25.6200.1"); ) {
                    dlq = BrokerProcess.get(httpPort, "/api/storage/dlq").body();
                    Thread.sleep(100);
                }
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nbroker:\n" + broker.allOutput(), e);
            }
            assertEquals(List.of("2.25.6200.2"), List.copyOf(got.keySet()), "the explicit object was delivered");
            assertTrue(dlq.contains("\"sopInstanceUid\":\"2.25.6200.1\""), dlq + "\n" + broker.allOutput());
            assertTrue(dlq.contains(UID.JPEGBaseline8Bit), "the reason names the refused transfer syntax: " + dlq);
            assertTrue(dlq.contains("\"attempts\":1"), "a refused transfer syntax is not retried: " + dlq);
        } finally {
            scp.destroy();
            scp.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Pixel data as text to compare: native bytes, or each fragment (offset table included) in order. */
    private static String pixelBytes(DicomFile f) throws Exception {
        Object v = f.dataset().getValue(Tag.PixelData);
        if (v instanceof Fragments frags) {
            StringBuilder sb = new StringBuilder("fragments " + frags.size());
            for (int i = 0; i < frags.size(); i++) {
                byte[] b = (byte[]) frags.get(i); // read without a bulk data sink: every fragment on the heap
                sb.append(" | ").append(b.length).append(' ').append(StoragePeers.sha256(b));
            }
            return sb.toString();
        }
        byte[] b = f.dataset().getBytes(Tag.PixelData);
        return "native " + b.length + " " + StoragePeers.sha256(b);
    }

    private static DicomFile read(Path f) throws Exception {
        try (DicomInputStream in = new DicomInputStream(Files.newInputStream(f))) {
            return in.readDicomFile();
        }
    }

    /** An 8-bit MONOCHROME2 image (JPEG baseline needs 8 bits), smooth plus noise so every codec has work. */
    private static Path image8(Path dir, String study, int index) throws Exception {
        return StoragePeers.ctImage(dir, study, index, 100, index, ds -> {
            int side = 256;
            ds.setInt(Tag.Rows, VR.US, side);
            ds.setInt(Tag.Columns, VR.US, side);
            ds.setInt(Tag.BitsAllocated, VR.US, 8);
            ds.setInt(Tag.BitsStored, VR.US, 8);
            ds.setInt(Tag.HighBit, VR.US, 7);
            byte[] px = new byte[side * side];
            Random r = new Random(index);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    px[y * side + x] = (byte) ((x + y) / 2 + r.nextInt(8));
                }
            }
            ds.setBytes(Tag.PixelData, VR.OB, px);
        });
    }

    /** Encapsulated pixel data with a fake JPEG 2000 codestream (see class comment). */
    private static void fakeJ2k(Path base, Path f) throws Exception {
        Attributes ds = read(base).dataset();
        ds.remove(Tag.PixelData);
        ByteArrayOutputStream cs = new ByteArrayOutputStream();
        cs.write(new byte[] {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51}); // SOC, SIZ (ISO/IEC 15444-1 Annex A)
        byte[] body = new byte[5000];
        new Random(7).nextBytes(body);
        cs.write(body);
        cs.write(new byte[] {(byte) 0xFF, (byte) 0xD9}); // EOC; even length as PS3.5 §A.4 requires
        Fragments frags = ds.newFragments(Tag.PixelData, VR.OB);
        frags.add(new byte[0]); // empty Basic Offset Table, PS3.5 §A.4
        frags.add(cs.toByteArray());
        try (OutputStream out = Files.newOutputStream(f)) {
            Part10Writer.write(out, FileMetaInformation.forDataset(ds, UID.JPEG2000Lossless), ds);
        }
    }

    private static void run(String... cmd) throws Exception {
        List<String> c = new ArrayList<>(List.of(cmd));
        c.set(0, StoragePeers.exe(cmd[0]));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + out);
    }

    private static Map<String, DicomFile> awaitReceived(Path dir, int n) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (true) {
            Map<String, DicomFile> m = new LinkedHashMap<>();
            Map<String, String> unreadable = new LinkedHashMap<>();
            for (Path f : StoragePeers.received(dir)) {
                try {
                    DicomFile df = read(f);
                    m.put(df.dataset().getString(Tag.SOPInstanceUID).strip(), df);
                } catch (Exception e) { // a file still being written, or one we cannot read
                    unreadable.put(f.getFileName().toString(), e.toString());
                }
            }
            if (m.size() >= n) {
                return m;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("PACS has " + m.size() + " of " + n + " objects readable: " + m.keySet()
                        + "; unreadable: " + unreadable);
            }
            Thread.sleep(100);
        }
    }
}
