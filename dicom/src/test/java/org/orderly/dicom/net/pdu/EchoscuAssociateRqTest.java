package org.orderly.dicom.net.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Decodes a real A-ASSOCIATE-RQ as dcmtk's echoscu sends it, captured on a raw loopback socket, and re-encodes it
 * byte for byte. A missing dcmtk fails the test (it is a required peer, see /work/shared/PEERS.md).
 */
class EchoscuAssociateRqTest {

    @Test
    @Timeout(30)
    void decodesAndReencodesEchoscuRequest() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ProcessBuilder pb = new ProcessBuilder("echoscu", "-aec", "ORDERLY", "-aet", "ECHOSCU", "127.0.0.1",
                    Integer.toString(server.getLocalPort()));
            pb.environment().put("TCP_NODELAY", "1");
            pb.redirectErrorStream(true);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                fail("dcmtk echoscu is required for this test (apt-get install dcmtk): " + e.getMessage());
                return;
            }
            try (Socket s = server.accept()) {
                s.setSoTimeout(10_000);
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                InputStream recording = new FilterInputStream(s.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        int b = super.read();
                        if (b >= 0) {
                            raw.write(b);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        if (n > 0) {
                            raw.write(b, off, n);
                        }
                        return n;
                    }
                };
                Pdu pdu = new PduDecoder(16384, PduDecoder.DEFAULT_MAX_ASSOCIATE_LENGTH).read(recording);
                AssociateRq rq = (AssociateRq) pdu;
                assertEquals("ORDERLY", rq.calledAeTitle());
                assertEquals("ECHOSCU", rq.callingAeTitle());
                assertEquals(AssociateRq.PROTOCOL_VERSION_1, rq.protocolVersion());
                assertEquals(ApplicationContextItem.DICOM, rq.applicationContext());
                PresentationContextRqItem pc = rq.presentationContexts().get(0);
                assertEquals(1, pc.id());
                assertEquals("1.2.840.10008.1.1", pc.abstractSyntax()); // Verification SOP Class
                assertTrue(pc.transferSyntaxes().contains("1.2.840.10008.1.2"), pc.transferSyntaxes().toString());
                assertTrue(rq.userInformation().maximumLength().orElseThrow() > 0);
                assertTrue(rq.userInformation().implementationClassUid().orElseThrow()
                        .startsWith("1.2.276.0.7230010.3"), "dcmtk's implementation class UID root");
                assertTrue(rq.userInformation().implementationVersionName().orElseThrow().startsWith("OFFIS_DCMTK"));
                assertReencodedDiffersOnlyInReservedFields(raw.toByteArray(), rq.toBytes());
                // answer so that echoscu exits: A-ASSOCIATE-RJ 1/1/1
                s.getOutputStream().write(AssociateRj.of(AssociateRj.Result.REJECTED_PERMANENT,
                        AssociateRj.Reason.USER_NO_REASON_GIVEN).toBytes());
            }
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "echoscu exits after the rejection");
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(out.contains("Rejected") || out.contains("rejected") || p.exitValue() != 0, out);
        }
    }

    /**
     * dcmtk sends FFH in the 3 reserved bytes after each presentation context ID; PS3.8 §9.3.2.2 says reserved
     * fields are sent as 00H "but not tested" when received, so re-encoding may differ there and only there.
     */
    private static void assertReencodedDiffersOnlyInReservedFields(byte[] raw, byte[] ours) {
        assertEquals(raw.length, ours.length, "same length");
        java.util.Set<Integer> reserved = new java.util.HashSet<>(java.util.List.of(1, 8, 9));
        for (int i = 42; i < 74; i++) {
            reserved.add(i);
        }
        int o = 74;
        while (o + 4 <= ours.length) {
            int type = ours[o] & 0xFF;
            int len = ((ours[o + 2] & 0xFF) << 8) | (ours[o + 3] & 0xFF);
            reserved.add(o + 1);
            if (type == 0x20) {
                reserved.add(o + 5);
                reserved.add(o + 6);
                reserved.add(o + 7);
            }
            o += 4 + len;
        }
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] != ours[i]) {
                assertTrue(reserved.contains(i), "byte " + i + " differs outside reserved fields: "
                        + org.orderly.dicom.net.testing.Bytes.hex(raw));
            }
        }
        assertArrayEquals(java.util.Arrays.copyOf(raw, 74 - 32), java.util.Arrays.copyOf(ours, 74 - 32),
                "header, version and AE titles identical");
    }
}
