package org.orderly.mpps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.net.dimse.Status;
import org.orderly.dicom.net.service.DicomServiceException;
import org.orderly.mpps.store.MppsEvent;
import org.orderly.mpps.store.MppsStore;
import org.orderly.mpps.store.OrderIdentifiers;

/** Validation (PS3.4 Table F.7.2-1), the state table, the worklist link and the outbox, over H2 with sql/V1..V4. */
class MppsScpTest {
    private DataSource ds;
    private MppsStore store;
    private final List<MppsStore.Committed> committed = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        ds = MppsTestDatabase.create();
        store = new MppsStore(ds);
    }

    static Attributes create(String study, String accession, String spsId) {
        Attributes a = new Attributes();
        for (int t : new int[] {Tag.PatientName, Tag.PatientBirthDate, Tag.PatientSex, Tag.PerformedStationName,
                Tag.PerformedLocation, Tag.PerformedProcedureStepDescription, Tag.PerformedProcedureTypeDescription,
                Tag.PerformedProcedureStepEndDate, Tag.PerformedProcedureStepEndTime, Tag.StudyID}) {
            a.setNull(t, org.orderly.dicom.data.ElementDictionary.implicitVR(t));
        }
        a.setString(Tag.PatientID, VR.LO, "P1");
        a.newSequence(Tag.ProcedureCodeSequence);
        a.newSequence(Tag.PerformedProtocolCodeSequence);
        a.newSequence(Tag.PerformedSeriesSequence);
        a.newSequence(Tag.ReferencedPatientSequence);
        Attributes item = a.newSequence(Tag.ScheduledStepAttributesSequence).addNewItem();
        item.setString(Tag.StudyInstanceUID, VR.UI, study);
        item.newSequence(Tag.ReferencedStudySequence);
        item.setString(Tag.AccessionNumber, VR.SH, accession);
        item.setNull(Tag.RequestedProcedureID, VR.SH);
        item.setNull(Tag.RequestedProcedureDescription, VR.LO);
        item.setString(Tag.ScheduledProcedureStepID, VR.SH, spsId);
        item.setNull(Tag.ScheduledProcedureStepDescription, VR.LO);
        item.newSequence(Tag.ScheduledProtocolCodeSequence);
        a.setString(Tag.PerformedProcedureStepID, VR.SH, "PPS1");
        a.setString(Tag.PerformedStationAETitle, VR.AE, "CT1");
        a.setString(Tag.PerformedProcedureStepStartDate, VR.DA, "20240101");
        a.setString(Tag.PerformedProcedureStepStartTime, VR.TM, "101500");
        a.setString(Tag.PerformedProcedureStepStatus, VR.CS, "IN PROGRESS");
        a.setString(Tag.Modality, VR.CS, "CT");
        return a;
    }

    static Attributes completed() {
        Attributes m = new Attributes();
        m.setString(Tag.PerformedProcedureStepStatus, VR.CS, "COMPLETED");
        m.setString(Tag.PerformedProcedureStepEndDate, VR.DA, "20240101");
        m.setString(Tag.PerformedProcedureStepEndTime, VR.TM, "103000");
        Attributes s = m.newSequence(Tag.PerformedSeriesSequence).addNewItem();
        for (int t : new int[] {Tag.PerformingPhysicianName, Tag.OperatorsName, Tag.SeriesDescription, Tag.RetrieveAETitle}) {
            s.setNull(t, org.orderly.dicom.data.ElementDictionary.implicitVR(t));
        }
        s.setString(Tag.ProtocolName, VR.LO, "HEAD");
        s.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.3.4.1");
        s.newSequence(Tag.ReferencedNonImageCompositeSOPInstanceSequence);
        Attributes img = s.newSequence(Tag.ReferencedImageSequence).addNewItem();
        img.setString(Tag.ReferencedSOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.2");
        img.setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.3.4.1.1");
        return m;
    }

    @Test
    void scheduledCreateThenCompleteMovesTheStepAndWritesTheOutbox() throws Exception {
        long step = MppsTestDatabase.step(ds, "PL1", "FI1", "ACC1", "RP1", "1.2.3", "SPS1", "P1");
        MppsStore.Committed c = store.create("1.9.1", create("1.2.3", "ACC1", "SPS1"), "CT1",
                MppsValidator.validateCreate(create("1.2.3", "ACC1", "SPS1")));
        assertFalse(c.instance().unscheduled());
        assertEquals("STARTED", MppsTestDatabase.stepStatus(ds, step));
        MppsStore.Committed s = store.set("1.9.1", completed(), "CT1", MppsValidator::validateSet);
        assertEquals(MppsStatus.COMPLETED, s.instance().status());
        assertEquals("COMPLETED", MppsTestDatabase.stepStatus(ds, step));
        List<MppsEvent> events = store.unpublished(10);
        assertEquals(2, events.size());
        assertEquals(MppsStatus.IN_PROGRESS, events.get(0).status());
        assertEquals(MppsStatus.COMPLETED, events.get(1).status());
        assertEquals(MppsStatus.IN_PROGRESS, events.get(1).previousStatus());
        List<OrderIdentifiers> orders = store.orders("1.9.1");
        assertEquals(1, orders.size());
        assertEquals("PL1", orders.get(0).placerOrderNumber());
        assertEquals("FI1", orders.get(0).fillerOrderNumber());
        assertEquals("ACC1", orders.get(0).accessionNumber());
        assertEquals("P1", orders.get(0).patientId());
        assertEquals(List.of("1.2.3.4.1.1"), MppsStore.referencedInstances(store.get("1.9.1").orElseThrow().attributes()));
        store.markPublished(List.of(events.get(0).id()));
        assertEquals(1, store.unpublished(10).size());
    }

    @Test
    void modalityStudyUidWithTypedAccessionStillMatchesAndUnknownIsUnscheduled() throws Exception {
        long step = MppsTestDatabase.step(ds, "PL2", "FI2", "ACC2", "RP2", "1.2.4", "SPS2", "P1");
        assertFalse(store.create("1.9.2", create("9.9.9", "ACC2", "SPS2"), "CT1", MppsStatus.IN_PROGRESS)
                .instance().unscheduled());
        assertEquals("STARTED", MppsTestDatabase.stepStatus(ds, step));
        assertTrue(store.create("1.9.3", create("9.9.8", "NOPE", ""), "CT1", MppsStatus.IN_PROGRESS)
                .instance().unscheduled());
        assertEquals("mpps:1.9.3", store.orders("1.9.3").get(0).orderKey());
        assertEquals(1, store.unscheduled(10).size());
    }

    @Test
    void errorStatuses() throws Exception {
        store.create("1.9.4", create("1.2.5", "A", "S"), "CT1", MppsStatus.IN_PROGRESS);
        DicomServiceException dup = assertThrows(DicomServiceException.class,
                () -> store.create("1.9.4", create("1.2.5", "A", "S"), "CT1", MppsStatus.IN_PROGRESS));
        assertEquals(Status.DUPLICATE_SOP_INSTANCE, dup.status());
        assertEquals(Status.NO_SUCH_SOP_INSTANCE, assertThrows(DicomServiceException.class,
                () -> store.set("1.9.404", completed(), "CT1", MppsValidator::validateSet)).status());
        // final state needs end date/time and, for COMPLETED, a series
        Attributes noEnd = new Attributes();
        noEnd.setString(Tag.PerformedProcedureStepStatus, VR.CS, "COMPLETED");
        DicomServiceException missing = assertThrows(DicomServiceException.class,
                () -> store.set("1.9.4", noEnd, "CT1", MppsValidator::validateSet));
        assertEquals(Status.MISSING_ATTRIBUTE_VALUE, missing.status()); // present at N-CREATE, but empty
        assertArrayEquals(new int[] {Tag.PerformedProcedureStepEndDate, Tag.PerformedProcedureStepEndTime,
                Tag.PerformedSeriesSequence}, missing.offendingElements());
        // N-SET may not change a "Not allowed" attribute
        Attributes station = new Attributes();
        station.setString(Tag.PerformedStationAETitle, VR.AE, "CT9");
        assertEquals(Status.INVALID_ATTRIBUTE_VALUE, assertThrows(DicomServiceException.class,
                () -> store.set("1.9.4", station, "CT1", MppsValidator::validateSet)).status());
        store.set("1.9.4", completed(), "CT1", MppsValidator::validateSet);
        DicomServiceException after = assertThrows(DicomServiceException.class,
                () -> store.set("1.9.4", completed(), "CT1", MppsValidator::validateSet));
        assertEquals(Status.PROCESSING_FAILURE, after.status());
        assertEquals(MppsValidator.NO_LONGER_UPDATABLE, after.errorComment());
        // a refused N-SET changed nothing: only the create and the one accepted set are in the outbox
        assertEquals(2, store.unpublished(10).size());
    }

    @Test
    void discontinuedNeedsSeriesAndNotAllowedAttributesStay() throws Exception {
        Attributes created = create("1.2.6", "A6", "S6");
        created.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        store.create("1.9.6", created, "CT1", MppsStatus.IN_PROGRESS);
        // Table F.7.2-1 note 2: the Performed Series Sequence may not be empty at DISCONTINUED either
        Attributes stop = new Attributes();
        stop.setString(Tag.PerformedProcedureStepStatus, VR.CS, "DISCONTINUED");
        stop.setString(Tag.PerformedProcedureStepEndDate, VR.DA, "20240101");
        stop.setString(Tag.PerformedProcedureStepEndTime, VR.TM, "103000");
        DicomServiceException empty = assertThrows(DicomServiceException.class,
                () -> store.set("1.9.6", stop, "CT1", MppsValidator::validateSet));
        assertEquals(Status.MISSING_ATTRIBUTE_VALUE, empty.status());
        assertArrayEquals(new int[] {Tag.PerformedSeriesSequence}, empty.offendingElements());
        // "Not allowed" at N-SET: the visit attributes too
        Attributes admission = new Attributes();
        admission.setString(Tag.AdmissionID, VR.LO, "ADM1");
        DicomServiceException visit = assertThrows(DicomServiceException.class,
                () -> store.set("1.9.6", admission, "CT1", MppsValidator::validateSet));
        assertArrayEquals(new int[] {Tag.AdmissionID}, visit.offendingElements());
        // F.7.2.2.3: an N-SET's Specific Character Set does not replace the N-CREATE's
        Attributes done = completed();
        done.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        done.setString(Tag.PerformedProcedureStepStatus, VR.CS, "DISCONTINUED");
        store.set("1.9.6", done, "CT1", MppsValidator::validateSet);
        Attributes stored = store.get("1.9.6").orElseThrow().attributes();
        assertEquals("ISO_IR 100", stored.getString(Tag.SpecificCharacterSet));
        assertEquals("DISCONTINUED", stored.getString(Tag.PerformedProcedureStepStatus));
    }

    @Test
    void createValidation() {
        Attributes a = create("1.2.3", "A", "S");
        a.remove(Tag.Modality);
        a.remove(Tag.PatientSex);
        DicomServiceException e = assertThrows(DicomServiceException.class, () -> MppsValidator.validateCreate(a));
        assertEquals(Status.MISSING_ATTRIBUTE, e.status());
        assertArrayEquals(new int[] {Tag.PatientSex, Tag.Modality}, e.offendingElements());
        // nested rows of the table at any depth: a Referenced Image item without its UIDs, a code item without value
        Attributes deep = create("1.2.3", "A", "S");
        deep.getSequence(Tag.PerformedSeriesSequence).add(new Attributes(completed().getSequence(Tag.PerformedSeriesSequence).get(0)));
        deep.getSequence(Tag.PerformedSeriesSequence).get(0).getSequence(Tag.ReferencedImageSequence).get(0)
                .remove(Tag.ReferencedSOPInstanceUID);
        deep.getSequence(Tag.ProcedureCodeSequence).addNewItem().setString(Tag.CodeMeaning, VR.LO, "CT Head");
        DicomServiceException nestedMissing = assertThrows(DicomServiceException.class,
                () -> MppsValidator.validateCreate(deep));
        assertEquals(Status.MISSING_ATTRIBUTE, nestedMissing.status());
        assertArrayEquals(new int[] {Tag.ProcedureCodeSequence, Tag.CodeValue, Tag.ReferencedImageSequence,
                Tag.ReferencedSOPInstanceUID}, nestedMissing.offendingElements());
        Attributes b = create("1.2.3", "A", "S");
        b.getSequence(Tag.ScheduledStepAttributesSequence).get(0).setNull(Tag.StudyInstanceUID, VR.UI);
        DicomServiceException nested = assertThrows(DicomServiceException.class, () -> MppsValidator.validateCreate(b));
        assertEquals(Status.MISSING_ATTRIBUTE_VALUE, nested.status());
        assertArrayEquals(new int[] {Tag.ScheduledStepAttributesSequence, Tag.StudyInstanceUID}, nested.offendingElements());
        Attributes c = create("1.2.3", "A", "S");
        c.setString(Tag.PerformedProcedureStepStatus, VR.CS, "COMPLETED");
        assertEquals(Status.INVALID_ATTRIBUTE_VALUE, assertThrows(DicomServiceException.class,
                () -> MppsValidator.validateCreate(c)).status());
    }

    @Test
    void stateTable() {
        assertEquals("IP", MppsStatus.IN_PROGRESS.orderStatus());
        assertEquals("CM", MppsStatus.COMPLETED.orderStatus());
        assertEquals("DC", MppsStatus.DISCONTINUED.orderStatus());
        assertEquals("SC", MppsStatus.COMPLETED.orderControl());
        assertEquals(org.orderly.mwl.model.SpsStatus.STARTED, MppsStatus.IN_PROGRESS.spsStatus());
        assertTrue(MppsStatus.COMPLETED.next().isEmpty());
        assertEquals(MppsStatus.IN_PROGRESS, MppsStatus.of("IN PROGRESS ").orElseThrow());
        assertTrue(MppsStatus.of("in progress").isEmpty()); // Enumerated Values are case-sensitive
    }
}
