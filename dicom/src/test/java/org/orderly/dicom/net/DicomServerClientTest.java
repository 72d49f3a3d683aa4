package org.orderly.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.io.DatasetCodec;
import org.orderly.dicom.io.DicomInputStream;
import org.orderly.dicom.io.TransferSyntax;
import org.orderly.dicom.net.acse.AssociationRejectedException;
import org.orderly.dicom.net.dimse.Status;
import org.orderly.dicom.net.service.DicomServiceException;
import org.orderly.dicom.net.service.DicomServiceRegistry;
import org.orderly.dicom.net.service.Matches;
import org.orderly.dicom.net.service.NResult;

/** Our SCU against our SCP on loopback: every operation, the failure tiers, C-CANCEL, the response timeout. */
class DicomServerClientTest {

    private DicomServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ofSeconds(2));
        }
    }

    private DicomClient start(DicomServiceRegistry registry, String... contexts) throws IOException {
        server = DicomServer.builder("ORDERLY").port(0).registry(registry).build().start();
        return DicomClient.connect("ORDERLY@127.0.0.1:" + server.port(), "TESTSCU", contexts);
    }

    static Attributes item(String id) {
        Attributes a = new Attributes();
        a.setString(Tag.AccessionNumber, VR.SH, id);
        a.setString(Tag.PatientID, VR.LO, "P" + id);
        a.setString(Tag.StudyDescription, VR.LO, "not asked for");
        return a;
    }

    @Test
    void echo() throws IOException {
        try (DicomClient c = start(new DicomServiceRegistry(), UID.Verification)) {
            assertEquals(Status.SUCCESS, c.echo());
            assertEquals(Status.SUCCESS, c.echo());
        }
    }

    @Test
    void findSendsOnePendingPerMatchTrimmedToKeysThenSuccess() throws IOException {
        DicomServiceRegistry r = new DicomServiceRegistry().cFind(UID.ModalityWorklistInformationModelFind,
                rq -> Matches.of(item("A1"), item("A2"), item("A3")));
        try (DicomClient c = start(r, UID.ModalityWorklistInformationModelFind)) {
            Attributes keys = new Attributes();
            keys.setNull(Tag.AccessionNumber, VR.SH);
            keys.setNull(Tag.PatientID, VR.LO);
            List<Attributes> got = new ArrayList<>();
            DimseResponse last = c.find(UID.ModalityWorklistInformationModelFind, keys, got::add);
            assertEquals(Status.SUCCESS, last.status());
            assertEquals(3, got.size());
            assertEquals("A2", got.get(1).getString(Tag.AccessionNumber));
            assertEquals(2, got.get(0).size(), "trimmed to the two requested keys");
        }
    }

    @Test
    void findPendingWarningAndLimit() throws IOException {
        DicomServiceRegistry r = new DicomServiceRegistry().cFind(UID.ModalityWorklistInformationModelFind,
                rq -> Matches.limited(Matches.of(item("1"), item("2"), item("3")), 2, true));
        try (DicomClient c = start(r, UID.ModalityWorklistInformationModelFind)) {
            Attributes keys = new Attributes();
            keys.setNull(Tag.AccessionNumber, VR.SH);
            List<Attributes> got = new ArrayList<>();
            DimseResponse last = c.find(UID.ModalityWorklistInformationModelFind, keys, got::add);
            assertEquals(2, got.size());
            assertEquals(Status.OUT_OF_RESOURCES, last.status());
            assertTrue(last.errorComment().contains("narrow"));
        }
    }

    @Test
    void cancelStopsAnEndlessFindAtOnce() throws IOException {
        AtomicInteger produced = new AtomicInteger();
        AtomicBoolean closed = new AtomicBoolean();
        DicomServiceRegistry r = new DicomServiceRegistry().cFind(UID.ModalityWorklistInformationModelFind,
                rq -> new Matches() {
                    @Override
                    public boolean hasNext() {
                        return true; // endless: only C-CANCEL ends it
                    }

                    @Override
                    public Attributes next() {
                        return item(Integer.toString(produced.incrementAndGet()));
                    }

                    @Override
                    public void close() {
                        closed.set(true);
                    }
                });
        try (DicomClient c = start(r, UID.ModalityWorklistInformationModelFind, UID.Verification)) {
            Attributes keys = new Attributes();
            keys.setNull(Tag.AccessionNumber, VR.SH);
            AtomicInteger got = new AtomicInteger();
            DimseResponse last = c.find(UID.ModalityWorklistInformationModelFind, keys, m -> {
                if (got.incrementAndGet() == 5) {
                    try {
                        c.cancel();
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
            });
            assertEquals(Status.CANCEL, last.status());
            assertTrue(got.get() >= 5 && got.get() < 1000, "stopped soon after the cancel: " + got.get());
            assertTrue(closed.get(), "matches closed");
            assertEquals(Status.SUCCESS, c.echo(), "association still usable");
        }
    }

    @Test
    void storeStreamsTheDatasetToTheHandlerUnchanged() throws IOException {
        AtomicReference<byte[]> received = new AtomicReference<>();
        AtomicReference<String> callingAe = new AtomicReference<>();
        DicomServiceRegistry r = new DicomServiceRegistry().cStore(UID.CTImageStorage, rq -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            rq.dataset().transferTo(out);
            received.set(out.toByteArray());
            callingAe.set(rq.callingAeTitle());
            return Status.SUCCESS;
        });
        try (DicomClient c = start(r, UID.CTImageStorage)) {
            byte[] data = DatasetCodec.encode(ct("1.2.3.4"), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            DimseResponse rsp = c.store(UID.CTImageStorage, "1.2.3.4", UID.ExplicitVRLittleEndian,
                    out -> out.write(data));
            assertEquals(Status.SUCCESS, rsp.status());
            assertEquals("1.2.3.4", rsp.affectedSopInstanceUid());
            assertArrayEquals(data, received.get());
            assertEquals("TESTSCU", callingAe.get());
        }
    }

    static Attributes ct(String iuid) {
        Attributes a = new Attributes();
        a.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        a.setString(Tag.SOPInstanceUID, VR.UI, iuid);
        a.setString(Tag.Modality, VR.CS, "CT");
        byte[] px = new byte[64 * 1024];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 31);
        }
        a.setBytes(Tag.PixelData, VR.OW, px);
        return a;
    }

    @Test
    void brokenDatasetInCStoreGetsC000AndTheAssociationGoesOn() throws IOException {
        DicomServiceRegistry r = new DicomServiceRegistry().cStore(UID.CTImageStorage, rq -> {
            new DicomInputStream(rq.dataset()).readDataset(rq.transferSyntax()); // a handler that parses
            return Status.SUCCESS;
        });
        try (DicomClient c = start(r, UID.CTImageStorage, UID.Verification)) {
            // (0008,0060) CS with length 0xFFFF0 but only 4 bytes follow: truncated / garbage
            byte[] broken = {0x08, 0x00, 0x60, 0x00, 'C', 'S', (byte) 0xF0, (byte) 0xFF, 'C', 'T', 0, 0};
            DimseResponse rsp = c.store(UID.CTImageStorage, "1.2.3", UID.ExplicitVRLittleEndian,
                    out -> out.write(broken));
            assertEquals(Status.UNABLE_TO_PROCESS, rsp.status());
            assertNotNull(rsp.errorComment());
            assertTrue(rsp.errorComment().length() <= 64);
            assertEquals(Status.SUCCESS, c.echo());
        }
    }

    @Test
    void handlerExceptionsBecomeStatusesNeverADeadAssociation() throws IOException {
        DicomServiceRegistry r = new DicomServiceRegistry()
                .cStore(UID.CTImageStorage, rq -> {
                    throw new DicomServiceException(Status.OUT_OF_RESOURCES, "disk full on spool volume "
                            + "x".repeat(100), Tag.PixelData);
                })
                .nCreate(UID.ModalityPerformedProcedureStep, rq -> {
                    throw new IllegalStateException("bug");
                });
        try (DicomClient c = start(r, UID.CTImageStorage, UID.ModalityPerformedProcedureStep, UID.Verification)) {
            DimseResponse s = c.store(ct("9.9"));
            assertEquals(Status.OUT_OF_RESOURCES, s.status());
            assertEquals(64, s.errorComment().length());
            assertArrayEquals(new int[] {Tag.PixelData},
                    s.command().attributes().getInts(Tag.OffendingElement));
            DimseResponse n = c.nCreate(UID.ModalityPerformedProcedureStep, "1.2.9", new Attributes());
            assertEquals(Status.PROCESSING_FAILURE, n.status());
            assertEquals(Status.SUCCESS, c.echo());
        }
    }

    @Test
    void unsupportedOperationAndSopClass() throws IOException {
        DicomServiceRegistry r = new DicomServiceRegistry()
                .nCreate(UID.ModalityPerformedProcedureStep, rq -> NResult.created("1.2.3", null));
        try (DicomClient c = start(r, UID.ModalityPerformedProcedureStep)) {
            // N-SET on a SOP class that only has N-CREATE: 0211H
            Attributes mod = new Attributes();
            mod.setString(Tag.PerformedProcedureStepStatus, VR.CS, "COMPLETED");
            assertEquals(Status.UNRECOGNIZED_OPERATION,
                    c.nSet(UID.ModalityPerformedProcedureStep, "1.2.3", mod).status());
        }
    }

    @Test
    void nServicesBothWays() throws IOException {
        AtomicReference<String> setStatus = new AtomicReference<>();
        DicomServiceRegistry r = new DicomServiceRegistry()
                .nCreate(UID.ModalityPerformedProcedureStep, rq -> {
                    Attributes back = new Attributes();
                    back.setString(Tag.PerformedProcedureStepStatus, VR.CS,
                            rq.attributes().getString(Tag.PerformedProcedureStepStatus));
                    return NResult.created(rq.sopInstanceUid() != null ? rq.sopInstanceUid() : "2.25.1", back);
                })
                .nSet(UID.ModalityPerformedProcedureStep, rq -> {
                    setStatus.set(rq.modifications().getString(Tag.PerformedProcedureStepStatus));
                    return NResult.success();
                })
                .nGet(UID.ModalityPerformedProcedureStep, rq -> {
                    Attributes a = new Attributes();
                    a.setString(Tag.PerformedProcedureStepStatus, VR.CS, setStatus.get());
                    assertArrayEquals(new int[] {Tag.PerformedProcedureStepStatus}, rq.attributeIdentifiers());
                    return NResult.success(a);
                })
                .nAction(UID.StorageCommitmentPushModel, rq -> {
                    if (rq.actionTypeId() != 1) {
                        throw new DicomServiceException(Status.NO_SUCH_ACTION, "action " + rq.actionTypeId());
                    }
                    // answer, then report the result on the same association (PS3.4 J.3.3)
                    return NResult.success();
                })
                .nDelete(UID.ModalityPerformedProcedureStep, rq -> NResult.of(Status.NO_SUCH_SOP_INSTANCE, null));
        try (DicomClient c = start(r, UID.ModalityPerformedProcedureStep, UID.StorageCommitmentPushModel)) {
            Attributes ip = new Attributes();
            ip.setString(Tag.PerformedProcedureStepStatus, VR.CS, "IN PROGRESS");
            DimseResponse created = c.nCreate(UID.ModalityPerformedProcedureStep, null, ip);
            assertEquals(Status.SUCCESS, created.status());
            assertEquals("2.25.1", created.affectedSopInstanceUid());
            assertEquals("IN PROGRESS", created.dataset().getString(Tag.PerformedProcedureStepStatus));
            Attributes done = new Attributes();
            done.setString(Tag.PerformedProcedureStepStatus, VR.CS, "COMPLETED");
            assertEquals(Status.SUCCESS, c.nSet(UID.ModalityPerformedProcedureStep, "2.25.1", done).status());
            assertEquals("COMPLETED", setStatus.get());
            DimseResponse got = c.nGet(UID.ModalityPerformedProcedureStep, "2.25.1",
                    Tag.PerformedProcedureStepStatus);
            assertEquals("COMPLETED", got.dataset().getString(Tag.PerformedProcedureStepStatus));
            assertEquals(Status.SUCCESS, c.nAction(UID.StorageCommitmentPushModel,
                    UID.StorageCommitmentPushModelInstance, 1, new Attributes()).status());
            DimseResponse bad = c.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance,
                    7, new Attributes());
            assertEquals(Status.NO_SUCH_ACTION, bad.status());
            assertEquals(7, bad.command().actionTypeId());
            assertEquals(Status.NO_SUCH_SOP_INSTANCE, c.nDelete(UID.ModalityPerformedProcedureStep, "1.9").status());
        }
    }

    /**
     * An N-EVENT-REPORT from the SCP on the N-ACTION's association reaches the client's handler, and the client's
     * N-EVENT-REPORT-RSP reaches the SCP although the client closes as soon as it has the report, while its handler is
     * still answering: the release waits for that response (after A-RELEASE-RQ no more P-DATA may be sent, PS3.8
     * Table 9-10).
     */
    @Test
    void eventReportReachesTheClientAndItsResponseTheScpThoughTheClientClosesAtOnce() throws Exception {
        java.util.concurrent.CompletableFuture<Integer> rspStatus = new java.util.concurrent.CompletableFuture<>();
        DicomServiceRegistry scp = new DicomServiceRegistry().nAction(UID.StorageCommitmentPushModel, rq -> {
            new Thread(() -> { // the report comes on the same association from another thread, as in a real SCP
                try {
                    var cmd = org.orderly.dicom.net.dimse.DimseCommand.request(
                            org.orderly.dicom.net.dimse.Dimse.N_EVENT_REPORT_RQ, 7, UID.StorageCommitmentPushModel,
                            UID.StorageCommitmentPushModelInstance, false).setEventTypeId(1);
                    rq.context().association().send(rq.context().pcid(), cmd.encode(), null);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).start();
            return NResult.success();
        }).responses((as, pcid, rsp, dataset) -> rspStatus.complete(rsp.status().code()));
        server = DicomServer.builder("ORDERLY").port(0).registry(scp).build().start();
        CountDownLatch reported = new CountDownLatch(1);
        AtomicInteger eventType = new AtomicInteger();
        DicomServiceRegistry scu = new DicomServiceRegistry().nEventReport(UID.StorageCommitmentPushModel, rq -> {
            eventType.set(rq.eventTypeId());
            reported.countDown();
            try {
                Thread.sleep(300); // still answering when the caller closes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return NResult.success();
        });
        try (DicomClient c = DicomClient.to("ORDERLY@127.0.0.1:" + server.port()).callingAe("SCU")
                .context(UID.StorageCommitmentPushModel).services(scu).connect()) {
            assertEquals(Status.SUCCESS, c.nAction(UID.StorageCommitmentPushModel,
                    UID.StorageCommitmentPushModelInstance, 1, new Attributes()).status());
            assertTrue(reported.await(5, TimeUnit.SECONDS));
            assertEquals(1, eventType.get());
        }
        assertEquals(0, rspStatus.get(5, TimeUnit.SECONDS), "N-EVENT-REPORT-RSP Success reached the SCP");
    }

    @Test
    void callingAeAllowListRejects() throws IOException {
        server = DicomServer.builder("ORDERLY").port(0).callingAeTitles("CT1").build().start();
        assertThrows(AssociationRejectedException.class,
                () -> DicomClient.connect("ORDERLY@127.0.0.1:" + server.port(), "INTRUDER", UID.Verification));
        try (DicomClient c = DicomClient.connect("ORDERLY@127.0.0.1:" + server.port(), "CT1", UID.Verification)) {
            assertEquals(Status.SUCCESS, c.echo());
        }
    }

    @Test
    void noContextForAnUnproposedSopClass() throws IOException {
        try (DicomClient c = start(new DicomServiceRegistry(), UID.Verification, UID.CTImageStorage)) {
            assertTrue(!c.accepted(UID.CTImageStorage, null));
            assertThrows(NoPresentationContextException.class, () -> c.store(ct("1.2")));
        }
    }

    @Test
    void silentScpHitsTheResponseTimeoutAndTheAssociationIsAborted() throws IOException {
        CountDownLatch release = new CountDownLatch(1);
        DicomServiceRegistry r = new DicomServiceRegistry().cEcho(ctx -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server = DicomServer.builder("ORDERLY").port(0).registry(r).build().start();
        DicomClient c = DicomClient.to("ORDERLY@127.0.0.1:" + server.port()).context(UID.Verification)
                .responseTimeout(Duration.ofMillis(300)).connect();
        try {
            assertThrows(DimseTimeoutException.class, c::echo);
            release.countDown(); // the SCP's reader reads the A-ABORT once its handler returns
            assertTrue(c.association().awaitClosed(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            release.countDown();
        }
    }

    @Test
    void messageIdsAreDistinct() throws IOException {
        List<Integer> ids = new ArrayList<>();
        DicomServiceRegistry r = new DicomServiceRegistry().cEcho(ctx -> ids.add(ctx.messageId()));
        try (DicomClient c = start(r, UID.Verification)) {
            for (int i = 0; i < 5; i++) {
                c.echo();
            }
        }
        assertEquals(List.of(1, 2, 3, 4, 5), ids);
    }
}
