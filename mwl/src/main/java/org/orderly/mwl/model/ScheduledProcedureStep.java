package org.orderly.mwl.model;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;

/**
 * One Scheduled Procedure Step: the attributes of the item of the Scheduled Procedure Step Sequence
 * (0040,0100) (PS3.3 §C.4.10, Table C.4-10; PS3.4 Table K.6-1).
 *
 * @param attributes the sequence item (not copied: do not modify)
 */
public record ScheduledProcedureStep(Attributes attributes) {

    public ScheduledProcedureStep {
        Objects.requireNonNull(attributes, "attributes");
    }

    /** Scheduled Procedure Step ID (0040,0009), or null. */
    public String spsId() {
        return attributes.getString(Tag.ScheduledProcedureStepID);
    }

    /** Scheduled Procedure Step Status (0040,0020); SCHEDULED when absent. */
    public SpsStatus status() {
        return SpsStatus.of(attributes.getString(Tag.ScheduledProcedureStepStatus));
    }

    /**
     * Scheduled Procedure Step Start Date (0040,0002) + Time (0040,0003), local time (DA/TM carry no offset).
     *
     * @throws IllegalArgumentException if the date is absent or malformed (it is Type 1, PS3.4 Table K.6-1)
     */
    public LocalDateTime start() {
        String date = attributes.getString(Tag.ScheduledProcedureStepStartDate);
        if (date == null) {
            throw new IllegalArgumentException("Scheduled Procedure Step Start Date (0040,0002) is required");
        }
        return DicomDateTime.parseDateTime(date, attributes.getString(Tag.ScheduledProcedureStepStartTime));
    }

    /** Modality (0008,0060), or null. */
    public String modality() {
        return attributes.getString(Tag.Modality);
    }

    /** Scheduled Station AE Title (0040,0001), every value (VM 1-n), empty values dropped. */
    public List<String> stationAeTitles() {
        return List.of(attributes.getStrings(Tag.ScheduledStationAETitle)).stream()
                .filter(s -> !s.isEmpty()).distinct().toList();
    }

    public String stationName() {
        return attributes.getString(Tag.ScheduledStationName);
    }

    public String location() {
        return attributes.getString(Tag.ScheduledProcedureStepLocation);
    }

    /** Scheduled Performing Physician's Name (0040,0006), or null. */
    public String performingPhysician() {
        String[] s = attributes.getStrings(Tag.ScheduledPerformingPhysicianName);
        return s.length == 0 || s[0].isEmpty() ? null : s[0];
    }
}
