package org.orderly.dicom.net.dimse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;

class DimseCommandTest {

    @Test
    void statusCategoriesFollowPs37AnnexC() {
        assertEquals(Status.Category.SUCCESS, Status.of(0x0000).category());
        assertEquals(Status.Category.PENDING, Status.of(0xFF01).category());
        assertEquals(Status.Category.CANCEL, Status.of(0xFE00).category());
        assertEquals(Status.Category.WARNING, Status.of(0xB123).category());
        assertEquals(Status.Category.WARNING, Status.of(0x0107).category());
        assertEquals(Status.Category.FAILURE, Status.of(0xA801).category());
        assertEquals(Status.Category.FAILURE, Status.of(0xC211).category());
        assertEquals(Status.SOP_CLASS_NOT_SUPPORTED, Status.of(0x0122));
        assertEquals("0122H (Refused: SOP class not supported)", Status.SOP_CLASS_NOT_SUPPORTED.toString());
    }

    @Test
    void everyRequestMapsToItsResponse() {
        for (Dimse d : Dimse.values()) {
            if (d.isRequest() && d != Dimse.C_CANCEL_RQ) {
                Dimse rsp = d.response().orElseThrow();
                assertEquals(d.commandField() | 0x8000, rsp.commandField());
                assertTrue(rsp.isResponse());
            }
        }
        assertEquals("N-EVENT-REPORT-RQ", Dimse.N_EVENT_REPORT_RQ.toString());
        assertTrue(Dimse.C_CANCEL_RQ.response().isEmpty());
    }

    @Test
    void requestRoundTripsAndValidates() throws Exception {
        DimseCommand rq = DimseCommand.request(Dimse.N_SET_RQ, 42, UID.ModalityPerformedProcedureStep, "1.2.3", true);
        DimseCommand back = DimseCommand.decode(rq.encode());
        assertEquals(Dimse.N_SET_RQ, back.dimse().orElseThrow());
        assertEquals(42, back.messageId());
        assertEquals(UID.ModalityPerformedProcedureStep, back.sopClassUid());
        assertEquals("1.2.3", back.sopInstanceUid());
        assertTrue(back.hasDataSet());
        assertTrue(back.missingElements().isEmpty());
        assertFalse(back.dataSetTypeMismatch());

        back.attributes().remove(Tag.RequestedSOPInstanceUID);
        assertEquals(List.of(Tag.RequestedSOPInstanceUID), back.missingElements());
        DimseCommand noData = DimseCommand.request(Dimse.N_SET_RQ, 1, UID.ModalityPerformedProcedureStep, "1", false);
        assertTrue(noData.dataSetTypeMismatch(), "N-SET requires a Modification List");
    }

    @Test
    void responseCarriesTheRequestsIdsAndATrimmedComment() throws Exception {
        DimseCommand rq = DimseCommand.request(Dimse.N_ACTION_RQ, 7, UID.StorageCommitmentPushModel,
                UID.StorageCommitmentPushModelInstance, true).setActionTypeId(1);
        DimseCommand rsp = DimseCommand.response(rq, Status.PROCESSING_FAILURE, false)
                .setErrorComment("x".repeat(100) + "\\");
        DimseCommand back = DimseCommand.decode(rsp.encode());
        assertEquals(Dimse.N_ACTION_RSP, back.dimse().orElseThrow());
        assertEquals(7, back.messageIdBeingRespondedTo());
        assertEquals(1, back.actionTypeId());
        assertEquals(UID.StorageCommitmentPushModelInstance, back.sopInstanceUid());
        assertEquals(Status.PROCESSING_FAILURE, back.status());
        assertEquals(64, back.errorComment().length());
        assertFalse(back.hasDataSet());
    }
}
