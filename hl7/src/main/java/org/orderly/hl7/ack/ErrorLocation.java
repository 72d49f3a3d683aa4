package org.orderly.hl7.ack;

/**
 * Where an error is: HL7 v2.5.1 data type ERL (ERR-2), or the location part of ELD (ERR-1 in
 * v2.3 to v2.4). Positions are 1-based; 0 means "not specified".
 *
 * @param segmentId   e.g. "OBR"
 * @param sequence    occurrence of that segment in the message, 1-based
 * @param field       field position
 * @param repetition  field repetition, 1-based
 * @param component   component number
 * @param subcomponent sub-component number
 */
public record ErrorLocation(String segmentId, int sequence, int field, int repetition, int component, int subcomponent) {

    public static ErrorLocation segment(String segmentId, int sequence) {
        return new ErrorLocation(segmentId, sequence, 0, 0, 0, 0);
    }

    public static ErrorLocation field(String segmentId, int sequence, int field) {
        return new ErrorLocation(segmentId, sequence, field, 1, 0, 0);
    }

    /** "OBR-18" style, for messages to admins. */
    public String path() {
        StringBuilder sb = new StringBuilder(segmentId);
        if (field > 0) {
            sb.append('-').append(field);
            if (component > 0) {
                sb.append('-').append(component);
                if (subcomponent > 0) {
                    sb.append('-').append(subcomponent);
                }
            }
        }
        return sb.toString();
    }
}
