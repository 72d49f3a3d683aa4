package org.orderly.hl7.ack;

/**
 * One ERR segment's content.
 *
 * @param code     HL7 table 0357 code
 * @param location where, or null when the error has no location
 * @param text     the user message (ERR-8), no PHI: name fields, not their values
 */
public record Hl7Error(ErrorCode code, ErrorLocation location, String text) {
}
