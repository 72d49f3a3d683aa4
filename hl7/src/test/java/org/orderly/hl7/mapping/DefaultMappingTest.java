package org.orderly.hl7.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderly.hl7.Msg;
import org.orderly.hl7.ParsedMessage;
import org.orderly.hl7.Samples;
import org.orderly.hl7.ack.ErrorCode;
import org.orderly.hl7.ack.Hl7Error;

/** Every order sample through hl7-mappings/default.yaml, DICOM values asserted. */
class DefaultMappingTest {

    private static MappingSet mappings;
    private final OrderMapper mapper = new OrderMapper(IdGenerator.inMemory());

    @BeforeAll
    static void load() throws Exception {
        mappings = MappingLoader.loadDirectory(Samples.MAPPINGS);
    }

    private List<MappedOrder> orders(String sample) throws MappingRejectedException {
        ParsedMessage m = Samples.parse(sample);
        return mapper.mapOrders(m, mappings.base());
    }

    @Test
    void v23SeveralObrsAfterOneOrcBecomeSeveralRequestedProcedures() throws Exception {
        List<MappedOrder> o = orders("01-orm-o01-v23-multi-obr.hl7");
        assertEquals(2, o.size());
        MappedOrder head = o.get(0);
        assertEquals(OrderAction.NEW, head.action());
        assertEquals("NW", head.orderControl());
        assertEquals("NGP5001", head.placerOrderNumber());
        assertEquals("NGF5001", head.fillerOrderNumber());
        assertEquals("DOE^JANE^Q", head.patient().get("PatientName"));
        assertEquals("NG100234", head.patient().get("PatientID"));
        assertEquals("NORTHGATE", head.patient().get("IssuerOfPatientID"));
        assertEquals("19750612", head.patient().get("PatientBirthDate"));
        assertEquals("F", head.patient().get("PatientSex"));
        assertEquals("NGA5001", head.get("AccessionNumber"));
        assertEquals("NGR5001", head.get("RequestedProcedureID"));
        assertEquals("CT Head without contrast", head.get("RequestedProcedureDescription"));
        assertEquals("CTHEAD", head.get("RequestedProcedureCodeSequence.CodeValue"));
        assertEquals("ROUTINE", head.get("RequestedProcedurePriority"));
        assertEquals("SMITH^ROBERT^A^DR", head.get("ReferringPhysicianName"));
        assertEquals("SMITH^ROBERT^A^DR", head.get("RequestingPhysician"));
        assertEquals("Headache, rule out bleed", head.get("ReasonForTheRequestedProcedure"));
        assertEquals("NORTHGATE", head.get("WorklistLabel"));
        assertEquals(1, head.steps().size());
        assertEquals("NGS5001", head.step(0, "ScheduledProcedureStepID"));
        assertEquals("CT", head.step(0, "Modality"));
        assertEquals("20240315", head.step(0, "ScheduledProcedureStepStartDate"));
        assertEquals("093000", head.step(0, "ScheduledProcedureStepStartTime"));
        assertEquals("CT_1", head.step(0, "ScheduledStationAETitle"));
        assertEquals("SCHEDULED", head.step(0, "ScheduledProcedureStepStatus"));
        // no ZDS: the Study Instance UID is generated (2.25 form) and reported as generated
        assertTrue(head.get("StudyInstanceUID").startsWith("2.25."), head.get("StudyInstanceUID"));
        assertEquals(java.util.Set.of("StudyInstanceUID"), head.generated());

        MappedOrder chest = o.get(1);
        assertEquals("NGA5002", chest.get("AccessionNumber"));
        // the ORC is repeated for the second OBR, but the procedure is named by its own OBR-2 / OBR-3
        assertEquals("NGP5002", chest.placerOrderNumber());
        assertEquals("NGF5002", chest.fillerOrderNumber());
        assertEquals("NGP5002", chest.get("PlacerOrderNumberImagingServiceRequest"));
        assertEquals("NGS5002", chest.step(0, "ScheduledProcedureStepID"));
        assertEquals("100000", chest.step(0, "ScheduledProcedureStepStartTime"));
        assertFalse(chest.get("StudyInstanceUID").equals(head.get("StudyInstanceUID")));
    }

    @Test
    void twoRequestedProceduresUnderOnePlacerOrderNumberAreRefusedNotMerged() throws Exception {
        // sample 01 with the second OBR-2 / OBR-3 empty: the repeated ORC-2 names the first procedure
        String msg = new String(Samples.bytes("01-orm-o01-v23-multi-obr.hl7"), java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("OBR|2|NGP5002|NGF5002|", "OBR|2|||");
        MappingRejectedException e = assertThrows(MappingRejectedException.class,
                () -> mapper.mapOrders(new org.orderly.hl7.Hl7Parser().parse(msg.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)),
                        mappings.base()));
        assertEquals(ErrorCode.DUPLICATE_KEY_IDENTIFIER, e.errors().get(0).code());
        assertTrue(e.errors().get(0).text().contains("order groups 1 and 2"), e.errors().get(0).text());
    }

    @Test
    void ihe231TwoOrcObrPairsOfOneRequestedProcedureBecomeTwoSteps() throws Exception {
        List<MappedOrder> o = orders("02-orm-o01-v231-ihe-zds-lf.hl7");
        assertEquals(1, o.size());
        MappedOrder rp = o.get(0);
        assertEquals("1.2.826.0.1.3680043.9.7433.1.20240315.1", rp.get("StudyInstanceUID"));   // ZDS-1
        assertTrue(rp.generated().isEmpty());
        assertEquals("ESA0201", rp.get("AccessionNumber"));
        assertEquals("ESR0201", rp.get("RequestedProcedureID"));
        assertEquals("ESP0201", rp.get("PlacerOrderNumberImagingServiceRequest"));
        assertEquals("MR Brain", rp.get("RequestedProcedureDescription"));                    // OBR-44.2
        assertEquals("STAT", rp.get("RequestedProcedurePriority"));                            // ORC-7.6 S
        assertEquals("NGUYEN^ANH^^DR", rp.get("ReferringPhysicianName"));
        assertEquals("WALK", rp.get("PatientTransportArrangements"));
        assertEquals("ROE^RICHARD^^MR^JR", rp.patient().get("PatientName"));                   // XPN prefix/suffix swapped into PN order
        assertEquals("Iodinated contrast media", rp.patient().get("Allergies"));
        assertEquals("Claustrophobic", rp.patient().get("MedicalAlerts"));
        assertEquals("ES-V-8812", rp.patient().get("AdmissionID"));
        assertEquals("W3", rp.patient().get("CurrentPatientLocation"));
        assertEquals(2, rp.steps().size());
        assertEquals("ESS0201A", rp.step(0, "ScheduledProcedureStepID"));
        assertEquals("ESS0201B", rp.step(1, "ScheduledProcedureStepID"));
        assertEquals("080000", rp.step(0, "ScheduledProcedureStepStartTime"));
        assertEquals("083000", rp.step(1, "ScheduledProcedureStepStartTime"));
        assertEquals("MR Brain T1 series", rp.step(0, "ScheduledProcedureStepDescription"));   // OBR-4.5
        assertEquals("MRBR-T1", rp.step(0, "ScheduledProtocolCodeSequence.CodeValue"));        // OBR-4.4
        assertEquals("KOWALSKI^ANNA", rp.step(0, "ScheduledPerformingPhysicianName"));         // OBR-34 NDL
        assertEquals("MR_1", rp.step(1, "ScheduledStationAETitle"));
    }

    @Test
    void v24Table0074CodeAndPregnancy() throws Exception {
        MappedOrder o = orders("03-orm-o01-v24-crlf.hl7").get(0);
        assertEquals("US", o.step(0, "Modality"));                 // RUS -> US
        assertEquals("113000", o.step(0, "ScheduledProcedureStepStartTime"));
        assertEquals("HIGH", o.get("RequestedProcedurePriority")); // A
        assertEquals("3", o.patient().get("PregnancyStatus"));     // PV1-15 B6
        assertEquals("TESTER^MARIA", o.patient().get("PatientName"));
    }

    @Test
    void v251OmiWithIpcMapsEveryIpcToAStep() throws Exception {
        List<MappedOrder> o = orders("04-omi-o23-v251-ipc.hl7");
        assertEquals(1, o.size());
        MappedOrder rp = o.get(0);
        assertEquals("RBA401", rp.get("AccessionNumber"));                                // IPC-1
        assertEquals("RBR401", rp.get("RequestedProcedureID"));                           // IPC-2
        assertEquals("1.2.826.0.1.3680043.9.7433.2.401", rp.get("StudyInstanceUID"));      // IPC-3
        assertEquals("MUSTERMANN^ERIKA^^DR", rp.patient().get("PatientName"));
        assertEquals("ROUTINE", rp.get("RequestedProcedurePriority"));                    // TQ1-9
        assertEquals(2, rp.steps().size());
        assertEquals("RBS401-1", rp.step(0, "ScheduledProcedureStepID"));                 // IPC-4
        assertEquals("CT", rp.step(0, "Modality"));                                       // IPC-5
        assertEquals("PETCT1", rp.step(0, "ScheduledStationName"));                       // IPC-7
        assertEquals("NUC", rp.step(0, "ScheduledProcedureStepLocation"));                // IPC-8
        assertEquals("PETCT_CT", rp.step(0, "ScheduledStationAETitle"));                  // IPC-9
        assertEquals("LOWDOSE", rp.step(0, "ScheduledProtocolCodeSequence.CodeValue"));   // IPC-6
        assertEquals("RBS401-2", rp.step(1, "ScheduledProcedureStepID"));
        assertEquals("PT", rp.step(1, "Modality"));
        assertEquals("PETCT_PT", rp.step(1, "ScheduledStationAETitle"));
        assertEquals("20240318", rp.step(1, "ScheduledProcedureStepStartDate"));           // TQ1-7
        assertEquals("133000", rp.step(1, "ScheduledProcedureStepStartTime"));
    }

    @Test
    void latin1AndUtf8Names() throws Exception {
        MappedOrder de = orders("05-orm-o01-v231-latin1.hl7").get(0);
        assertEquals("Müller^Jürgen^Björn", de.patient().get("PatientName"));
        assertEquals("Größe^Käthe^^Dr.", de.get("ReferringPhysicianName"));
        assertEquals("Verdacht auf Pneumonie, Fieber über 39 °C", de.get("ReasonForTheRequestedProcedure"));
        MappedOrder gr = orders("06-omi-o23-v251-utf8-greek.hl7").get(0);
        assertEquals("Παπαδοπούλου^Ελένη", gr.patient().get("PatientName"));
        assertEquals("Μαγνητική τομογραφία γόνατος", gr.get("RequestedProcedureDescription"));
        assertEquals("STAT", gr.get("RequestedProcedurePriority"));
        assertEquals("093000", gr.step(0, "ScheduledProcedureStepStartTime"));
        assertEquals("MR_ATH2", gr.step(0, "ScheduledStationAETitle"));
    }

    @Test
    void escapesAreDecodedAndMadeValidForTheVr() throws Exception {
        MappedOrder o = orders("07-orm-o01-v231-escapes.hl7").get(0);
        assertEquals("O'BRIEN^MARY&ANN", o.patient().get("PatientName"));
        // LO: '|' and '^' kept, no control characters
        assertEquals("X-ray hand L|R ^ 2 views", o.get("RequestedProcedureDescription"));
        // LT keeps the line break and the backslashes
        assertEquals("Fall on ice~left wrist pain\r\npath C:\\scans\\701", o.get("RequestedProcedureComments"));
        assertEquals("DX_1", o.step(0, "ScheduledStationAETitle"));
    }

    @Test
    void cancelChangeAndDiscontinue() throws Exception {
        MappedOrder ca = orders("08-orm-o01-v231-cancel.hl7").get(0);
        assertEquals(OrderAction.CANCEL, ca.action());
        assertEquals("NGP5002", ca.placerOrderNumber());
        assertEquals("NGA5002", ca.get("AccessionNumber"));
        assertTrue(ca.generated().isEmpty(), "nothing is generated for a cancel");

        MappedOrder xo = orders("09-orm-o01-v231-change.hl7").get(0);
        assertEquals(OrderAction.CHANGE, xo.action());
        assertEquals("140000", xo.step(0, "ScheduledProcedureStepStartTime"));
        assertEquals("HIGH", xo.get("RequestedProcedurePriority"));

        MappedOrder dc = orders("10-orm-o01-v231-discontinue.hl7").get(0);
        assertEquals(OrderAction.DISCONTINUE, dc.action());
        assertEquals("ESR0201", dc.get("RequestedProcedureID"));
        assertTrue(dc.generated().isEmpty(), "nothing is generated for a discontinue");
    }

    @Test
    void zSegmentDialectWithModalityFromProcedureCode() throws Exception {
        MappedOrder o = orders("14-orm-o01-v231-zsegments.hl7").get(0);
        assertEquals("CR", o.step(0, "Modality"));                 // XCHEST via procedure-modality
        assertEquals("CR_1", o.step(0, "ScheduledStationAETitle"));
        assertEquals("1.2.826.0.1.3680043.9.7433.4.1401", o.get("StudyInstanceUID"));
        assertEquals("O", o.patient().get("PatientSex"));          // U -> O
        assertEquals("STAT", o.get("RequestedProcedurePriority"));
    }

    @Test
    void adtA08MapsThePatient() throws Exception {
        MappedPatient p = mapper.mapPatient(Samples.parse("11-adt-a08-v231.hl7"), mappings.base());
        assertEquals("NG100234", p.patientId());
        assertEquals("NORTHGATE", p.issuerOfPatientId());
        assertEquals("DOE-SMITH^JANE^Q", p.attributes().get("PatientName"));
        assertEquals("19750613", p.attributes().get("PatientBirthDate"));
    }

    @Test
    void adtA40MapsSurvivingAndPriorPatient() throws Exception {
        MappedMerge m = mapper.mapMerge(Samples.parse("12-adt-a40-v231.hl7"), mappings.base());
        assertEquals("NG100234", m.survivingPatientId());
        assertEquals("NG100999", m.priorPatientId());
        assertEquals("NORTHGATE", m.prior().get("IssuerOfPatientID"));
    }

    @Test
    void missingGeneratedIdsAreGeneratedFromPatterns() throws Exception {
        ParsedMessage m = Msg.msh("ORM^O01", "C1", "2.3.1").seg("PID", 1, "1", 3, "P1^^^F", 5, "DOE^J")
                .seg("ORC", 1, "NW", 2, "PL1").seg("OBR", 1, "1", 2, "PL1", 4, "CTHEAD^CT Head^L", 27, "^^^20240101101500").parse();
        MappedOrder o = mapper.mapOrders(m, mappings.base()).get(0);
        assertEquals("A000000001", o.get("AccessionNumber"));
        assertEquals("A000000001", o.get("RequestedProcedureID"));
        assertEquals("A000000001-1", o.step(0, "ScheduledProcedureStepID"));
        assertEquals("CT", o.step(0, "Modality"));
        assertEquals(java.util.Set.of("AccessionNumber", "RequestedProcedureID", "StudyInstanceUID", "ScheduledProcedureStepID"),
                o.generated());
    }

    @Test
    void type1KeyMissingIsRefusedNamingAttributeAndHl7Field() throws Exception {
        // Unknown procedure code, no OBR-24: Modality and hence the Station AE Title stay empty.
        ParsedMessage msg = Msg.msh("ORM^O01", "C2", "2.3.1").seg("PID", 1, "1", 3, "P1^^^F", 5, "DOE^J")
                .seg("ORC", 1, "NW", 2, "PL1")
                .seg("OBR", 1, "1", 2, "PL1", 4, "ZZUNKNOWN^Something^L", 18, "ACC1", 19, "RP1", 20, "SPS1", 27, "^^^20240101101500").parse();
        MappingRejectedException e = assertThrows(MappingRejectedException.class, () -> mapper.mapOrders(msg, mappings.base()));
        Hl7Error modality = e.errors().stream().filter(x -> x.text().contains("ScheduledProcedureStepSequence.Modality")).findFirst().orElseThrow();
        assertEquals(ErrorCode.REQUIRED_FIELD_MISSING, modality.code());
        assertTrue(modality.text().contains("(0008,0060)"), modality.text());
        assertTrue(modality.text().contains("mapped from IPC-5-1"), modality.text());
        assertEquals("IPC", modality.location().segmentId());
        assertTrue(e.errors().stream().anyMatch(x -> x.text().contains("ScheduledStationAETitle (0040,0001)")), e.getMessage());
        assertEquals(2, e.errors().size(), e.getMessage());
    }

    @Test
    void missingStartTimeIsRefusedWithErrLocationOfTheSourceField() throws Exception {
        ParsedMessage msg = Msg.msh("ORM^O01", "C3", "2.3.1").seg("PID", 1, "1", 3, "P1^^^F", 5, "DOE^J")
                .seg("ORC", 1, "NW", 2, "PL1")
                .seg("OBR", 1, "1", 2, "PL1", 4, "CTHEAD^CT Head^L", 18, "ACC1", 19, "RP1", 20, "SPS1", 24, "CT").parse();
        MappingRejectedException e = assertThrows(MappingRejectedException.class, () -> mapper.mapOrders(msg, mappings.base()));
        Hl7Error date = e.errors().get(0);
        assertTrue(date.text().contains("ScheduledProcedureStepSequence.ScheduledProcedureStepStartDate (0040,0002)"), date.text());
        assertTrue(date.text().contains("mapped from TQ1-7"), date.text());
    }

    @Test
    void unknownOrderControlIsRefusedWith103AtOrc1() throws Exception {
        String msg = "MSH|^~\\&|R|F|O|I|20240101||ORM^O01|C4|P|2.3.1\rPID|1||P1||DOE^J\rORC|ZZ|PL1\rOBR|1|PL1\r";
        MappingRejectedException e = assertThrows(MappingRejectedException.class,
                () -> mapper.mapOrders(new org.orderly.hl7.Hl7Parser().parse(msg), mappings.base()));
        assertEquals(ErrorCode.TABLE_VALUE_NOT_FOUND, e.errors().get(0).code());
        assertEquals("ORC-1", e.errors().get(0).location().path());
    }

    @Test
    void adtWithoutPatientIdIsRefused() throws Exception {
        String msg = "MSH|^~\\&|R|F|O|I|20240101||ADT^A08|C5|P|2.3.1\rEVN|A08\rPID|1||||DOE^J\r";
        MappingRejectedException e = assertThrows(MappingRejectedException.class,
                () -> mapper.mapPatient(new org.orderly.hl7.Hl7Parser().parse(msg), mappings.base()));
        assertEquals("PID-3-1", e.errors().get(0).location().path());
    }
}
