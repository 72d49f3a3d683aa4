package org.orderly.dicom.net.acse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.orderly.dicom.net.testing.Bytes.of;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.orderly.dicom.net.pdu.ApplicationContextItem;
import org.orderly.dicom.net.pdu.AssociateAc;
import org.orderly.dicom.net.pdu.AssociateRq;
import org.orderly.dicom.net.pdu.ImplementationClassUidSubItem;
import org.orderly.dicom.net.pdu.MaximumLengthSubItem;
import org.orderly.dicom.net.pdu.PDataTf;
import org.orderly.dicom.net.pdu.PduDecoder;
import org.orderly.dicom.net.pdu.PresentationContextRqItem;
import org.orderly.dicom.net.pdu.PresentationDataValue;
import org.orderly.dicom.net.pdu.UserInformationItem;
import org.orderly.dicom.net.testing.Commands;
import org.orderly.dicom.net.testing.RawPeer;

/**
 * Hostile and broken peers against our acceptor, at byte level: every case asserts the exact reply bytes (A-ABORT /
 * A-ASSOCIATE-RJ fields, PS3.8 Tables 9-21 and 9-26), that the connection is closed in bounded time, and that the
 * acceptor then serves the next association normally.
 */
@Timeout(30)
class AcceptorMalformedTrafficTest {

    // A-ABORT, source 2 (service-provider), reason 1 unrecognized-PDU / 2 unexpected-PDU / 5 unexpected-PDU-parameter
    // / 6 invalid-PDU-parameter-value; source 0 (service-user), reason not significant (PS3.8 Table 9-26)
    static final byte[] ABORT_UNRECOGNIZED_PDU = of("07 00 00000004 00 00 02 01");
    static final byte[] ABORT_UNEXPECTED_PDU = of("07 00 00000004 00 00 02 02");
    static final byte[] ABORT_UNEXPECTED_PARAMETER = of("07 00 00000004 00 00 02 05");
    static final byte[] ABORT_INVALID_PARAMETER = of("07 00 00000004 00 00 02 06");
    static final byte[] ABORT_BY_USER = of("07 00 00000004 00 00 00 00");
    static final byte[] RELEASE_RQ = of("05 00 00000004 00000000");
    static final byte[] RELEASE_RP = of("06 00 00000004 00000000");

    static final int ARTIM_MS = 400;
    static final int IDLE_MS = 800;

    private AssociationAcceptor acceptor;
    private final AtomicInteger messages = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        AssociationSettings settings = AssociationSettings.builder().aeTitle("ORDERLY")
                .artimTimeout(Duration.ofMillis(ARTIM_MS)).idleTimeout(Duration.ofMillis(IDLE_MS)).build();
        AcceptorPolicy policy = AcceptorPolicy.builder().callingAeTitles("CT1")
                .abstractSyntax(Commands.VERIFICATION, Commands.IMPLICIT_VR_LE)
                .abstractSyntax(Commands.CT_IMAGE_STORAGE, Commands.EXPLICIT_VR_LE, Commands.IMPLICIT_VR_LE).build();
        acceptor = new AssociationAcceptor(settings, policy, (as, pcid, cmd, ds) -> {
            if (pcid == 1) { // count Verification messages only
                messages.incrementAndGet();
            }
            as.send(pcid, Commands.command(Commands.VERIFICATION, 0x8030, 1, false), null);
        }, 8);
        acceptor.start(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    @AfterEach
    void stop() {
        acceptor.shutdown(Duration.ofSeconds(2));
    }

    static AssociateRq rq(int version, String called, String calling, String appContext) {
        return new AssociateRq(version, called, calling, new ApplicationContextItem(appContext), List.of(
                new PresentationContextRqItem(1, Commands.VERIFICATION, List.of(Commands.IMPLICIT_VR_LE)),
                new PresentationContextRqItem(3, Commands.CT_IMAGE_STORAGE, List.of(Commands.IMPLICIT_VR_LE))),
                new UserInformationItem(List.of(new MaximumLengthSubItem(16384),
                        new ImplementationClassUidSubItem("1.2.3.4"))));
    }

    static byte[] validRq() {
        return rq(1, "ORDERLY", "CT1", ApplicationContextItem.DICOM_APPLICATION_CONTEXT).toBytes();
    }

    private RawPeer connect() throws IOException {
        return RawPeer.connect(acceptor.localPort());
    }

    /** Associates, checks the A-ASSOCIATE-AC, returns the peer in Sta6. */
    private RawPeer associated() throws IOException {
        RawPeer p = connect();
        p.send(validRq());
        byte[] ac = p.readPdu();
        assertEquals(0x02, ac[0], "A-ASSOCIATE-AC");
        AssociateAc decoded = (AssociateAc) new PduDecoder(0, 65536).decode(ac);
        assertTrue(decoded.presentationContexts().get(0).isAccepted());
        return p;
    }

    /** A complete, well-behaved association: RQ, AC, one message and its response, RQ/RP release, close. */
    private void assertServesNextAssociation() throws IOException {
        int before = messages.get();
        try (RawPeer p = associated()) {
            p.send(PDataTf.of(new PresentationDataValue(1, true, true,
                    Commands.command(Commands.VERIFICATION, 0x0030, 1, false))).toBytes());
            byte[] rsp = p.readPdu();
            assertEquals(0x04, rsp[0], "P-DATA-TF with the response");
            assertEquals(before + 1, messages.get());
            p.send(RELEASE_RQ);
            assertArrayEquals(RELEASE_RP, p.readPdu());
            p.awaitClosedByPeer(5000); // AR-4 started ARTIM: the acceptor closes if we do not
        }
    }

    @Test
    void unknownPduTypeBeforeAssociation() throws IOException {
        try (RawPeer p = connect()) {
            p.send(of("08 00 00000004 00000000")); // PDU-type 08H does not exist: Evt19 in Sta2 -> AA-1
            assertArrayEquals(ABORT_UNRECOGNIZED_PDU, p.readPdu());
            p.awaitClosedByPeer(5000); // ARTIM started by AA-1 expires: AA-2 closes
        }
        assertServesNextAssociation();
    }

    @Test
    void impossibleLengthIsRejectedBeforeAllocating() throws IOException {
        try (RawPeer p = connect()) {
            p.send(of("01 00 7FFFFFFF")); // A-ASSOCIATE-RQ claiming 2 GiB
            assertArrayEquals(ABORT_INVALID_PARAMETER, p.readPdu());
            p.awaitClosedByPeer(5000);
        }
        assertServesNextAssociation();
    }

    @Test
    void truncatedPduThenHalfClose() throws IOException {
        try (RawPeer p = connect()) {
            p.send(Arrays.copyOf(validRq(), 50));
            p.shutdownOutput(); // end of stream inside the PDU
            assertArrayEquals(ABORT_INVALID_PARAMETER, p.readPdu());
            p.awaitClosedByPeer(5000);
        }
        assertServesNextAssociation();
    }

    @Test
    void truncatedPduThenSilenceIsClosedByArtim() throws IOException {
        try (RawPeer p = connect()) {
            p.send(Arrays.copyOf(validRq(), 50));
            long ms = p.awaitClosedByPeer(5000); // no reply bytes at all: ARTIM (Sta2) -> AA-2
            assertTrue(ms < 3000, "closed in bounded time: " + ms);
        }
        assertServesNextAssociation();
    }

    @Test
    void silenceAfterConnectIsClosedByArtim() throws IOException {
        try (RawPeer p = connect()) {
            long ms = p.awaitClosedByPeer(5000);
            assertTrue(ms >= ARTIM_MS / 2 && ms < 3000, "ARTIM bounds the wait for A-ASSOCIATE-RQ: " + ms);
        }
        assertServesNextAssociation();
    }

    @Test
    void pDataBeforeAssociation() throws IOException {
        try (RawPeer p = connect()) {
            p.send(PDataTf.of(new PresentationDataValue(1, true, true, new byte[4])).toBytes());
            // Sta2 + Evt10 -> AA-1; a PDU the provider did not expect: source 2, reason 2 unexpected-PDU
            assertArrayEquals(ABORT_UNEXPECTED_PDU, p.readPdu());
            p.awaitClosedByPeer(5000);
        }
        assertServesNextAssociation();
    }

    @Test
    void calledAeTitleNotRecognized() throws IOException {
        try (RawPeer p = connect()) {
            p.send(rq(1, "NOTME", "CT1", ApplicationContextItem.DICOM_APPLICATION_CONTEXT).toBytes());
            // A-ASSOCIATE-RJ: result 1 rejected-permanent, source 1 service-user, reason 7 (PS3.8 Table 9-21)
            assertArrayEquals(of("03 00 00000004 00 01 01 07"), p.readPdu());
            p.awaitClosedByPeer(5000); // AE-8 started ARTIM
        }
        assertServesNextAssociation();
    }

    @Test
    void callingAeTitleNotRecognized() throws IOException {
        try (RawPeer p = connect()) {
            p.send(rq(1, "ORDERLY", "INTRUDER", ApplicationContextItem.DICOM_APPLICATION_CONTEXT).toBytes());
            assertArrayEquals(of("03 00 00000004 00 01 01 03"), p.readPdu()); // 1/1/3
            p.close();
        }
        assertServesNextAssociation();
    }

    @Test
    void applicationContextNameNotSupported() throws IOException {
        try (RawPeer p = connect()) {
            p.send(rq(1, "ORDERLY", "CT1", "1.2.3.4.5").toBytes());
            assertArrayEquals(of("03 00 00000004 00 01 01 02"), p.readPdu()); // 1/1/2
        }
        assertServesNextAssociation();
    }

    @Test
    void protocolVersionNotSupported() throws IOException {
        try (RawPeer p = connect()) {
            p.send(rq(2, "ORDERLY", "CT1", ApplicationContextItem.DICOM_APPLICATION_CONTEXT).toBytes());
            // AE-6, not acceptable by the service-provider: 1/2/2 protocol-version-not-supported
            assertArrayEquals(of("03 00 00000004 00 01 02 02"), p.readPdu());
            p.awaitClosedByPeer(5000);
        }
        assertServesNextAssociation();
    }

    @Test
    void oversizedPDataAfterAssociation() throws IOException {
        try (RawPeer p = associated()) {
            p.send(of("04 00 00004001")); // 16385 > our advertised maximum length 16384 (PS3.8 Annex D.1)
            assertArrayEquals(ABORT_INVALID_PARAMETER, p.readPdu()); // Sta6 + Evt19 -> AA-8
            p.awaitClosedByPeer(5000);
        }
        assertServesNextAssociation();
    }

    @Test
    void pDataOnContextThatWasNotAccepted() throws IOException {
        try (RawPeer p = associated()) {
            p.send(PDataTf.of(new PresentationDataValue(5, true, true,
                    Commands.command(Commands.VERIFICATION, 0x0030, 1, false))).toBytes());
            assertArrayEquals(ABORT_INVALID_PARAMETER, p.readPdu());
            p.awaitClosedByPeer(5000);
        }
        assertServesNextAssociation();
    }

    @Test
    void dataSetFragmentBeforeCommand() throws IOException {
        try (RawPeer p = associated()) {
            p.send(PDataTf.of(new PresentationDataValue(1, false, true, new byte[10])).toBytes()); // header 02
            assertArrayEquals(ABORT_UNEXPECTED_PARAMETER, p.readPdu()); // PS3.8 Annex E.2
            p.awaitClosedByPeer(5000);
        }
        assertServesNextAssociation();
    }

    @Test
    void commandInterruptedByDataSetFragment() throws IOException {
        try (RawPeer p = associated()) {
            byte[] cmd = Commands.command(Commands.VERIFICATION, 0x0030, 1, true);
            p.send(PDataTf.of(new PresentationDataValue(1, true, false, Arrays.copyOf(cmd, 10)),
                    new PresentationDataValue(1, false, true, new byte[4])).toBytes());
            assertArrayEquals(ABORT_UNEXPECTED_PARAMETER, p.readPdu());
        }
        assertServesNextAssociation();
    }

    @Test
    void commandLongerThanTheCapIsAborted() throws IOException {
        try (RawPeer p = associated()) {
            byte[] chunk = new byte[16000];
            for (int i = 0; i < 5; i++) { // 80000 bytes of command > 64 KiB cap, never the last fragment
                p.send(PDataTf.of(new PresentationDataValue(1, true, false, chunk)).toBytes());
            }
            assertArrayEquals(ABORT_INVALID_PARAMETER, p.readPdu());
        }
        assertServesNextAssociation();
    }

    @Test
    void secondAssociateRqOnEstablishedAssociation() throws IOException {
        try (RawPeer p = associated()) {
            p.send(validRq()); // Sta6 + Evt6 -> AA-8
            assertArrayEquals(ABORT_UNEXPECTED_PDU, p.readPdu());
            p.awaitClosedByPeer(5000);
        }
        assertServesNextAssociation();
    }

    @Test
    void idleAssociationIsAborted() throws IOException {
        try (RawPeer p = associated()) {
            long start = System.nanoTime();
            assertArrayEquals(ABORT_BY_USER, p.readPdu()); // no PDU for the idle timeout: A-ABORT
            long ms = (System.nanoTime() - start) / 1_000_000L;
            assertTrue(ms >= IDLE_MS / 2 && ms < 5000, "idle timeout: " + ms);
            p.awaitClosedByPeer(5000);
        }
        assertServesNextAssociation();
    }

    @Test
    void abortFromPeerClosesTheTransport() throws IOException {
        try (RawPeer p = associated()) {
            p.send(ABORT_BY_USER); // Sta6 + Evt16 -> AA-3: close
            p.awaitClosedByPeer(5000);
        }
        assertServesNextAssociation();
    }

    @Test
    void connectionDroppedMidAssociation() throws IOException {
        try (RawPeer p = associated()) {
            p.send(PDataTf.of(new PresentationDataValue(3, true, true,
                    Commands.command(Commands.CT_IMAGE_STORAGE, 0x0001, 1, true))).toBytes());
            p.send(PDataTf.of(new PresentationDataValue(3, false, false, new byte[1000])).toBytes());
        } // closed mid data set: Evt17 -> AA-4
        assertServesNextAssociation();
    }
}
