package org.orderly.mwl.store;

import java.util.List;

/** Outcomes of the store's write operations. */
public final class Results {

    private Results() {
    }

    /**
     * @param created          true if the order was new
     * @param studyInstanceUid the Study Instance UID the items carry (kept from the first version of the order)
     * @param spsIds           SPS IDs of the order's current steps, in message order
     * @param stepsRetired     stored steps the new version no longer has, set to DISCONTINUED (never deleted)
     */
    public record Upsert(boolean created, String studyInstanceUid, List<String> spsIds, int stepsRetired) {
    }

    /**
     * @param patientKnown false: no such patient (the HL7 intake answers AE)
     * @param itemsUpdated open worklist items whose patient attributes were changed
     */
    public record PatientUpdate(boolean patientKnown, int itemsUpdated) {
    }

    /**
     * @param priorKnown      false: the prior patient is unknown (nothing to move)
     * @param survivorCreated true if the surviving patient did not exist and was created
     * @param itemsMoved      worklist items now under the surviving patient
     */
    public record Merge(boolean priorKnown, boolean survivorCreated, int itemsMoved) {
    }

    /** What one purge deleted. */
    public record Purge(int steps, int procedures, int patients) {
    }
}
