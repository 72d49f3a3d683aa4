package org.orderly.hl7.mapping;

import java.util.Map;

/**
 * Patient attributes of an ADT^A08 / ADT^A31 update: the store applies them to the open
 * worklist items of the patient with this PatientID (and IssuerOfPatientID, when present).
 */
public record MappedPatient(Map<String, String> attributes) {

    public MappedPatient {
        attributes = Map.copyOf(attributes);
    }

    public String patientId() {
        return attributes.getOrDefault("PatientID", "");
    }

    public String issuerOfPatientId() {
        return attributes.getOrDefault("IssuerOfPatientID", "");
    }
}
