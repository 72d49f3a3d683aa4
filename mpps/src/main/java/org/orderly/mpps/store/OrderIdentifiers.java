package org.orderly.mpps.store;

/**
 * An order as the RIS sent it, for the status message that must name it exactly (IHE RAD TF-2: the placer and filler
 * order numbers identify the order to the Order Placer): ORC-2 / ORC-3, the accession number, the patient ID and the
 * keys Orderly scheduled it with. For an unscheduled MPPS only what the modality sent is known (placer and filler are
 * then null unless the modality put them in the Scheduled Step Attributes Sequence).
 *
 * @param orderKey the key that orders status messages: {@code rp:<id>} of the requested procedure, or
 *                 {@code mpps:<uid>} for an unscheduled MPPS
 */
public record OrderIdentifiers(String orderKey, String placerOrderNumber, String fillerOrderNumber,
        String accessionNumber, String requestedProcedureId, String studyInstanceUid, String spsId,
        String patientId, String issuerOfPatientId, String sender, boolean scheduled) {
}
