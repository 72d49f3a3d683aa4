package org.orderly.hl7.mapping;

import java.util.List;

/**
 * Return keys of the Modality Worklist Information Model that are Type 1 (must have a value):
 * PS3.4 Table K.6-1. IHE RAD TF-2 §4.5.4.1.2 (RAD-5) expects them from the DSS/Order Filler
 * too. An order missing one after mapping and generation is refused with AE instead of being
 * stored half-filled.
 *
 * <p>Accession Number is Type 2 in K.6-1 (it may be empty), so it is not here; generate it
 * with {@code generate:} when the RIS does not send one.
 */
final class Type1Keys {

    /** One required key, or a 1C pair of which at least one must have a value. */
    record Key(String section, List<String> anyOf) {
    }

    static final List<Key> ORDER_KEYS = List.of(
            new Key("patient", List.of("PatientName")),
            new Key("patient", List.of("PatientID")),
            new Key("order", List.of("RequestedProcedureID")),
            new Key("order", List.of("StudyInstanceUID")),
            // 1C: Requested Procedure Description or Requested Procedure Code Sequence (K.6-1)
            new Key("order", List.of("RequestedProcedureDescription", "RequestedProcedureCodeSequence.CodeValue")),
            new Key("step", List.of("ScheduledStationAETitle")),
            new Key("step", List.of("ScheduledProcedureStepStartDate")),
            new Key("step", List.of("ScheduledProcedureStepStartTime")),
            new Key("step", List.of("Modality")),
            new Key("step", List.of("ScheduledProcedureStepID")),
            // 1C: SPS Description or Scheduled Protocol Code Sequence (K.6-1)
            new Key("step", List.of("ScheduledProcedureStepDescription", "ScheduledProtocolCodeSequence.CodeValue")));

    private Type1Keys() {
    }
}
