package org.orderly.mwl.model;

import java.util.Objects;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;

/**
 * A patient: the Patient Identification, Demographic and Medical modules of a worklist item
 * (PS3.4 Table K.6-1, patient rows). Identified by Patient ID (0010,0020) within Issuer of Patient ID
 * (0010,0021); an absent issuer is the empty string.
 *
 * @param attributes every patient-level attribute, as the item carries it (not copied: do not modify)
 */
public record Patient(Attributes attributes) {

    public Patient {
        Objects.requireNonNull(attributes, "attributes");
        if (attributes.getString(Tag.PatientID) == null) {
            throw new IllegalArgumentException("Patient ID (0010,0020) is required");
        }
    }

    public String patientId() {
        return attributes.getString(Tag.PatientID);
    }

    /** Issuer of Patient ID, "" when absent. */
    public String issuer() {
        String s = attributes.getString(Tag.IssuerOfPatientID);
        return s == null ? "" : s;
    }

    /** Patient's Name as one string (all component groups), or null. */
    public String name() {
        String[] s = attributes.getStrings(Tag.PatientName);
        return s.length == 0 || s[0].isEmpty() ? null : s[0];
    }

    public PatientKey key() {
        return new PatientKey(patientId(), issuer());
    }
}
