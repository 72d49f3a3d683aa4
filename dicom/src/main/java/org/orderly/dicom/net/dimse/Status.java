package org.orderly.dicom.net.dimse;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A DIMSE status value (0000,0900): the code, its category and the standard's description.
 * PS3.7 Annex C (Status Type Encoding) defines the general codes and the ranges; the service-specific codes come
 * from PS3.4 (e.g. PS3.4 §B.2.3, Table B.2-1 for Storage; PS3.4 §C.4.1.1.4, Table C.4-1 for C-FIND; PS3.4 §K.4.1.1.4
 * for Modality Worklist). Values are immutable; codes not listed here are classified by {@link #of(int)} from the
 * ranges of PS3.7 Annex C.
 */
public final class Status {

    /** PS3.7 Annex C categories. */
    public enum Category { SUCCESS, WARNING, FAILURE, CANCEL, PENDING }

    private static final Map<Integer, Status> KNOWN = new LinkedHashMap<>();

    // ---------------------------------------------------------------- PS3.7 Annex C.1 - C.5 (general)
    /** PS3.7 Annex C. */
    public static final Status SUCCESS = define(0x0000, Category.SUCCESS, "Success");
    /** PS3.7 Annex C, PS3.4 §C.4.1.1.4: "Matches are continuing - current match supplied, optional keys supported". */
    public static final Status PENDING = define(0xFF00, Category.PENDING,
            "Pending: matches are continuing, optional keys supported");
    /** PS3.4 §C.4.1.1.4: "Matches are continuing - warning that one or more optional keys were not supported". */
    public static final Status PENDING_WARNING = define(0xFF01, Category.PENDING,
            "Pending: matches are continuing, one or more optional keys not supported");
    /** PS3.7 Annex C / PS3.4 §C.4.1.1.4: "Matching terminated due to Cancel request". */
    public static final Status CANCEL = define(0xFE00, Category.CANCEL, "Cancel: operation terminated by C-CANCEL");
    /** PS3.7 Annex C.2: general warning (e.g. N-GET/N-SET "requested optional attributes are not supported"). */
    public static final Status WARNING = define(0x0001, Category.WARNING, "Warning");
    /** PS3.7 Annex C: Attribute list error (Warning). */
    public static final Status ATTRIBUTE_LIST_ERROR = define(0x0107, Category.WARNING, "Warning: attribute list error");
    /** PS3.7 Annex C: Attribute value out of range (Warning). */
    public static final Status ATTRIBUTE_VALUE_OUT_OF_RANGE = define(0x0116, Category.WARNING,
            "Warning: attribute value out of range");

    /** PS3.7 Annex C: No such attribute. */
    public static final Status NO_SUCH_ATTRIBUTE = define(0x0105, Category.FAILURE, "Failure: no such attribute");
    /** PS3.7 Annex C: Invalid attribute value. */
    public static final Status INVALID_ATTRIBUTE_VALUE = define(0x0106, Category.FAILURE,
            "Failure: invalid attribute value");
    /** PS3.7 Annex C: Processing failure. */
    public static final Status PROCESSING_FAILURE = define(0x0110, Category.FAILURE, "Failure: processing failure");
    /** PS3.7 Annex C: Duplicate SOP Instance. */
    public static final Status DUPLICATE_SOP_INSTANCE = define(0x0111, Category.FAILURE,
            "Failure: duplicate SOP instance");
    /** PS3.7 Annex C: No such SOP Instance. */
    public static final Status NO_SUCH_SOP_INSTANCE = define(0x0112, Category.FAILURE,
            "Failure: no such SOP instance");
    /** PS3.7 Annex C: No such event type. */
    public static final Status NO_SUCH_EVENT_TYPE = define(0x0113, Category.FAILURE, "Failure: no such event type");
    /** PS3.7 Annex C: No such argument. */
    public static final Status NO_SUCH_ARGUMENT = define(0x0114, Category.FAILURE, "Failure: no such argument");
    /** PS3.7 Annex C: Invalid argument value. */
    public static final Status INVALID_ARGUMENT_VALUE = define(0x0115, Category.FAILURE,
            "Failure: invalid argument value");
    /** PS3.7 Annex C: Invalid object instance. */
    public static final Status INVALID_OBJECT_INSTANCE = define(0x0117, Category.FAILURE,
            "Failure: invalid object instance");
    /** PS3.7 Annex C: No such SOP Class. */
    public static final Status NO_SUCH_SOP_CLASS = define(0x0118, Category.FAILURE, "Failure: no such SOP class");
    /** PS3.7 Annex C: Class-instance conflict. */
    public static final Status CLASS_INSTANCE_CONFLICT = define(0x0119, Category.FAILURE,
            "Failure: class-instance conflict");
    /** PS3.7 Annex C: Missing attribute. */
    public static final Status MISSING_ATTRIBUTE = define(0x0120, Category.FAILURE, "Failure: missing attribute");
    /** PS3.7 Annex C: Missing attribute value. */
    public static final Status MISSING_ATTRIBUTE_VALUE = define(0x0121, Category.FAILURE,
            "Failure: missing attribute value");
    /** PS3.7 Annex C: Refused: SOP Class not supported. */
    public static final Status SOP_CLASS_NOT_SUPPORTED = define(0x0122, Category.FAILURE,
            "Refused: SOP class not supported");
    /** PS3.7 Annex C: No such action. */
    public static final Status NO_SUCH_ACTION = define(0x0123, Category.FAILURE, "Failure: no such action");
    /** PS3.7 Annex C: Refused: not authorized. */
    public static final Status NOT_AUTHORIZED = define(0x0124, Category.FAILURE, "Refused: not authorized");
    /** PS3.7 Annex C: Duplicate invocation. */
    public static final Status DUPLICATE_INVOCATION = define(0x0210, Category.FAILURE,
            "Failure: duplicate invocation");
    /** PS3.7 Annex C: Unrecognized operation. */
    public static final Status UNRECOGNIZED_OPERATION = define(0x0211, Category.FAILURE,
            "Failure: unrecognized operation");
    /** PS3.7 Annex C: Mistyped argument. */
    public static final Status MISTYPED_ARGUMENT = define(0x0212, Category.FAILURE, "Failure: mistyped argument");
    /** PS3.7 Annex C: Resource limitation. */
    public static final Status RESOURCE_LIMITATION = define(0x0213, Category.FAILURE,
            "Failure: resource limitation");

    // ---------------------------------------------------------------- service-specific (PS3.4)
    /** PS3.4 Table B.2-1 / C.4-1: Refused: Out of resources. */
    public static final Status OUT_OF_RESOURCES = define(0xA700, Category.FAILURE, "Refused: out of resources");
    /** PS3.4 Table C.4-1: Identifier does not match SOP Class; Table B.2-1: data set does not match SOP Class. */
    public static final Status IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS = define(0xA900, Category.FAILURE,
            "Error: data set / identifier does not match SOP class");
    /** PS3.4 Table C.4-1: Unable to process; Table B.2-1: Cannot understand (C000-CFFF). */
    public static final Status UNABLE_TO_PROCESS = define(0xC000, Category.FAILURE,
            "Failure: unable to process / cannot understand");
    /** PS3.4 Table B.2-1: Coercion of data elements. */
    public static final Status COERCION_OF_DATA_ELEMENTS = define(0xB000, Category.WARNING,
            "Warning: coercion of data elements");
    /** PS3.4 Table B.2-1: Data set does not match SOP Class. */
    public static final Status DATA_SET_DOES_NOT_MATCH_SOP_CLASS_WARNING = define(0xB007, Category.WARNING,
            "Warning: data set does not match SOP class");
    /** PS3.4 Table B.2-1: Elements discarded. */
    public static final Status ELEMENTS_DISCARDED = define(0xB006, Category.WARNING, "Warning: elements discarded");

    private final int code;
    private final Category category;
    private final String description;

    private Status(int code, Category category, String description) {
        this.code = code;
        this.category = category;
        this.description = description;
    }

    private static Status define(int code, Category category, String description) {
        Status s = new Status(code, category, description);
        KNOWN.put(code, s);
        return s;
    }

    /** The status for a code: a named one, else one classified by the ranges of PS3.7 Annex C. */
    public static Status of(int code) {
        if (code < 0 || code > 0xFFFF) {
            throw new IllegalArgumentException("status is a 16-bit code: " + code);
        }
        Status s = KNOWN.get(code);
        return s != null ? s : new Status(code, categoryOf(code), "Status " + hex(code));
    }

    /**
     * PS3.7 Annex C: 0000 success; FF00/FF01 pending; FE00 cancel; 0001, 0107, 0116 and Bxxx warning; everything
     * else (Axxx, Cxxx, 01xx, 02xx, ...) failure.
     */
    static Category categoryOf(int code) {
        if (code == 0x0000) {
            return Category.SUCCESS;
        }
        if (code == 0xFF00 || code == 0xFF01) {
            return Category.PENDING;
        }
        if (code == 0xFE00) {
            return Category.CANCEL;
        }
        if (code == 0x0001 || code == 0x0107 || code == 0x0116 || (code & 0xF000) == 0xB000) {
            return Category.WARNING;
        }
        return Category.FAILURE;
    }

    /** Every status with a name in this class, in declaration order. */
    public static Map<Integer, Status> known() {
        return Collections.unmodifiableMap(KNOWN);
    }

    public int code() {
        return code;
    }

    public Category category() {
        return category;
    }

    public String description() {
        return description;
    }

    public boolean isSuccess() {
        return category == Category.SUCCESS;
    }

    public boolean isWarning() {
        return category == Category.WARNING;
    }

    public boolean isFailure() {
        return category == Category.FAILURE;
    }

    public boolean isPending() {
        return category == Category.PENDING;
    }

    public boolean isCancel() {
        return category == Category.CANCEL;
    }

    /** Success or warning: the operation was performed. */
    public boolean isOk() {
        return category == Category.SUCCESS || category == Category.WARNING;
    }

    /** The final response of an operation (anything but Pending). */
    public boolean isFinal() {
        return category != Category.PENDING;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Status s && s.code == code;
    }

    @Override
    public int hashCode() {
        return Objects.hash(code);
    }

    /** e.g. {@code 0122H (Refused: SOP class not supported)}. */
    @Override
    public String toString() {
        return hex(code) + " (" + description + ")";
    }

    static String hex(int code) {
        return String.format("%04XH", code);
    }
}
