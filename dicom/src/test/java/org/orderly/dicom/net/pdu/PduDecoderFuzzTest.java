package org.orderly.dicom.net.pdu;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Bounded random mutation of valid PDUs (fixed seed). The decoder may only return a PDU, return null, or throw
 * {@link InvalidPduException}; anything else (a RuntimeException, an OutOfMemoryError, a hang) fails.
 * Iterations: system property {@code orderly.fuzz.iterations} (root pom default 20000).
 */
class PduDecoderFuzzTest {

    private static final List<byte[]> SEEDS = List.of(PduCodecTest.ASSOCIATE_RQ, PduCodecTest.ASSOCIATE_AC,
            new AssociateRq("ORDERLY", "CT1", List.of(new PresentationContextRqItem(1, "1.2.840.10008.1.1",
                    List.of("1.2.840.10008.1.2", "1.2.840.10008.1.2.1"))), new UserInformationItem(List.of(
                    new MaximumLengthSubItem(16384), new ImplementationClassUidSubItem("1.2.3"),
                    new AsynchronousOperationsWindowSubItem(1, 1),
                    new ScpScuRoleSelectionSubItem("1.2.840.10008.1.1", true, true),
                    new ImplementationVersionNameSubItem("X"),
                    new SopClassExtendedNegotiationSubItem("1.2", new byte[] {1}),
                    new SopClassCommonExtendedNegotiationSubItem("1.2", "1.3", List.of("1.4")),
                    new UserIdentityRq(1, false, new byte[] {65}, new byte[0]),
                    new UserIdentityAc(new byte[] {66})))).toBytes(),
            PDataTf.of(new PresentationDataValue(1, true, true, new byte[20]),
                    new PresentationDataValue(3, false, false, new byte[7])).toBytes(),
            AssociateRj.of(AssociateRj.Result.REJECTED_TRANSIENT, AssociateRj.Reason.LOCAL_LIMIT_EXCEEDED).toBytes(),
            ReleaseRq.INSTANCE.toBytes(), ReleaseRp.INSTANCE.toBytes(), Abort.BY_SERVICE_USER.toBytes());

    @Test
    void mutatedPdusOnlyFailWithInvalidPduException() {
        int iterations = Integer.getInteger("orderly.fuzz.iterations", 20000);
        PduDecoder decoder = new PduDecoder(16384, PduDecoder.DEFAULT_MAX_ASSOCIATE_LENGTH);
        Random random = new Random(0x0DEC0DEL);
        long budgetSeconds = Math.max(20, iterations / 1000);
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(budgetSeconds), () -> {
            for (int i = 0; i < iterations; i++) {
                byte[] pdu = mutate(SEEDS.get(random.nextInt(SEEDS.size())), random);
                try {
                    decoder.read(new ByteArrayInputStream(pdu));
                    outcomes[0]++;
                } catch (InvalidPduException expected) {
                    outcomes[1]++;
                } catch (IOException | RuntimeException e) {
                    fail("iteration " + i + ": " + e + " for " + org.orderly.dicom.net.testing.Bytes.hex(pdu), e);
                }
            }
        });
        assertTrue(outcomes[0] > 0 && outcomes[1] > 0, "mutations both decode and fail: " + outcomes[0] + "/"
                + outcomes[1]);
    }

    private static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed.clone();
        int kind = r.nextInt(5);
        switch (kind) {
            case 0 -> { // flip a few bytes
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
            }
            case 1 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1)); // truncate
            case 2 -> { // extend with garbage and fix up the PDU length sometimes
                byte[] c = java.util.Arrays.copyOf(b, b.length + 1 + r.nextInt(40));
                for (int k = b.length; k < c.length; k++) {
                    c[k] = (byte) r.nextInt(256);
                }
                if (r.nextBoolean()) {
                    int len = c.length - 6;
                    c[2] = (byte) (len >>> 24);
                    c[3] = (byte) (len >>> 16);
                    c[4] = (byte) (len >>> 8);
                    c[5] = (byte) len;
                }
                b = c;
            }
            case 3 -> { // corrupt a length field: 16-bit item length somewhere or the 32-bit PDU length
                if (b.length > 6 && r.nextBoolean()) {
                    int p = r.nextInt(b.length - 1);
                    b[p] = (byte) r.nextInt(256);
                    b[p + 1] = (byte) r.nextInt(256);
                } else if (b.length >= 6) {
                    b[2 + r.nextInt(4)] = (byte) r.nextInt(256);
                }
            }
            default -> { // set a byte to a boundary value
                int[] boundary = {0x00, 0x01, 0x7F, 0x80, 0xFF};
                b[r.nextInt(b.length)] = (byte) boundary[r.nextInt(boundary.length)];
            }
        }
        return b;
    }
}
