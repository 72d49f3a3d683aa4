package org.orderly.mwl.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.orderly.mwl.testing.Fixtures.SENDER;
import static org.orderly.mwl.testing.Fixtures.order;
import static org.orderly.mwl.testing.Fixtures.patient;
import static org.orderly.mwl.testing.Fixtures.procedure;
import static org.orderly.mwl.testing.Fixtures.step;
import static org.orderly.mwl.testing.TestDatabase.count;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;
import org.orderly.mwl.model.PatientKey;
import org.orderly.mwl.model.SpsStatus;
import org.orderly.mwl.testing.TestDatabase;

class WorklistStoreTest {

    private DataSource ds;
    private WorklistStore store;

    @BeforeEach
    void setUp() throws Exception {
        ds = TestDatabase.create();
        store = new WorklistStore(ds);
    }

    private static Attributes sps(Attributes item) {
        Sequence seq = item.getSequence(Tag.ScheduledProcedureStepSequence);
        assertEquals(1, seq.size(), "an item has exactly one SPS item");
        return seq.get(0);
    }

    private List<Attributes> items(String placer) throws Exception {
        return store.items(OrderRef.byPlacer(SENDER, placer));
    }

    @Test
    void newOrderGetsGeneratedStudyUidAndOneItemPerStep() throws Exception {
        Results.Upsert r = store.upsertOrder(order(patient("P1", null, "DOE^JOHN"), procedure("PL1", "A1", null),
                step("S1", "CT", "20261122", "0800", "CT1"), step("S2", "CT", "20261122", "0900", "CT1")));
        assertTrue(r.created());
        assertTrue(r.studyInstanceUid().matches("2\\.25\\.[1-9][0-9]*"), r.studyInstanceUid());
        assertTrue(r.studyInstanceUid().length() <= 64);
        List<Attributes> items = items("PL1");
        assertEquals(2, items.size());
        Attributes first = items.get(0);
        assertEquals("DOE^JOHN", first.getString(Tag.PatientName));
        assertEquals("A1", first.getString(Tag.AccessionNumber));
        assertEquals(r.studyInstanceUid(), first.getString(Tag.StudyInstanceUID));
        assertEquals("S1", sps(first).getString(Tag.ScheduledProcedureStepID));
        assertEquals("SCHEDULED", sps(first).getString(Tag.ScheduledProcedureStepStatus));
        assertEquals("S2", sps(items.get(1)).getString(Tag.ScheduledProcedureStepID));
        assertEquals(2, count(ds, "SELECT COUNT(*) FROM step_station_ae"));
    }

    @Test
    void changeKeepsStudyUidWhenMessageHasNoneAndReplacesStepAttributes() throws Exception {
        String uid = store.upsertOrder(order(patient("P1", null, "DOE^JOHN"), procedure("PL1", "A1", null),
                step("S1", "CT", "20261122", "0800", "CT1"))).studyInstanceUid();
        Results.Upsert r = store.upsertOrder(order(patient("P1", null, "DOE^JOHN"), procedure("PL1", "A1", null),
                step("S1", "MR", "20261123", "1000", "MR1")));
        assertFalse(r.created());
        assertEquals(uid, r.studyInstanceUid());
        List<Attributes> items = items("PL1");
        assertEquals(1, items.size());
        assertEquals("MR", sps(items.get(0)).getString(Tag.Modality));
        assertEquals("MR1", sps(items.get(0)).getString(Tag.ScheduledStationAETitle));
        assertEquals(uid, items.get(0).getString(Tag.StudyInstanceUID));
        assertEquals(1, count(ds, "SELECT COUNT(*) FROM step_station_ae WHERE ae_title = 'MR1'"));
        assertEquals(0, count(ds, "SELECT COUNT(*) FROM step_station_ae WHERE ae_title = 'CT1'"));
        assertEquals(1, count(ds, "SELECT COUNT(*) FROM requested_procedure"));
    }

    @Test
    void generatedStudyUidAndSpsIdOfAChangeAreReplacedByTheStoredOnes() throws Exception {
        String uid = store.upsertOrder(order(patient("P1", null, "DOE^JOHN"), procedure("PL1", "A1", "1.2.3.4"),
                step("S1", "CT", "20261122", "0800", "CT1"))).studyInstanceUid();
        assertEquals("1.2.3.4", uid);
        Results.Upsert r = store.upsertOrder(order(Set.of(Tag.StudyInstanceUID, Tag.ScheduledProcedureStepID),
                patient("P1", null, "DOE^JOHN"), procedure("PL1", "A1", "2.25.999"),
                step("GEN9", "CT", "20261122", "0830", "CT1")));
        assertEquals("1.2.3.4", r.studyInstanceUid());
        assertEquals(List.of("S1"), r.spsIds());
        Attributes item = items("PL1").get(0);
        assertEquals("1.2.3.4", item.getString(Tag.StudyInstanceUID));
        assertEquals("S1", sps(item).getString(Tag.ScheduledProcedureStepID));
        assertEquals("0830", sps(item).getString(Tag.ScheduledProcedureStepStartTime));
    }

    @Test
    void changeKeepsStepStatusAndDiscontinuesDroppedStepsWithoutDeleting() throws Exception {
        store.upsertOrder(order(patient("P1", null, "DOE^JOHN"), procedure("PL1", "A1", null),
                step("S1", "CT", "20261122", "0800", "CT1"), step("S2", "CT", "20261122", "0900", "CT1")));
        assertEquals(1, store.updateStepStatus(null, "S1", SpsStatus.ARRIVED));
        Results.Upsert r = store.upsertOrder(order(patient("P1", null, "DOE^JOHN"), procedure("PL1", "A1", null),
                step("S1", "CT", "20261122", "0815", "CT1")));
        assertEquals(1, r.stepsRetired());
        List<Attributes> items = items("PL1");
        assertEquals(2, items.size());
        assertEquals("ARRIVED", sps(items.get(0)).getString(Tag.ScheduledProcedureStepStatus));
        assertEquals("DISCONTINUED", sps(items.get(1)).getString(Tag.ScheduledProcedureStepStatus));
        assertEquals(1, count(ds, "SELECT COUNT(*) FROM scheduled_procedure_step WHERE status = 'DISCONTINUED'"));
    }

    @Test
    void orderWithoutPlacerIsFoundByAccession() throws Exception {
        store.upsertOrder(order(patient("P1", null, "DOE^JOHN"), procedure(null, "ACC7", null),
                step("S1", "CT", "20261122", "0800", "CT1")));
        store.upsertOrder(order(patient("P1", null, "DOE^JOHN"), procedure(null, "ACC7", null),
                step("S1", "MR", "20261122", "0800", "CT1")));
        List<Attributes> items = store.items(OrderRef.byAccession(SENDER, "ACC7"));
        assertEquals(1, items.size());
        assertEquals("MR", sps(items.get(0)).getString(Tag.Modality));
    }

    @Test
    void cancelAndDiscontinueSetStatusAndReportUnknownOrders() throws Exception {
        store.upsertOrder(order(patient("P1", null, "DOE^JOHN"), procedure("PL1", "A1", null),
                step("S1", "CT", "20261122", "0800", "CT1")));
        store.upsertOrder(order(patient("P1", null, "DOE^JOHN"), procedure("PL2", "A2", null),
                step("S2", "CT", "20261122", "0800", "CT1")));
        assertTrue(store.cancelOrder(OrderRef.byPlacer(SENDER, "PL1")));
        assertTrue(store.discontinueOrder(OrderRef.byAccession(SENDER, "A2")));
        assertFalse(store.cancelOrder(OrderRef.byPlacer(SENDER, "NOPE")));
        assertFalse(store.discontinueOrder(OrderRef.byPlacer("OTHER^SENDER", "PL2")));
        assertEquals("CANCELED", sps(items("PL1").get(0)).getString(Tag.ScheduledProcedureStepStatus));
        assertEquals("DISCONTINUED", sps(items("PL2").get(0)).getString(Tag.ScheduledProcedureStepStatus));
    }

    @Test
    void patientUpdateChangesOpenItemsOnlyAndCountsThem() throws Exception {
        store.upsertOrder(order(patient("P1", "HOSP", "DOE^JOHN"), procedure("PL1", "A1", null),
                step("S1", "CT", "20261122", "0800", "CT1"), step("S2", "CT", "20261122", "0900", "CT1")));
        store.upsertOrder(order(patient("P1", "HOSP", "DOE^JOHN"), procedure("PL2", "A2", null),
                step("S3", "CT", "20261122", "0800", "CT1")));
        store.upsertOrder(order(patient("P2", "HOSP", "ROE^JANE"), procedure("PL3", "A3", null),
                step("S4", "CT", "20261122", "0800", "CT1")));
        store.cancelOrder(OrderRef.byPlacer(SENDER, "PL2"));

        Attributes a08 = new Attributes();
        a08.setString(Tag.PatientName, VR.PN, "DOE^JONATHAN");
        a08.setString(Tag.PatientSex, VR.CS, "");
        Results.PatientUpdate u = store.updatePatient(new PatientKey("P1", "HOSP"), a08);
        assertTrue(u.patientKnown());
        assertEquals(2, u.itemsUpdated());
        Attributes open = items("PL1").get(1);
        assertEquals("DOE^JONATHAN", open.getString(Tag.PatientName));
        assertTrue(open.contains(Tag.PatientSex) && open.getString(Tag.PatientSex) == null, "cleared");
        assertEquals("19700101", open.getString(Tag.PatientBirthDate), "absent from the update: kept");
        assertEquals("DOE^JOHN", items("PL2").get(0).getString(Tag.PatientName), "cancelled item unchanged");
        assertEquals("ROE^JANE", items("PL3").get(0).getString(Tag.PatientName));
        assertEquals(2, count(ds, "SELECT COUNT(*) FROM scheduled_procedure_step WHERE patient_name = 'DOE^JONATHAN'"
                + " AND patient_name_norm = 'DOE^JONATHAN'"));

        assertFalse(store.updatePatient(new PatientKey("P1", "OTHER"), a08).patientKnown());
        assertFalse(store.updatePatient(new PatientKey("NOPE", "HOSP"), a08).patientKnown());
        Attributes other = new Attributes();
        other.setString(Tag.PatientID, VR.LO, "P9");
        assertThrows(IllegalArgumentException.class, () -> store.updatePatient(new PatientKey("P1", "HOSP"), other));
    }

    private int itemsOf(String patientId) throws Exception {
        return count(ds, "SELECT COUNT(*) FROM scheduled_procedure_step s JOIN requested_procedure r"
                + " ON r.id = s.requested_procedure_fk JOIN patient p ON p.id = r.patient_fk"
                + " WHERE p.patient_id = '" + patientId + "' AND s.patient_id = '" + patientId + "'");
    }

    @Test
    void mergeMovesItemsAndIsIdempotentAndSafeAgainstInversion() throws Exception {
        store.upsertOrder(order(patient("A", "HOSP", "DOE^JOHN"), procedure("PL1", "A1", null),
                step("S1", "CT", "20261122", "0800", "CT1")));
        store.upsertOrder(order(patient("B", "HOSP", "DOE^J"), procedure("PL2", "A2", null),
                step("S2", "CT", "20261122", "0900", "CT1"), step("S3", "CT", "20261122", "1000", "CT1")));
        store.cancelOrder(OrderRef.byPlacer(SENDER, "PL2")); // closed items move too

        // A40: B merged into A
        Results.Merge m = store.mergePatient("A", "B", "HOSP");
        assertEquals(new Results.Merge(true, false, 2), m);
        assertEquals(3, itemsOf("A"));
        assertEquals(0, itemsOf("B"));
        Attributes moved = items("PL2").get(0);
        assertEquals("A", moved.getString(Tag.PatientID));
        assertEquals("DOE^JOHN", moved.getString(Tag.PatientName));
        assertEquals("HOSP", moved.getString(Tag.IssuerOfPatientID));

        // the same A40 again: nothing more moves, nothing is lost
        assertEquals(new Results.Merge(true, false, 0), store.mergePatient("A", "B", "HOSP"));
        assertEquals(3, itemsOf("A"));

        // inverted: A merged into B after B into A -> everything at B
        assertEquals(new Results.Merge(true, false, 3), store.mergePatient("B", "A", "HOSP"));
        assertEquals(0, itemsOf("A"));
        assertEquals(3, itemsOf("B"));
        assertEquals(3, count(ds, "SELECT COUNT(*) FROM scheduled_procedure_step"));
        assertEquals(1, count(ds, "SELECT COUNT(*) FROM patient WHERE patient_id = 'A' AND merged_into_fk IS NOT NULL"));
        assertEquals(1, count(ds, "SELECT COUNT(*) FROM patient WHERE patient_id = 'B' AND merged_into_fk IS NULL"));

        // unknown prior: nothing to do, reported
        assertFalse(store.mergePatient("B", "ZZZ", "HOSP").priorKnown());
        // unknown survivor: created from the prior's attributes with the new ID
        Results.Merge toNew = store.mergePatient("C", "B", "HOSP");
        assertTrue(toNew.survivorCreated());
        assertEquals(3, toNew.itemsMoved());
        assertEquals(3, itemsOf("C"));
        // items carry the survivor's demographics: C was made from B, whose name was DOE^J
        assertEquals("C", items("PL1").get(0).getString(Tag.PatientID));
        assertEquals("DOE^J", items("PL1").get(0).getString(Tag.PatientName));
    }

    @Test
    void aFailingUpsertWritesNothing() throws Exception {
        // the second step has no SPS Start Date (Type 1): fails after patient, procedure and first step were written
        Attributes bad = step("S2", "CT", null, null, "CT1");
        assertThrows(IllegalArgumentException.class, () -> store.upsertOrder(order(patient("P1", null, "DOE^JOHN"),
                procedure("PL1", "A1", null), step("S1", "CT", "20261122", "0800", "CT1"), bad)));
        assertEquals(0, count(ds, "SELECT COUNT(*) FROM patient"));
        assertEquals(0, count(ds, "SELECT COUNT(*) FROM requested_procedure"));
        assertEquals(0, count(ds, "SELECT COUNT(*) FROM scheduled_procedure_step"));
        assertEquals(0, count(ds, "SELECT COUNT(*) FROM step_station_ae"));

        // and a failing change leaves the previous version intact
        store.upsertOrder(order(patient("P1", null, "DOE^JOHN"), procedure("PL1", "A1", null),
                step("S1", "CT", "20261122", "0800", "CT1")));
        assertThrows(IllegalArgumentException.class, () -> store.upsertOrder(order(patient("P1", null, "DOE^JANE"),
                procedure("PL1", "A1", null), step("S1", "MR", "20261122", "0800", "CT1"), bad)));
        Attributes item = items("PL1").get(0);
        assertEquals("CT", sps(item).getString(Tag.Modality));
        assertEquals("DOE^JOHN", item.getString(Tag.PatientName));
        assertEquals(1, count(ds, "SELECT COUNT(*) FROM scheduled_procedure_step"));
    }

    @Test
    void stepStatusByStudyAndSpsId() throws Exception {
        String uid = store.upsertOrder(order(patient("P1", null, "DOE^JOHN"), procedure("PL1", "A1", null),
                step("S1", "CT", "20261122", "0800", "CT1"))).studyInstanceUid();
        store.upsertOrder(order(patient("P1", null, "DOE^JOHN"), procedure("PL2", "A2", null),
                step("S1", "CT", "20261122", "0800", "CT1")));
        assertEquals(1, store.updateStepStatus(uid, "S1", SpsStatus.STARTED));
        assertEquals(0, store.updateStepStatus(uid, "S9", SpsStatus.STARTED));
        assertEquals("STARTED", sps(items("PL1").get(0)).getString(Tag.ScheduledProcedureStepStatus));
        assertEquals("SCHEDULED", sps(items("PL2").get(0)).getString(Tag.ScheduledProcedureStepStatus));
    }

    @Test
    void purgeDeletesOldStepsThenOrphans() throws Exception {
        store.upsertOrder(order(patient("P1", null, "DOE^JOHN"), procedure("PL1", "A1", null),
                step("S1", "CT", "20200101", "0800", "CT1", "CT2")));
        store.upsertOrder(order(patient("P2", null, "ROE^JANE"), procedure("PL2", "A2", null),
                step("S2", "CT", "20991231", "0800", "CT1")));
        Results.Purge p = store.purgeScheduledBefore(LocalDateTime.now().plusSeconds(5));
        assertEquals(new Results.Purge(1, 1, 1), p);
        assertEquals(1, count(ds, "SELECT COUNT(*) FROM step_station_ae"));
        assertEquals(1, count(ds, "SELECT COUNT(*) FROM patient"));
    }

    @Test
    void loadNewOrdersWritesEveryStepInBatchesAndReusesKnownPatients() throws Exception {
        store.upsertOrder(order(patient("P1", null, "DOE^JOHN"), procedure("PL1", "A1", null),
                step("S1", "CT", "20261122", "0800", "CT1")));
        int n = store.loadNewOrders(List.of(
                order(patient("P1", null, "DOE^JOHNNY"), procedure("PL2", "A2", null),
                        step("S2", "CT", "20261122", "0900", "CT1", "CT2"), step("S3", "CT", "20261122", "1000", "CT1")),
                order(patient("P2", null, "ROE^JANE"), procedure("PL3", "A3", "1.2.3"),
                        step("S4", "MR", "20261123", "0800", "MR1")),
                order(patient("P2", null, "ROE^JANET"), procedure("PL4", "A4", null),
                        step("S5", "MR", "20261123", "0900", "MR1"))));
        assertEquals(4, n);
        assertEquals(2, count(ds, "SELECT COUNT(*) FROM patient"));
        assertEquals(4, count(ds, "SELECT COUNT(*) FROM requested_procedure"));
        assertEquals(6, count(ds, "SELECT COUNT(*) FROM step_station_ae")); // S1 CT1, S2 CT1+CT2, S3, S4, S5
        // each step row points at its own order, and its station AE rows at the step
        assertEquals(2, count(ds, "SELECT COUNT(*) FROM step_station_ae a JOIN scheduled_procedure_step s"
                + " ON s.id = a.step_fk JOIN requested_procedure r ON r.id = s.requested_procedure_fk"
                + " WHERE r.placer_order_number = 'PL2' AND s.sps_id = 'S2'"));
        List<Attributes> pl2 = items("PL2");
        assertEquals(List.of("S2", "S3"), pl2.stream().map(i -> sps(i).getString(Tag.ScheduledProcedureStepID))
                .toList());
        assertEquals("DOE^JOHNNY", pl2.get(0).getString(Tag.PatientName));
        assertEquals("1.2.3", items("PL3").get(0).getString(Tag.StudyInstanceUID));
        assertTrue(items("PL4").get(0).getString(Tag.StudyInstanceUID).startsWith("2.25."));
        // the patient row has the attributes of the last order naming it
        assertEquals(1, count(ds, "SELECT COUNT(*) FROM patient WHERE patient_id = 'P2'"
                + " AND patient_name = 'ROE^JANET'"));
        assertEquals(1, count(ds, "SELECT COUNT(*) FROM patient WHERE patient_id = 'P1'"
                + " AND patient_name = 'DOE^JOHNNY'"));
        // a constraint violation writes nothing
        assertThrows(java.sql.SQLException.class, () -> store.loadNewOrders(List.of(
                order(patient("P3", null, "NEW^ONE"), procedure("PL5", "A5", null),
                        step("S6", "CT", "20261122", "0800", "CT1")),
                order(patient("P4", null, "NEW^TWO"), procedure("PL6", "A6", "1.2.3"),
                        step("S7", "CT", "20261122", "0800", "CT1")))));
        assertEquals(2, count(ds, "SELECT COUNT(*) FROM patient"));
        assertEquals(5, count(ds, "SELECT COUNT(*) FROM scheduled_procedure_step"));
    }

    @Test
    void uidsAreUuidDerived() {
        String a = WorklistStore.newUid();
        assertNotEquals(a, WorklistStore.newUid());
        assertTrue(a.startsWith("2.25.") && a.length() <= 64);
    }
}
