package org.orderly.hl7.mapping;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * UIDs derived from a random UUID: {@code 2.25.<UUID as an unsigned decimal integer>}
 * (PS3.5 §B.2). At most 44 characters, within the 64 a UI allows (PS3.5 §9.1).
 *
 * <p>Keeping the generated Study Instance UID stable across later updates of the same order is
 * the store's job: {@link MappedOrder#generated()} says which values were generated.
 */
public final class StudyInstanceUidGenerator {

    private StudyInstanceUidGenerator() {
    }

    public static String newUid() {
        return fromUuid(UUID.randomUUID());
    }

    public static String fromUuid(UUID uuid) {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }
}
