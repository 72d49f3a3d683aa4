package org.orderly.mwl.model;

import java.util.Objects;

/**
 * Patient ID (0010,0020) qualified by Issuer of Patient ID (0010,0021), "" when there is none.
 */
public record PatientKey(String patientId, String issuer) {

    public PatientKey {
        Objects.requireNonNull(patientId, "patientId");
        if (patientId.isBlank()) {
            throw new IllegalArgumentException("empty Patient ID");
        }
        issuer = issuer == null ? "" : issuer;
    }
}
