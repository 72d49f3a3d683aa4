package org.orderly.mpps;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orderly.dicom.data.Tag;

/**
 * The attribute requirements of the Modality Performed Procedure Step SOP Class, PS3.4 §F.7.2, Table F.7.2-1, as
 * data: the N-CREATE type (SCU/SCP) of each attribute, the attributes an N-SET may not change, and the final state
 * requirements (what must be present when the status becomes COMPLETED or DISCONTINUED). Type 3 attributes are
 * accepted and kept, never required. {@link MppsValidator} applies these lists.
 */
public final class MppsAttributeRules {

    private MppsAttributeRules() {
    }

    /** An attribute with its N-CREATE type: 1 = present with a value, 2 = present (may be empty). */
    public record Requirement(int tag, int createType) {
    }

    /** Top level, N-CREATE (Table F.7.2-1, column "N-CREATE SCU/SCP"). */
    public static final List<Requirement> CREATE = List.of(
            // Performed Procedure Step Relationship
            new Requirement(Tag.ScheduledStepAttributesSequence, 1),
            new Requirement(Tag.ReferencedPatientSequence, 2),
            new Requirement(Tag.PatientName, 2),
            new Requirement(Tag.PatientID, 2),
            new Requirement(Tag.PatientBirthDate, 2),
            new Requirement(Tag.PatientSex, 2),
            // Performed Procedure Step Information
            new Requirement(Tag.PerformedProcedureStepID, 1),
            new Requirement(Tag.PerformedStationAETitle, 1),
            new Requirement(Tag.PerformedStationName, 2),
            new Requirement(Tag.PerformedLocation, 2),
            new Requirement(Tag.PerformedProcedureStepStartDate, 1),
            new Requirement(Tag.PerformedProcedureStepStartTime, 1),
            new Requirement(Tag.PerformedProcedureStepStatus, 1),
            new Requirement(Tag.PerformedProcedureStepDescription, 2),
            new Requirement(Tag.PerformedProcedureTypeDescription, 2),
            new Requirement(Tag.ProcedureCodeSequence, 2),
            new Requirement(Tag.PerformedProcedureStepEndDate, 2),
            new Requirement(Tag.PerformedProcedureStepEndTime, 2),
            // Image Acquisition Results
            new Requirement(Tag.Modality, 1),
            new Requirement(Tag.StudyID, 2),
            new Requirement(Tag.PerformedProtocolCodeSequence, 2),
            new Requirement(Tag.PerformedSeriesSequence, 2));

    /** Each Scheduled Step Attributes Sequence item, N-CREATE. */
    public static final List<Requirement> SCHEDULED_STEP_ITEM = List.of(
            new Requirement(Tag.StudyInstanceUID, 1),
            new Requirement(Tag.ReferencedStudySequence, 2),
            new Requirement(Tag.AccessionNumber, 2),
            new Requirement(Tag.RequestedProcedureID, 2),
            new Requirement(Tag.RequestedProcedureDescription, 2),
            new Requirement(Tag.ScheduledProcedureStepID, 2),
            new Requirement(Tag.ScheduledProcedureStepDescription, 2),
            new Requirement(Tag.ScheduledProtocolCodeSequence, 2));

    /** Each Performed Series Sequence item, whenever the sequence has items (N-CREATE or N-SET). */
    public static final List<Requirement> PERFORMED_SERIES_ITEM = List.of(
            new Requirement(Tag.PerformingPhysicianName, 2),
            new Requirement(Tag.ProtocolName, 1),
            new Requirement(Tag.OperatorsName, 2),
            new Requirement(Tag.SeriesInstanceUID, 1),
            new Requirement(Tag.SeriesDescription, 2),
            new Requirement(Tag.RetrieveAETitle, 2),
            new Requirement(Tag.ReferencedImageSequence, 2),
            new Requirement(Tag.ReferencedNonImageCompositeSOPInstanceSequence, 2));

    /** Each item of a reference sequence (Referenced Patient / Study / Image / Non-Image Composite): 1/1. */
    public static final List<Requirement> REFERENCE_ITEM = List.of(
            new Requirement(Tag.ReferencedSOPClassUID, 1),
            new Requirement(Tag.ReferencedSOPInstanceUID, 1));

    /** A code item whose Code Meaning is Type 1 (Scheduled Protocol Code, Discontinuation Reason Code items). */
    public static final List<Requirement> CODE_ITEM_WITH_MEANING = List.of(new Requirement(Tag.CodeMeaning, 1));

    /**
     * Item requirements by sequence, wherever the sequence occurs in a request (N-CREATE or N-SET): the nested rows
     * of Table F.7.2-1 and the code item tables that follow it.
     */
    public static final Map<Integer, List<Requirement>> ITEMS = Map.of(
            Tag.ScheduledStepAttributesSequence, SCHEDULED_STEP_ITEM,
            Tag.PerformedSeriesSequence, PERFORMED_SERIES_ITEM,
            Tag.ReferencedPatientSequence, REFERENCE_ITEM,
            Tag.ReferencedStudySequence, REFERENCE_ITEM,
            Tag.ReferencedImageSequence, REFERENCE_ITEM,
            Tag.ReferencedNonImageCompositeSOPInstanceSequence, REFERENCE_ITEM,
            Tag.ScheduledProtocolCodeSequence, CODE_ITEM_WITH_MEANING,
            Tag.PerformedProcedureStepDiscontinuationReasonCodeSequence, CODE_ITEM_WITH_MEANING);

    /**
     * Code sequences: each item needs a Code Value, Long Code Value or URN Code Value (the three are Type 1C, one of
     * them required, PS3.3 Table 8.8-1).
     */
    public static final Set<Integer> CODE_SEQUENCES = Set.of(Tag.ProcedureCodeSequence,
            Tag.PerformedProtocolCodeSequence, Tag.ScheduledProtocolCodeSequence,
            Tag.PerformedProcedureStepDiscontinuationReasonCodeSequence);

    /**
     * Attributes whose N-SET column is "Not allowed": set at N-CREATE, never changed. SOP Class / Instance UID are
     * not in the table: they name the instance (PS3.7 §10.1.3) and are Orderly's addition.
     */
    public static final List<Integer> NOT_SETTABLE = List.of(
            Tag.ScheduledStepAttributesSequence, Tag.ReferencedPatientSequence, Tag.PatientName, Tag.PatientID,
            Tag.IssuerOfPatientID, Tag.IssuerOfPatientIDQualifiersSequence, Tag.OtherPatientIDsSequence,
            Tag.PatientBirthDate, Tag.PatientSex, Tag.AdmissionID, Tag.IssuerOfAdmissionIDSequence,
            Tag.ServiceEpisodeID, Tag.IssuerOfServiceEpisodeIDSequence, Tag.ServiceEpisodeDescription,
            Tag.PerformedProcedureStepID, Tag.PerformedStationAETitle, Tag.PerformedStationName, Tag.PerformedLocation,
            Tag.PerformedProcedureStepStartDate, Tag.PerformedProcedureStepStartTime, Tag.Modality, Tag.StudyID,
            Tag.SOPClassUID, Tag.SOPInstanceUID);

    /**
     * Final state requirements (Table F.7.2-1 "Final State" column, PS3.4 §F.7.2.2): with a value when the status
     * becomes COMPLETED or DISCONTINUED.
     */
    public static final List<Integer> FINAL_STATE = List.of(
            Tag.PerformedProcedureStepEndDate, Tag.PerformedProcedureStepEndTime);

    /**
     * A final state also needs at least one Performed Series Sequence item: "may not be empty (zero length) at the
     * time that the Performed Procedure Step Status is N-SET to a value of COMPLETED or DISCONTINUED" (Table
     * F.7.2-1, note 2). A DISCONTINUED step that made no images still names the series it had started.
     */
    public static final int FINAL_NEEDS_ITEMS = Tag.PerformedSeriesSequence;
}
