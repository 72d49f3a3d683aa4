package org.orderly.dicom.net.pdu;

import java.util.Arrays;

/**
 * A User Information sub-item whose type this implementation does not know. PS3.7 Annex D.3.3: sub-items that
 * are not recognized are ignored by the receiver; it is kept (not interpreted) so that it can be logged.
 */
public record UnknownUserSubItem(int itemType, byte[] value) implements UserSubItem {

    public UnknownUserSubItem {
        if (itemType < 0 || itemType > 0xFF) {
            throw new IllegalArgumentException("item type must fit a byte");
        }
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public byte[] encodeValue() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownUserSubItem u && u.itemType == itemType && Arrays.equals(u.value, value);
    }

    @Override
    public int hashCode() {
        return itemType * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "UnknownUserSubItem[" + Integer.toHexString(itemType) + "H, " + value.length + " bytes]";
    }
}
