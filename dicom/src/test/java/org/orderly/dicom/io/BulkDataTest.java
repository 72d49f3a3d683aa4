package org.orderly.dicom.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.BulkData;
import org.orderly.dicom.data.Fragments;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;

/** Image-sized values are streamed to a sink and never allocated. */
class BulkDataTest {

    private static final long SIZE = 200L * 1024 * 1024;

    /** Generates {@code length} bytes: byte i = i * 31 mod 251. */
    static final class PatternStream extends InputStream {
        private long pos;
        private final long length;

        PatternStream(long length) {
            this.length = length;
        }

        static int at(long i) {
            return (int) ((i * 31) % 251);
        }

        @Override
        public int read() {
            return pos < length ? at(pos++) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - pos);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) at(pos++);
            }
            return n;
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void twoHundredMegabytePixelDataIsNeverAllocated(@TempDir Path dir) throws Exception {
        Attributes head = new Attributes();
        head.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3");
        head.setInt(Tag.Rows, VR.US, 10240);
        byte[] header = Bytes.concat(DatasetCodec.encode(head, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN),
                // (7FE0,0010) OW, 4-byte length = 200 MiB
                Bytes.of(0xE0, 0x7F, 0x10, 0x00, "OW", 0, 0, 0x00, 0x00, 0x80, 0x0C));
        InputStream in = new SequenceInputStream(new ByteArrayInputStream(header), new PatternStream(SIZE));
        Path bulk = dir.resolve("bulk.bin");
        long before = allocatedBytes();
        Attributes a;
        try (FileBulkDataSink sink = new FileBulkDataSink(bulk);
             DicomInputStream dis = new DicomInputStream(in).bulkData(sink, 64 * 1024)) {
            a = dis.readDataset(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        }
        long allocated = allocatedBytes() - before;
        assertTrue(allocated < 16L * 1024 * 1024, "parsing allocated " + allocated + " bytes");
        BulkData bd = assertInstanceOf(BulkData.class, a.getValue(Tag.PixelData));
        assertEquals(SIZE, bd.length());
        assertEquals(SIZE, Files.size(bulk));
        assertEquals(VR.OW, a.getVR(Tag.PixelData));
        assertEquals("1.2.3", a.getString(Tag.SOPInstanceUID));
        try (InputStream check = bd.openStream()) {
            check.skipNBytes(SIZE - 3);
            assertEquals(PatternStream.at(SIZE - 3), check.read());
        }

        // write it back: streamed from the file, byte count exact, again without allocating it
        before = allocatedBytes();
        CountingOutputStream counter = new CountingOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(counter)) {
            out.writeDataset(a, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        }
        allocated = allocatedBytes() - before;
        assertEquals(header.length + SIZE, counter.count);
        assertTrue(allocated < 16L * 1024 * 1024, "writing allocated " + allocated + " bytes");
    }

    static final class CountingOutputStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    @Test
    void thresholdAndEncapsulatedFragmentsGoToTheSink(@TempDir Path dir) throws Exception {
        Attributes a = new Attributes();
        a.setBytes(Tag.EncapsulatedDocument, VR.OB, new byte[70_000]);
        a.setString(Tag.PatientID, VR.LO, "small");
        Fragments f = a.newFragments(Tag.PixelData, VR.OB);
        f.add(new byte[0]);
        f.add(new byte[] {1, 2, 3, 4});
        byte[] encoded = DatasetCodec.encode(a, TransferSyntax.JPEG_BASELINE);
        Attributes b;
        try (FileBulkDataSink sink = new FileBulkDataSink(dir.resolve("b"));
             DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(encoded)).bulkData(sink, 65536)) {
            b = in.readDataset(TransferSyntax.JPEG_BASELINE);
        }
        assertInstanceOf(BulkData.class, b.getValue(Tag.EncapsulatedDocument));
        assertEquals("small", b.getString(Tag.PatientID));
        Fragments g = b.getFragments(Tag.PixelData);
        assertInstanceOf(byte[].class, g.get(0), "empty Basic Offset Table stays in memory");
        assertInstanceOf(BulkData.class, g.get(1), "pixel data fragments always go to the sink");
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(again)) {
            out.writeDataset(b, TransferSyntax.JPEG_BASELINE);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(encoded, again.toByteArray());
    }
}
