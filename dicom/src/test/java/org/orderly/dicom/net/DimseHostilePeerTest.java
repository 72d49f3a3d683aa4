package org.orderly.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.net.dimse.DimseCommand;
import org.orderly.dicom.net.dimse.Status;
import org.orderly.dicom.net.pdu.AssociateRq;
import org.orderly.dicom.net.pdu.ImplementationClassUidSubItem;
import org.orderly.dicom.net.pdu.MaximumLengthSubItem;
import org.orderly.dicom.net.pdu.PDataTf;
import org.orderly.dicom.net.pdu.PresentationContextRqItem;
import org.orderly.dicom.net.pdu.PresentationDataValue;
import org.orderly.dicom.net.pdu.UserInformationItem;
import org.orderly.dicom.net.service.DicomServiceRegistry;
import org.orderly.dicom.net.testing.Bytes;
import org.orderly.dicom.net.testing.Commands;
import org.orderly.dicom.net.testing.RawPeer;

/**
 * A scripted raw peer sending bad DIMSE traffic to our SCP: commands that cannot be decoded are answered A-ABORT;
 * requests missing mandatory elements, unknown operations and unknown SOP classes get failure statuses and the
 * association goes on (PS3.7 Annex C).
 */
class DimseHostilePeerTest {

    private DicomServer server;

    @BeforeEach
    void start() throws IOException {
        server = DicomServer.builder("ORDERLY").port(0)
                .registry(new DicomServiceRegistry().cStore(UID.CTImageStorage, rq -> Status.SUCCESS)).build()
                .start();
    }

    @AfterEach
    void stop() {
        server.stop(Duration.ofSeconds(2));
    }

    private RawPeer associated() throws IOException {
        RawPeer p = RawPeer.connect(server.port());
        p.send(new AssociateRq("ORDERLY", "HOSTILE", List.of(
                new PresentationContextRqItem(1, UID.Verification, List.of(UID.ImplicitVRLittleEndian)),
                new PresentationContextRqItem(3, UID.CTImageStorage, List.of(UID.ImplicitVRLittleEndian))),
                new UserInformationItem(List.of(new MaximumLengthSubItem(16384),
                        new ImplementationClassUidSubItem("1.2.3.4")))).toBytes());
        assertEquals(0x02, p.readPdu()[0], "A-ASSOCIATE-AC");
        return p;
    }

    private static byte[] pdata(int pcid, boolean command, byte[] bytes) {
        return PDataTf.of(new PresentationDataValue(pcid, command, true, bytes)).toBytes();
    }

    /** The command set of a P-DATA-TF holding one whole command PDV. */
    private static DimseCommand response(byte[] pdu) throws IOException {
        assertEquals(0x04, pdu[0], "P-DATA-TF");
        // header 6, PDV item length 4, pcid 1, message control header 1 (PS3.8 Table 9-23, Annex E.2)
        return DimseCommand.decode(Arrays.copyOfRange(pdu, 12, pdu.length));
    }

    private static void assertEchoWorks(RawPeer p) throws IOException {
        p.send(pdata(1, true, Commands.command(UID.Verification, 0x0030, 99, false)));
        DimseCommand rsp = response(p.readPdu());
        assertEquals(Status.SUCCESS, rsp.status());
        assertEquals(99, rsp.messageIdBeingRespondedTo());
    }

    @Test
    void undecodableCommandIsAborted() throws IOException {
        try (RawPeer p = associated()) {
            // (0000,0800) US 0101H first, then (0000,0100) claiming 0xFFFFFF00 bytes: cannot be decoded
            p.send(pdata(1, true, Bytes.of("00000008 02000000 0101", "00000001 00FFFFFF")));
            byte[] abort = p.readPdu();
            assertEquals(0x07, abort[0], "A-ABORT");
            p.awaitClosedByPeer(15000);
        }
    }

    @Test
    void storeWithoutAffectedSopInstanceUidGetsMissingAttribute() throws IOException {
        try (RawPeer p = associated()) {
            p.send(pdata(3, true, Commands.command(UID.CTImageStorage, 0x0001, 5, true)));
            p.send(pdata(3, false, Bytes.of("08006000 02000000 4354"))); // (0008,0060) CS "CT", implicit VR
            DimseCommand rsp = response(p.readPdu());
            assertEquals(Status.MISSING_ATTRIBUTE, rsp.status());
            assertEquals(5, rsp.messageIdBeingRespondedTo());
            assertArrayEquals(new int[] {Tag.Priority, Tag.AffectedSOPInstanceUID},
                    rsp.attributes().getInts(Tag.OffendingElement));
            assertEchoWorks(p);
        }
    }

    @Test
    void unknownCommandFieldGetsUnrecognizedOperation() throws IOException {
        try (RawPeer p = associated()) {
            p.send(pdata(1, true, Commands.command(UID.Verification, 0x0055, 6, false)));
            DimseCommand rsp = response(p.readPdu());
            assertEquals(Status.UNRECOGNIZED_OPERATION, rsp.status());
            assertEquals(0x8055, rsp.commandField());
            assertEchoWorks(p);
        }
    }

    @Test
    void unknownSopClassOnAnAcceptedContextGetsSopClassNotSupported() throws IOException {
        try (RawPeer p = associated()) {
            p.send(pdata(1, true, Commands.command(UID.MRImageStorage, 0x0030, 7, false)));
            DimseCommand rsp = response(p.readPdu());
            assertEquals(Status.SOP_CLASS_NOT_SUPPORTED, rsp.status());
            assertEchoWorks(p);
        }
    }

    @Test
    void cEchoWithADataSetContradictsTheTable() throws IOException {
        try (RawPeer p = associated()) {
            p.send(pdata(1, true, Commands.command(UID.Verification, 0x0030, 8, true)));
            p.send(pdata(1, false, Bytes.of("08006000 02000000 4354")));
            DimseCommand rsp = response(p.readPdu());
            assertEquals(Status.MISSING_ATTRIBUTE, rsp.status());
            assertEchoWorks(p);
        }
    }
}
