package org.orderly.hl7.mapping;

import java.util.Map;

/**
 * An ADT^A40 merge: the worklist items of the prior patient (MRG-1) move to the surviving
 * patient (PID-3). Applying it twice, or after the reverse merge, must change nothing more:
 * that idempotence is the store's job.
 *
 * @param surviving the surviving patient's attributes (mapping section {@code patient:})
 * @param prior     the prior patient's identifiers (mapping section {@code merge:}): PatientID,
 *                  IssuerOfPatientID
 */
public record MappedMerge(Map<String, String> surviving, Map<String, String> prior) {

    public MappedMerge {
        surviving = Map.copyOf(surviving);
        prior = Map.copyOf(prior);
    }

    public String survivingPatientId() {
        return surviving.getOrDefault("PatientID", "");
    }

    public String priorPatientId() {
        return prior.getOrDefault("PatientID", "");
    }
}
