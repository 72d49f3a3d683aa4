package org.orderly.hl7.ack;

/**
 * HL7 Table 0357 - Message error condition codes (HL7 v2.5.1 §2.15.5.3), used in ERR-3 (v2.5+)
 * and ERR-1.4 (v2.3 to v2.4).
 */
public enum ErrorCode {
    MESSAGE_ACCEPTED(0, "Message accepted"),
    SEGMENT_SEQUENCE_ERROR(100, "Segment sequence error"),
    REQUIRED_FIELD_MISSING(101, "Required field missing"),
    DATA_TYPE_ERROR(102, "Data type error"),
    TABLE_VALUE_NOT_FOUND(103, "Table value not found"),
    UNSUPPORTED_MESSAGE_TYPE(200, "Unsupported message type"),
    UNSUPPORTED_EVENT_CODE(201, "Unsupported event code"),
    UNSUPPORTED_PROCESSING_ID(202, "Unsupported processing id"),
    UNSUPPORTED_VERSION_ID(203, "Unsupported version id"),
    UNKNOWN_KEY_IDENTIFIER(204, "Unknown key identifier"),
    DUPLICATE_KEY_IDENTIFIER(205, "Duplicate key identifier"),
    APPLICATION_RECORD_LOCKED(206, "Application record locked"),
    APPLICATION_INTERNAL_ERROR(207, "Application internal error");

    private final int code;
    private final String text;

    ErrorCode(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    /** The table's description, e.g. "Required field missing". */
    public String text() {
        return text;
    }
}
