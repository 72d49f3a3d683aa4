package org.orderly.hl7.status;

/**
 * What a status message says, in HL7 terms, already decided by the MPPS state table (ORC-1, ORC-5, OBR-25) and
 * identifying the order exactly as the RIS sent it. Values are plain text (escaped when written); null = empty.
 *
 * @param messageControlId MSH-10: fixed for the message's whole life, so that a resend carries the same ID and the
 *                         RIS can discard a repeat
 * @param timestamp        MSH-7 / ORC-9, HL7 TS ({@code yyyyMMddHHmmss})
 * @param patientName      PID-5 as XPN ({@code FAMILY^GIVEN^MIDDLE^PREFIX^SUFFIX}, from the DICOM PN)
 * @param procedureCode    OBR-4 as CE ({@code code^text^coding system}), may be null
 * @param startDateTime    OBR-7, HL7 TS, the Performed Procedure Step Start Date/Time
 * @param endDateTime      OBR-8, HL7 TS, the End Date/Time (final states)
 */
public record StatusUpdate(String messageControlId, String timestamp, String orderControl, String orderStatus,
        String resultStatus, String placerOrderNumber, String fillerOrderNumber, String accessionNumber,
        String requestedProcedureId, String studyInstanceUid, String spsId, String patientId, String issuerOfPatientId,
        String patientName, String modality, String procedureCode, String startDateTime, String endDateTime) {
}
