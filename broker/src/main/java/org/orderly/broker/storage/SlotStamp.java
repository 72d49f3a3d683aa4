package org.orderly.broker.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The value of (0002,0102) Private Information in a spool slot file (PS3.10 §7.1: Private Information, identified by
 * (0002,0100) = Orderly's Implementation Class UID, is for the creator's own use). 24 bytes, little endian:
 * <pre>
 *  0  8  data set length: 0 while the object is still arriving
 *  8  8  generation: counts the objects the slot has held; the object id is {@code <slot>-<generation>}
 * 16  4  CRC-32C of the file without this value: File Meta Information up to it, then the data set
 * 20  1  state: RECEIVED (durable, to be routed), ROUTED (lives in its destination links), FREE
 * 21  3  zero
 * </pre>
 * A slot is reused: its file keeps the space of earlier, longer objects, so the data set ends at its length, not at
 * the end of the file, and the CRC tells an object that was flushed whole from one a crash cut short while it was
 * written over an older one. The state is one byte: updating it is a single-sector write that cannot tear.
 */
record SlotStamp(long length, long generation, int crc, byte state) {
    static final int SIZE = 24;
    /** Offset of the state byte within the value. */
    static final int STATE_OFFSET = 20;
    static final byte RECEIVED = 1;
    static final byte ROUTED = 2;
    static final byte FREE = 3;

    /** The stamp of an object still arriving. */
    static SlotStamp arriving(long generation) {
        return new SlotStamp(0, generation, 0, (byte) 0);
    }

    byte[] encode() {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN).putLong(length).putLong(generation).putInt(crc)
                .put(state).array();
    }

    /** The stamp in a (0002,0102) value, or null when it is not one (a file of an older version, or none). */
    static SlotStamp decode(byte[] value) {
        if (value == null || value.length != SIZE) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        return new SlotStamp(b.getLong(), b.getLong(), b.getInt(), b.get());
    }
}
