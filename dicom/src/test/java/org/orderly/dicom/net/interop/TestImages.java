package org.orderly.dicom.net.interop;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.io.DatasetCodec;
import org.orderly.dicom.io.DicomInputStream;
import org.orderly.dicom.io.FileMetaInformation;
import org.orderly.dicom.io.Part10Writer;
import org.orderly.dicom.io.TransferSyntax;

/** Test images written as Part 10 files (Explicit VR Little Endian), pixel data streamed so size is no issue. */
public final class TestImages {

    private TestImages() {
    }

    /**
     * A 16-bit monochrome image of {@code rows x columns} with pseudo-random pixels (seeded), SOP class
     * {@code sopClass}. Returns the file.
     */
    public static Path write(Path file, String sopClass, String iuid, int rows, int columns, long seed)
            throws IOException {
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, sopClass);
        ds.setString(Tag.SOPInstanceUID, VR.UI, iuid);
        ds.setString(Tag.StudyInstanceUID, VR.UI, "2.25.1000");
        ds.setString(Tag.SeriesInstanceUID, VR.UI, "2.25.1000.1");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.PatientID, VR.LO, "ORDERLY-TEST");
        ds.setString(Tag.PatientName, VR.PN, "TEST^INTEROP");
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, rows);
        ds.setInt(Tag.Columns, VR.US, columns);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 16);
        ds.setInt(Tag.HighBit, VR.US, 15);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        byte[] header = DatasetCodec.encode(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        long pixelLength = 2L * rows * columns;
        Attributes fmi = FileMetaInformation.create(sopClass, iuid, UID.ExplicitVRLittleEndian);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            Part10Writer.writeRaw(out, fmi, new java.io.ByteArrayInputStream(header));
            // (7FE0,0010) OW, reserved 2 bytes, 4-byte length: PS3.5 §7.1.2
            out.write(new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'W', 0, 0});
            out.write(new byte[] {(byte) pixelLength, (byte) (pixelLength >> 8), (byte) (pixelLength >> 16),
                    (byte) (pixelLength >> 24)});
            SplittableRandom rnd = new SplittableRandom(seed);
            byte[] buf = new byte[1 << 16];
            long left = pixelLength;
            while (left > 0) {
                int n = (int) Math.min(buf.length, left);
                for (int i = 0; i < n; i += 8) {
                    long v = rnd.nextLong();
                    for (int k = 0; k < 8 && i + k < n; k++) {
                        buf[i + k] = (byte) (v >>> (8 * k));
                    }
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
        return file;
    }

    /** Byte offset of the data set in a Part 10 file (after the File Meta Information). */
    public static long datasetOffset(Path part10) throws IOException {
        try (DicomInputStream in = new DicomInputStream(Files.newInputStream(part10))) {
            in.readFileMetaInformation();
            return in.position();
        }
    }

    /** SHA-256 of the data set bytes of a Part 10 file (everything after the File Meta Information). */
    public static String datasetDigest(Path part10) throws IOException {
        long off = datasetOffset(part10);
        try (InputStream in = Files.newInputStream(part10)) {
            in.skipNBytes(off);
            return digest(in);
        }
    }

    public static String digest(InputStream in) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream d = new DigestInputStream(in, md)) {
                d.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
