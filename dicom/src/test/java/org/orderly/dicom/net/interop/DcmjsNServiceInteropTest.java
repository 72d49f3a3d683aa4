package org.orderly.dicom.net.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.net.DicomClient;
import org.orderly.dicom.net.DicomServer;
import org.orderly.dicom.net.DimseResponse;
import org.orderly.dicom.net.dimse.Status;
import org.orderly.dicom.net.service.DicomServiceException;
import org.orderly.dicom.net.service.DicomServiceRegistry;
import org.orderly.dicom.net.service.NResult;

/**
 * N-CREATE, N-SET, N-GET, N-ACTION and N-EVENT-REPORT both ways with dcmjs-dimse (scripts in src/test/node):
 * their SCU against our SCP, our SCU against their SCP.
 */
class DcmjsNServiceInteropTest {

    private static final Duration T = Duration.ofSeconds(60);
    private static final String IUID = "2.25.314159265358979";

    @Test
    void theirScuAgainstOurScp() throws Exception {
        Map<String, String> received = new ConcurrentHashMap<>();
        Map<String, Attributes> mpps = new ConcurrentHashMap<>();
        DicomServiceRegistry r = new DicomServiceRegistry()
                .nCreate(UID.ModalityPerformedProcedureStep, rq -> {
                    mpps.put(rq.sopInstanceUid(), new Attributes(rq.attributes()));
                    received.put("N-CREATE", rq.attributes().getString(Tag.PerformedProcedureStepStatus));
                    return NResult.created(rq.sopInstanceUid(), null);
                })
                .nSet(UID.ModalityPerformedProcedureStep, rq -> {
                    Attributes a = mpps.get(rq.sopInstanceUid());
                    if (a == null) {
                        throw new DicomServiceException(Status.NO_SUCH_SOP_INSTANCE, "no such MPPS");
                    }
                    a.addAll(rq.modifications());
                    received.put("N-SET", rq.modifications().getString(Tag.PerformedProcedureStepStatus));
                    return NResult.success();
                })
                .nGet(UID.ModalityPerformedProcedureStep, rq -> {
                    Attributes a = mpps.get(rq.sopInstanceUid());
                    Attributes out = new Attributes();
                    for (int tag : rq.attributeIdentifiers()) {
                        out.setString(tag, VR.CS, a.getString(tag));
                    }
                    return NResult.success(out);
                })
                .nAction(UID.StorageCommitmentPushModel, rq -> {
                    received.put("N-ACTION", rq.actionTypeId() + " " + rq.actionInformation()
                            .getSequence(Tag.ReferencedSOPSequence).get(0).getString(Tag.ReferencedSOPInstanceUID));
                    return NResult.success();
                })
                .nEventReport(UID.StorageCommitmentPushModel, rq -> {
                    received.put("N-EVENT-REPORT", rq.eventTypeId() + " "
                            + rq.eventInformation().getString(Tag.TransactionUID));
                    return NResult.success();
                });
        DicomServer server = DicomServer.builder("ORDERLY").port(0).registry(r).build().start();
        try {
            Peers.Result res = Peers.node(T, "nscu.js", "127.0.0.1", Integer.toString(server.port()), "ORDERLY")
                    .assertExit(0);
            List<String> lines = res.lines("RESULT");
            assertEquals(1, lines.size(), res.output());
            String json = lines.get(0);
            for (String op : List.of("N-CREATE", "N-SET", "N-GET", "N-ACTION", "N-EVENT-REPORT")) {
                assertTrue(json.contains("{\"op\":\"" + op + "\",\"status\":0,"), op + " succeeded: " + json);
            }
            assertTrue(json.contains("\"PerformedProcedureStepStatus\":\"COMPLETED\""), "N-GET data set: " + json);
            assertEquals("IN PROGRESS", received.get("N-CREATE"));
            assertEquals("COMPLETED", received.get("N-SET"));
            assertEquals("1 1.2.3.4", received.get("N-ACTION"));
            assertEquals("2 2.25.78", received.get("N-EVENT-REPORT"));
        } finally {
            server.stop(Duration.ofSeconds(2));
        }
    }

    @Test
    void ourScuAgainstTheirScp(@TempDir Path dir) throws Exception {
        int port = Peers.freePort();
        try (Peers.Server scp = Peers.startNode(dir.resolve("nscp.log"), port, "nscp.js", Integer.toString(port))) {
            try (DicomClient c = DicomClient.connect("DCMJS@127.0.0.1:" + port, "ORDERLY",
                    UID.ModalityPerformedProcedureStep, UID.StorageCommitmentPushModel, UID.Verification)) {
                assertEquals(Status.SUCCESS, c.echo());
                Attributes ip = new Attributes();
                ip.setString(Tag.PerformedProcedureStepStatus, VR.CS, "IN PROGRESS");
                ip.setString(Tag.Modality, VR.CS, "CT");
                DimseResponse created = c.nCreate(UID.ModalityPerformedProcedureStep, IUID, ip);
                assertEquals(Status.SUCCESS, created.status(), created.toString());
                assertEquals(IUID, created.affectedSopInstanceUid());
                Attributes done = new Attributes();
                done.setString(Tag.PerformedProcedureStepStatus, VR.CS, "COMPLETED");
                assertEquals(Status.SUCCESS, c.nSet(UID.ModalityPerformedProcedureStep, IUID, done).status());
                assertEquals(Status.NO_SUCH_SOP_INSTANCE,
                        c.nSet(UID.ModalityPerformedProcedureStep, "2.25.404", done).status());
                DimseResponse got = c.nGet(UID.ModalityPerformedProcedureStep, IUID,
                        Tag.PerformedProcedureStepStatus);
                assertEquals(Status.SUCCESS, got.status());
                assertEquals("COMPLETED", got.dataset().getString(Tag.PerformedProcedureStepStatus));
                Attributes info = new Attributes();
                info.setString(Tag.TransactionUID, VR.UI, "2.25.99");
                Attributes ref = info.newSequence(Tag.ReferencedSOPSequence).addNewItem();
                ref.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.CTImageStorage);
                ref.setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.3.4");
                assertEquals(Status.SUCCESS, c.nAction(UID.StorageCommitmentPushModel,
                        UID.StorageCommitmentPushModelInstance, 1, info).status());
                Attributes event = new Attributes();
                event.setString(Tag.TransactionUID, VR.UI, "2.25.99");
                DimseResponse er = c.nEventReport(UID.StorageCommitmentPushModel,
                        UID.StorageCommitmentPushModelInstance, 1, event);
                assertEquals(Status.SUCCESS, er.status());
                c.release();
            }
            List<String> requests = scp.lines("REQUEST");
            String all = String.join("\n", requests);
            assertTrue(all.contains("\"op\":\"N-CREATE\"") && all.contains("IN PROGRESS"), all);
            assertTrue(all.contains("\"op\":\"N-SET\"") && all.contains("COMPLETED"), all);
            assertTrue(all.contains("\"op\":\"N-ACTION\"") && all.contains("1.2.3.4"), all);
            assertTrue(all.contains("\"op\":\"N-EVENT-REPORT\"") && all.contains("2.25.99"), all);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
