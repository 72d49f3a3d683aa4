package org.orderly.mwl.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Scheduled Procedure Step Status (0040,0020), CS.
 *
 * <p>PS3.3 §C.4.10, Table C.4-10 lists the Defined Terms SCHEDULED, ARRIVED, READY, STARTED and DEPARTED.
 * Defined Terms may be extended (PS3.3 §5.4); Orderly adds COMPLETED, DISCONTINUED and CANCELED, the terms
 * dcm4chee-arc uses for the same purpose, so that an order cancelled or discontinued by the RIS (HL7 ORC-1 CA/DC)
 * and a step completed by MPPS stay in the store, visible to a query that names them, instead of being deleted.
 */
public enum SpsStatus {
    SCHEDULED, ARRIVED, READY, STARTED, DEPARTED, COMPLETED, DISCONTINUED, CANCELED;

    /** What a worklist query returns when it names no status: the steps a modality can still perform. */
    public static final Set<SpsStatus> DEFAULT_VISIBLE = Set.copyOf(EnumSet.of(SCHEDULED, ARRIVED, READY));

    /** Steps that are still open: updatable by ADT (A08/A31), cancellable. */
    public boolean isOpen() {
        return this != COMPLETED && this != DISCONTINUED && this != CANCELED;
    }

    /** The status for a (0040,0020) value; null or empty gives SCHEDULED; an unknown term is rejected. */
    public static SpsStatus of(String value) {
        if (value == null || value.isBlank()) {
            return SCHEDULED;
        }
        String v = value.trim().toUpperCase(Locale.ROOT);
        if (v.equals("CANCELLED")) {
            return CANCELED; // the British spelling some RIS send
        }
        try {
            return valueOf(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a Scheduled Procedure Step Status: " + value, e);
        }
    }
}
