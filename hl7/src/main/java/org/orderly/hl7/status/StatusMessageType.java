package org.orderly.hl7.status;

import java.util.Locale;

/**
 * The HL7 message types Orderly can send the RIS for a procedure status change, chosen in
 * {@code hl7-mappings/status.yaml} ({@code message-type}).
 *
 * <ul>
 *   <li>{@link #ORM_O01} v2.3.1, the default: ORC-1 = SC with ORC-5 = IP / CM / DC (IHE RAD TF-2, order status
 *       update from the Department System Scheduler to the Order Placer, v2.3.1 option);</li>
 *   <li>{@link #OMG_O19} v2.5.1: the general clinical order message with the same ORC;</li>
 *   <li>{@link #OMI_O23} v2.5.1: the imaging order message with IPC (accession, requested procedure ID, study
 *       instance UID, SPS ID, modality), the IHE RAD v2.5.1 option;</li>
 *   <li>{@link #ORU_R01} v2.5.1: an observation message whose OBR-25 carries the result status, for a RIS that
 *       tracks exam state on results.</li>
 * </ul>
 */
public enum StatusMessageType {
    ORM_O01("ORM", "O01", "2.3.1"),
    OMG_O19("OMG", "O19", "2.5.1"),
    OMI_O23("OMI", "O23", "2.5.1"),
    ORU_R01("ORU", "R01", "2.5.1");

    private final String code;
    private final String event;
    private final String version;

    StatusMessageType(String code, String event, String version) {
        this.code = code;
        this.event = event;
        this.version = version;
    }

    /** MSH-9 as sent: {@code ORM^O01} in v2.3.1, with the message structure (MSH-9.3) from v2.5 on. */
    public String msh9() {
        return version.startsWith("2.3") ? code + "^" + event : code + "^" + event + "^" + name();
    }

    /** MSH-12. */
    public String version() {
        return version;
    }

    /** {@code ORM_O01}, {@code orm^o01} or {@code ORM^O01}. */
    public static StatusMessageType parse(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT).replace('^', '_');
        try {
            return valueOf(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown status message type '" + text + "' (one of ORM_O01, OMG_O19,"
                    + " OMI_O23, ORU_R01)", e);
        }
    }
}
