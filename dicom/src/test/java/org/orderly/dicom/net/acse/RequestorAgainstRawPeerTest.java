package org.orderly.dicom.net.acse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.orderly.dicom.net.testing.Bytes.of;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.orderly.dicom.net.pdu.ApplicationContextItem;
import org.orderly.dicom.net.pdu.AssociateAc;
import org.orderly.dicom.net.pdu.AssociateRq;
import org.orderly.dicom.net.pdu.MaximumLengthSubItem;
import org.orderly.dicom.net.pdu.PDataTf;
import org.orderly.dicom.net.pdu.PduDecoder;
import org.orderly.dicom.net.pdu.PresentationContextAcItem;
import org.orderly.dicom.net.pdu.PresentationDataValue;
import org.orderly.dicom.net.pdu.UserInformationItem;
import org.orderly.dicom.net.testing.Commands;
import org.orderly.dicom.net.testing.RawPeer;
import org.orderly.dicom.net.ul.State;

/** Our requestor against a scripted raw acceptor: exact PDUs on the wire for fragmentation and release. */
@Timeout(30)
class RequestorAgainstRawPeerTest {

    static final byte[] RELEASE_RQ = of("05 00 00000004 00000000");
    static final byte[] RELEASE_RP = of("06 00 00000004 00000000");

    private static AssociationSettings settings() {
        return AssociationSettings.builder().aeTitle("MODALITY").artimTimeout(Duration.ofSeconds(1))
                .idleTimeout(Duration.ofSeconds(10)).build();
    }

    private static AssociationRequest request() {
        return AssociationRequest.builder("RAW").addPresentationContext(Commands.CT_IMAGE_STORAGE,
                Commands.IMPLICIT_VR_LE).build();
    }

    /** Opens our requestor in the background; the raw peer reads the RQ and answers an AC with {@code maxLength}. */
    private static Object[] associate(ServerSocket server, long maxLength) throws Exception {
        CompletableFuture<Association> opening = CompletableFuture.supplyAsync(() -> {
            try {
                return Association.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()),
                        request(), settings(), (as, pcid, cmd, ds) -> { });
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        RawPeer peer = new RawPeer(server.accept());
        AssociateRq rq = (AssociateRq) new PduDecoder(0, 65536).decode(peer.readPdu());
        assertEquals("MODALITY", rq.callingAeTitle());
        peer.send(new AssociateAc(1, rq.calledAeTitle(), rq.callingAeTitle(), ApplicationContextItem.DICOM,
                List.of(new PresentationContextAcItem(1, PresentationContextAcItem.Result.ACCEPTANCE,
                        Commands.IMPLICIT_VR_LE)),
                new UserInformationItem(List.of(new MaximumLengthSubItem(maxLength)))).toBytes());
        Association as = opening.get(10, TimeUnit.SECONDS);
        return new Object[] {as, peer};
    }

    @Test
    void fragmentsNeverExceedThePeersMaximumAndFollowAnnexE() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Object[] pair = associate(server, 1024);
            Association as = (Association) pair[0];
            try (RawPeer peer = (RawPeer) pair[1]) {
                byte[] command = Commands.command(Commands.CT_IMAGE_STORAGE, 0x0001, 1, true);
                byte[] data = new byte[5000];
                new Random(1).nextBytes(data);
                as.send(1, command, out -> out.write(data));
                ByteArrayOutputStream cmd = new ByteArrayOutputStream();
                ByteArrayOutputStream ds = new ByteArrayOutputStream();
                int dataPdus = 0;
                boolean commandDone = false;
                boolean dataDone = false;
                while (!dataDone) {
                    byte[] pdu = peer.readPdu();
                    assertEquals(0x04, pdu[0], "P-DATA-TF");
                    assertTrue(pdu.length - 6 <= 1024, "PDU-length " + (pdu.length - 6) + " within peer maximum");
                    PDataTf tf = (PDataTf) new PduDecoder(1024, 65536).decode(pdu);
                    for (PresentationDataValue pdv : tf.values()) {
                        assertEquals(1, pdv.presentationContextId());
                        if (pdv.isCommand()) {
                            assertTrue(!commandDone, "no command fragment after the last one");
                            cmd.writeBytes(pdv.fragment());
                            commandDone = pdv.isLast();
                        } else {
                            assertTrue(commandDone, "PS3.8 Annex E.2: command complete before data set");
                            ds.writeBytes(pdv.fragment());
                            dataPdus++;
                            dataDone = pdv.isLast();
                        }
                    }
                }
                assertArrayEquals(command, cmd.toByteArray());
                assertArrayEquals(data, ds.toByteArray());
                assertEquals((5000 + 1017) / 1018, dataPdus, "fragments of 1024 - 6 bytes");
                // release initiated by the acceptor: Sta6 + Evt12 -> AR-2, answered with AR-4
                peer.send(RELEASE_RQ);
                assertArrayEquals(RELEASE_RP, peer.readPdu());
                peer.close();
                assertTrue(as.awaitClosed(5, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void releaseCollisionOnTheRequestorSide() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Object[] pair = associate(server, 16384);
            Association as = (Association) pair[0];
            try (RawPeer peer = (RawPeer) pair[1]) {
                CompletableFuture<Void> releasing = CompletableFuture.runAsync(() -> {
                    try {
                        as.release();
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                assertArrayEquals(RELEASE_RQ, peer.readPdu()); // AR-1, we are in Sta7
                peer.send(RELEASE_RQ); // collision: Sta7 + Evt12 -> AR-8 -> Sta9 (requestor)
                assertArrayEquals(RELEASE_RP, peer.readPdu()); // Sta9 + Evt14 -> AR-9 -> Sta11
                peer.send(RELEASE_RP); // Sta11 + Evt13 -> AR-3: confirmed, transport closed
                releasing.get(5, TimeUnit.SECONDS);
                assertEquals(State.STA1, as.state());
                peer.awaitClosedByPeer(5000);
            }
        }
    }

    @Test
    void silentAcceptorMakesOpenFailInBoundedTime() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            CompletableFuture<RawPeer> peer = CompletableFuture.supplyAsync(() -> {
                try {
                    return new RawPeer(server.accept());
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            assertThrows(AssociationAbortedException.class, () -> Association.open(new InetSocketAddress(
                    InetAddress.getLoopbackAddress(), server.getLocalPort()), request(), settings(),
                    (as, pcid, cmd, ds) -> { }));
            long ms = (System.nanoTime() - start) / 1_000_000L;
            assertTrue(ms < 5000, "bounded by the ARTIM timeout: " + ms);
            try (RawPeer p = peer.get(5, TimeUnit.SECONDS)) {
                assertEquals(0x01, p.readPdu()[0]); // our A-ASSOCIATE-RQ
                assertArrayEquals(of("07 00 00000004 00 00 00 00"), p.readPdu()); // then A-ABORT (service-user)
            }
        }
    }

    @Test
    void abortFromAcceptorFailsPendingWork() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Object[] pair = associate(server, 16384);
            Association as = (Association) pair[0];
            try (RawPeer peer = (RawPeer) pair[1]) {
                peer.send(of("07 00 00000004 00 00 02 00")); // A-ABORT, service-provider, reason-not-specified
                assertTrue(as.awaitClosed(5, TimeUnit.SECONDS), "Sta6 + Evt16 -> AA-3");
                assertThrows(IOException.class, () -> as.send(1, Commands.command(Commands.CT_IMAGE_STORAGE, 1, 1,
                        false), null));
            }
        }
    }
}
