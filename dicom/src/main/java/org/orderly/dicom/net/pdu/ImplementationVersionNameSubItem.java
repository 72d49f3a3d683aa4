package org.orderly.dicom.net.pdu;

import java.nio.charset.StandardCharsets;

/**
 * Implementation Version Name Sub-Item, PS3.7 Annex D.3.3.2, Table D.3-3.
 * <pre>
 * offset length field
 *   4      n    implementation-version-name: 1..16 characters (SH repertoire)
 * </pre>
 */
public record ImplementationVersionNameSubItem(String name) implements UserSubItem {

    public static final int ITEM_TYPE = 0x55;

    public ImplementationVersionNameSubItem {
        if (name == null || name.isEmpty() || name.length() > 16) {
            throw new IllegalArgumentException("implementation version name must be 1..16 characters: " + name);
        }
    }

    @Override
    public int itemType() {
        return ITEM_TYPE;
    }

    @Override
    public byte[] encodeValue() {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    static ImplementationVersionNameSubItem decode(PduInput in) throws InvalidPduException {
        int n = in.remaining();
        if (n < 1 || n > 16) {
            throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE,
                    "implementation version name length " + n + " not 1..16 (PS3.7 Table D.3-3)");
        }
        return new ImplementationVersionNameSubItem(in.ascii(n));
    }
}
