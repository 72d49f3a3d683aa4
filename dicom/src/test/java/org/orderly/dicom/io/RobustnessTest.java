package org.orderly.dicom.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;

/**
 * Hostile input: every case must end in {@link DicomStreamException} naming tag and offset - never
 * OutOfMemoryError, StackOverflowError, another RuntimeException or a hang.
 */
class RobustnessTest {

    private static final TransferSyntax EXPLICIT = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
    private static final TransferSyntax IMPLICIT = TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;

    private static DicomStreamException fails(byte[] b, TransferSyntax ts, boolean knownLength) {
        return assertThrows(DicomStreamException.class, () -> {
            try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(b))) {
                if (knownLength) {
                    in.inputLength(b.length);
                }
                in.readDataset(ts);
            }
        });
    }

    @Test
    void truncatedHeaderAndValue() {
        DicomStreamException e = fails(Bytes.of(0x10, 0x00, 0x10, 0x00, "PN"), EXPLICIT, false);
        assertTrue(e.getMessage().contains("(0010,0010)") && e.getMessage().contains("truncated"), e.getMessage());
        e = fails(Bytes.of(0x10, 0x00, 0x10, 0x00, "PN", 0x08, 0x00, "DOE"), EXPLICIT, false);
        assertEquals(Tag.PatientName, e.tag());
        assertEquals(11, e.offset());
    }

    @Test
    void lengthPastTheEndIsRejectedBeforeAllocating() {
        // (7FE0,0010) OB with length 0xFFFFFFF0 (> 2^31: a negative int in careless code)
        byte[] b = Bytes.of(0xE0, 0x7F, 0x10, 0x00, "OB", 0, 0, 0xF0, 0xFF, 0xFF, 0xFF, 1, 2);
        DicomStreamException e = fails(b, EXPLICIT, true);
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
        e = fails(b, EXPLICIT, false); // unknown input length: the in-memory limit applies
        assertTrue(e.getMessage().contains("exceeds limit"), e.getMessage());
        // 60 MB claimed (under the limit) but 2 bytes present: fails as truncated, allocating one chunk at a time
        byte[] c = Bytes.of(0xE0, 0x7F, 0x10, 0x00, "OB", 0, 0, 0x00, 0x00, 0x93, 0x03, 1, 2);
        assertTrue(fails(c, EXPLICIT, false).getMessage().contains("truncated"));
    }

    @Test
    void oddLength() {
        DicomStreamException e = fails(Bytes.of(0x10, 0x00, 0x20, 0x00, 0x03, 0, 0, 0, "ABC"), IMPLICIT, false);
        assertTrue(e.getMessage().contains("odd value length 3"), e.getMessage());
    }

    @Test
    void undefinedLengthOnlyWhereAllowed() {
        DicomStreamException e = fails(Bytes.of(0x28, 0x00, 0x10, 0x00, 0xFF, 0xFF, 0xFF, 0xFF), IMPLICIT, false);
        assertTrue(e.getMessage().contains("undefined length not allowed"), e.getMessage());
    }

    @Test
    void unknownVR() {
        DicomStreamException e = fails(Bytes.of(0x10, 0x00, 0x20, 0x00, "ZZ", 2, 0, "AB"), EXPLICIT, false);
        assertTrue(e.getMessage().contains("unknown VR"), e.getMessage());
    }

    @Test
    void misplacedDelimiters() {
        fails(Bytes.of(0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0), EXPLICIT, false);
        fails(Bytes.of(0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0), EXPLICIT, false);
        fails(Bytes.of(0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0), EXPLICIT, false);
        // sequence delimiter inside a defined-length sequence
        fails(Bytes.of(0x08, 0x00, 0x10, 0x11, "SQ", 0, 0, 8, 0, 0, 0, 0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0),
                EXPLICIT, false);
        // a non-item tag where an item must be
        fails(Bytes.of(0x08, 0x00, 0x10, 0x11, "SQ", 0, 0, 8, 0, 0, 0, 0x10, 0x00, 0x20, 0x00, 0, 0, 0, 0),
                EXPLICIT, false);
    }

    @Test
    void itemLongerThanItsSequence() {
        byte[] b = Bytes.of(0x08, 0x00, 0x10, 0x11, "SQ", 0, 0, 16, 0, 0, 0,
                0xFE, 0xFF, 0x00, 0xE0, 100, 0, 0, 0, 0x10, 0x00, 0x20, 0x00, "LO", 0, 0);
        assertTrue(fails(b, EXPLICIT, false).getMessage().contains("exceeds"));
    }

    @Test
    void elementOverrunningItem() {
        // item of length 6 holding an element header of 8 bytes
        byte[] b = Bytes.of(0x08, 0x00, 0x10, 0x11, "SQ", 0, 0, 0xFF, 0xFF, 0xFF, 0xFF,
                0xFE, 0xFF, 0x00, 0xE0, 6, 0, 0, 0, 0x10, 0x00, 0x20, 0x00, "LO", 0, 0,
                0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0);
        fails(b, EXPLICIT, false);
    }

    @Test
    void deepNestingIsLimited() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 100_000; i++) { // 100k nested SQ/items: would overflow the stack without a limit
            out.writeBytes(Bytes.of(0x08, 0x00, 0x10, 0x11, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0x00, 0xE0,
                    0xFF, 0xFF, 0xFF, 0xFF));
        }
        DicomStreamException e = fails(out.toByteArray(), IMPLICIT, false);
        assertTrue(e.getMessage().contains("nested deeper than 32"), e.getMessage());
    }

    @Test
    void corruptDeflateStream() {
        fails(Bytes.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, false);
    }

    @Test
    void fragmentOfUndefinedLength() {
        fails(Bytes.of(0xE0, 0x7F, 0x10, 0x00, "OB", 0, 0, 0xFF, 0xFF, 0xFF, 0xFF,
                0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF), EXPLICIT, false);
    }

    /**
     * Random mutations of valid encodings, fixed seed. Iterations: system property
     * {@code orderly.fuzz.iterations} (root pom default 20000).
     */
    @Test
    void fuzzDecoder() {
        int iterations = Integer.getInteger("orderly.fuzz.iterations", 20000);
        List<byte[]> corpus = new ArrayList<>();
        List<TransferSyntax> syntaxes = new ArrayList<>();
        Attributes sample = RoundTripTest.everyVR(2);
        sample.setString(Tag.PatientComments, org.orderly.dicom.data.VR.LT, "short"); // keep inputs small
        sample.remove(RoundTripTest.TAG_FOR_VR.get(org.orderly.dicom.data.VR.UC));
        for (TransferSyntax ts : new TransferSyntax[] {IMPLICIT, EXPLICIT, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN,
                TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN}) {
            corpus.add(DatasetCodec.encode(sample, ts));
            syntaxes.add(ts);
        }
        corpus.add(DicomStreamFixturesTest.ENCAPSULATED);
        syntaxes.add(TransferSyntax.JPEG_BASELINE);
        corpus.add(DicomStreamFixturesTest.UN_UNDEFINED_IN_BE);
        syntaxes.add(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN);
        Random random = new Random(0x0DC0DEL);
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < iterations; i++) {
                int k = random.nextInt(corpus.size());
                byte[] input = mutate(corpus.get(k), random);
                try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(input))) {
                    if (random.nextBoolean()) {
                        in.inputLength(input.length);
                    }
                    in.maxValueLength(1 << 20);
                    in.readDataset(syntaxes.get(k));
                    outcomes[0]++;
                } catch (DicomStreamException expected) {
                    outcomes[1]++;
                } catch (IOException | RuntimeException | Error e) {
                    fail("iteration " + i + ": undocumented " + e, e);
                }
            }
        });
        assertEquals(iterations, outcomes[0] + outcomes[1]);
        assertTrue(outcomes[1] > 0 && outcomes[0] > 0, "both outcomes occur: " + outcomes[0] + "/" + outcomes[1]);
    }

    private static byte[] mutate(byte[] src, Random r) {
        byte[] b = src.clone();
        int n = 1 + r.nextInt(4);
        for (int m = 0; m < n; m++) {
            int pos = r.nextInt(b.length);
            switch (r.nextInt(6)) {
                case 0 -> b[pos] = (byte) r.nextInt(256);
                case 1 -> b[pos] ^= (byte) (1 << r.nextInt(8));
                case 2 -> { // extreme 32-bit value, e.g. a length
                    int v = new int[] {0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0x00010001}[r.nextInt(5)];
                    for (int j = 0; j < 4 && pos + j < b.length; j++) {
                        b[pos + j] = (byte) (v >>> (8 * j));
                    }
                }
                case 3 -> b = java.util.Arrays.copyOf(b, pos); // truncate
                case 4 -> { // duplicate a slice
                    int len = Math.min(b.length - pos, 1 + r.nextInt(32));
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, pos + len);
                    System.arraycopy(b, pos, c, pos + len, b.length - pos);
                    b = c;
                }
                default -> b[pos] = 0;
            }
            if (b.length == 0) {
                break;
            }
        }
        return b;
    }
}
