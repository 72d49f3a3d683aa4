package org.orderly.mwl.testing;

import java.util.List;
import java.util.Set;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;
import org.orderly.mwl.model.Patient;
import org.orderly.mwl.model.RequestedProcedure;
import org.orderly.mwl.model.ScheduledProcedureStep;
import org.orderly.mwl.model.WorklistOrder;

/** Builders for orders as the HL7 intake would build them. */
public final class Fixtures {
    public static final String SENDER = "RIS^HOSP";

    private Fixtures() {
    }

    public static Attributes patient(String id, String issuer, String name) {
        Attributes a = new Attributes();
        a.setString(Tag.PatientName, VR.PN, name);
        a.setString(Tag.PatientID, VR.LO, id);
        if (issuer != null) {
            a.setString(Tag.IssuerOfPatientID, VR.LO, issuer);
        }
        a.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        a.setString(Tag.PatientSex, VR.CS, "M");
        return a;
    }

    public static Attributes utf8Patient(String id, String name) {
        Attributes a = new Attributes();
        a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        a.setString(Tag.PatientName, VR.PN, name);
        a.setString(Tag.PatientID, VR.LO, id);
        return a;
    }

    public static Attributes procedure(String placer, String accession, String studyUid) {
        Attributes a = new Attributes();
        if (accession != null) {
            a.setString(Tag.AccessionNumber, VR.SH, accession);
        }
        if (studyUid != null) {
            a.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        }
        a.setString(Tag.RequestedProcedureDescription, VR.LO, "CT HEAD");
        a.setString(Tag.RequestedProcedureID, VR.SH, "RP" + (accession == null ? placer : accession));
        if (placer != null) {
            a.setString(Tag.PlacerOrderNumberImagingServiceRequest, VR.LO, placer);
        }
        return a;
    }

    /** A step; {@code aes} may hold several station AE titles. */
    public static Attributes step(String spsId, String modality, String date, String time, String... aes) {
        Attributes a = new Attributes();
        a.setString(Tag.Modality, VR.CS, modality);
        if (aes.length > 0) {
            a.setString(Tag.ScheduledStationAETitle, VR.AE, aes);
        }
        if (date != null) {
            a.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, date);
        }
        if (time != null) {
            a.setString(Tag.ScheduledProcedureStepStartTime, VR.TM, time);
        }
        a.setString(Tag.ScheduledPerformingPhysicianName, VR.PN, "HOUSE^GREGORY");
        a.setString(Tag.ScheduledProcedureStepDescription, VR.LO, "scan");
        a.setString(Tag.ScheduledProcedureStepID, VR.SH, spsId);
        return a;
    }

    public static WorklistOrder order(Attributes patient, Attributes procedure, Attributes... steps) {
        return order(Set.of(), patient, procedure, steps);
    }

    public static WorklistOrder order(Set<Integer> generated, Attributes patient, Attributes procedure,
            Attributes... steps) {
        return new WorklistOrder(new Patient(patient), new RequestedProcedure(SENDER, procedure),
                List.of(steps).stream().map(ScheduledProcedureStep::new).toList(), generated);
    }
}
