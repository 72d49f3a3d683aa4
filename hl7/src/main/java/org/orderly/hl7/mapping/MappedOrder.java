package org.orderly.hl7.mapping;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One requested procedure mapped from an order group, with its scheduled procedure steps.
 * Attribute maps are DICOM keyword paths to DICOM string values (multi-valued strings use the
 * {@code \} delimiter; nested sequence attributes as {@code Sequence.Keyword}, one item).
 *
 * @param orderControl       ORC-1 as sent, e.g. "NW"
 * @param action             what the store should do
 * @param placerOrderNumber  ORC-2.1 / OBR-2.1
 * @param fillerOrderNumber  ORC-3.1 / OBR-3.1
 * @param patient            patient-level attributes (PatientName, PatientID, ...)
 * @param requestedProcedure imaging service request and requested procedure attributes
 *                           (AccessionNumber, RequestedProcedureID, StudyInstanceUID, WorklistLabel, ...)
 * @param steps              attributes of each Scheduled Procedure Step Sequence item
 *                           (Modality, ScheduledProcedureStepID, ...), keyword paths relative to the item
 * @param generated          keywords whose value was generated, not received
 *                           ("AccessionNumber", "RequestedProcedureID", "StudyInstanceUID",
 *                           "ScheduledProcedureStepID"): on a later update of the same order the
 *                           store keeps the value it stored first
 */
public record MappedOrder(String orderControl, OrderAction action, String placerOrderNumber, String fillerOrderNumber,
                          Map<String, String> patient, Map<String, String> requestedProcedure,
                          List<Map<String, String>> steps, Set<String> generated) {

    public MappedOrder {
        patient = Map.copyOf(patient);
        requestedProcedure = Map.copyOf(requestedProcedure);
        steps = steps.stream().map(Map::copyOf).toList();
        generated = Set.copyOf(generated);
    }

    /** A requested procedure attribute, "" when absent. */
    public String get(String keyword) {
        return requestedProcedure.getOrDefault(keyword, "");
    }

    /** An attribute of step {@code index} (0-based), "" when absent. */
    public String step(int index, String keyword) {
        return steps.get(index).getOrDefault(keyword, "");
    }
}
