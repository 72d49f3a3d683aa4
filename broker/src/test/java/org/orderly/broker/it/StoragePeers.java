package org.orderly.broker.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.io.DicomFile;
import org.orderly.dicom.io.DicomInputStream;
import org.orderly.dicom.io.FileMetaInformation;
import org.orderly.dicom.io.Part10Writer;

/** dcmtk storescu (the modality) and storescp (the PACS) for the image routing tests, and test objects. */
final class StoragePeers {

    private StoragePeers() {
    }

    static String exe(String name) {
        for (String dir : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        fail(name + " (dcmtk) is not installed: apt-get install dcmtk (a missing peer fails the test)");
        return null;
    }

    /** storescp as the PACS: AE PACS on {@code port}, every transfer syntax accepted, files into {@code dir}. */
    static Process storescp(int port, Path dir) throws IOException {
        return storescp(port, dir, "+xa");
    }

    /** storescp as the PACS with these transfer syntax options (none: dcmtk's default, uncompressed only). */
    static Process storescp(int port, Path dir, String... tsOptions) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(exe("storescp"), "-aet", "PACS"));
        cmd.addAll(List.of(tsOptions));
        cmd.addAll(List.of("-od", dir.toString(), Integer.toString(port)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolveSibling(
                dir.getFileName() + "-storescp.log").toFile());
        pb.environment().put("TCP_NODELAY", "1");
        return pb.start();
    }

    /** Runs storescu; returns its live output lines (collected by a thread) and the process. */
    static Process storescu(int port, List<Path> files, List<String> lines, String... options) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(exe("storescu"), "-v", "-aet", "MOD", "-aec", "ORDERLY"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("127.0.0.1", Integer.toString(port)));
        files.forEach(f -> cmd.add(f.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TCP_NODELAY", "1");
        Process p = pb.start();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (IOException e) {
                // ended
            }
        }, "storescu-out");
        t.setDaemon(true);
        t.start();
        return p;
    }

    static List<String> newLines() {
        return new CopyOnWriteArrayList<>();
    }

    static long successes(List<String> storescuLines) {
        return storescuLines.stream().filter(l -> l.contains("Received Store Response") && l.contains("Success")).count();
    }

    /** A CT image with random pixel data of about {@code bytes}, in a study. */
    static Path ctImage(Path dir, String study, int index, int bytes, long seed) throws IOException {
        return ctImage(dir, study, index, bytes, seed, ds -> { });
    }

    /** As {@link #ctImage(Path, String, int, int, long)}, {@code edit} changing the data set before it is written. */
    static Path ctImage(Path dir, String study, int index, int bytes, long seed,
            java.util.function.Consumer<Attributes> edit) throws IOException {
        Attributes ds = new Attributes();
        String iuid = study + "." + index;
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, iuid);
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, study + ".1");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.InstitutionName, VR.LO, "ORDERLY TEST");
        ds.setString(Tag.PatientID, VR.LO, "P" + index);
        ds.setInt(Tag.InstanceNumber, VR.IS, index);
        int side = (int) Math.sqrt(bytes / 2.0);
        ds.setInt(Tag.Rows, VR.US, side);
        ds.setInt(Tag.Columns, VR.US, side);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        byte[] pixels = new byte[side * side * 2];
        new Random(seed).nextBytes(pixels);
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        edit.accept(ds);
        Path f = dir.resolve(iuid + ".dcm");
        try (OutputStream out = Files.newOutputStream(f)) {
            Part10Writer.write(out, FileMetaInformation.forDataset(ds, UID.ExplicitVRLittleEndian), ds);
        }
        return f;
    }

    /** SOP Instance UID and SHA-256 of the pixel data, parsed with our DicomInputStream. */
    static String[] uidAndPixelHash(Path f) throws Exception {
        try (DicomInputStream in = new DicomInputStream(Files.newInputStream(f))) {
            DicomFile df = in.readDicomFile();
            return new String[] {df.dataset().getString(Tag.SOPInstanceUID).strip(),
                sha256(df.dataset().getBytes(Tag.PixelData))};
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static List<Path> received(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".log")).toList();
        }
    }
}
