package org.orderly.hl7.mapping;

/**
 * What an order message asks the store to do, from ORC-1 Order Control (HL7 Table 0119) through
 * the mapping's {@code order-controls:} table.
 */
public enum OrderAction {
    /** NW: create the requested procedure and its steps. */
    NEW,
    /** XO (and usually XX): replace the attributes of an existing order (IHE RAD-13). */
    CHANGE,
    /** CA, OC: cancel. */
    CANCEL,
    /** DC: discontinue. */
    DISCONTINUE,
    /** SC: status change; only the SPS Status is meaningful. */
    STATUS;

    /** NEW and CHANGE carry a complete order: IDs are generated and Type 1 keys checked. */
    public boolean carriesFullOrder() {
        return this == NEW || this == CHANGE;
    }
}
