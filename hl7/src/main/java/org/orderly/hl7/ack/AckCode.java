package org.orderly.hl7.ack;

/**
 * MSA-1 acknowledgment code in original mode (HL7 v2.5.1 §2.9.2, Table 0008).
 */
public enum AckCode {
    /** Application Accept: the change is durably committed. */
    AA,
    /** Application Error: understood but not applicable (e.g. cancel of an unknown order). */
    AE,
    /** Application Reject: unsupported type, event, version, or unparsable. */
    AR
}
