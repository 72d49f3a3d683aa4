package org.orderly.dicom.net.acse;

import java.io.IOException;

/**
 * Reads Command Data Set Type (0000,0800) from an encoded command set to learn whether a data set follows:
 * 0101H means "no data set", any other value means one follows (PS3.7 §9.3, Table E.1-1). Command sets are always
 * Implicit VR Little Endian (PS3.7 §6.3.1): tag (4 bytes), length (4 bytes), value.
 */
final class CommandDataSetType {

    static final int NO_DATA_SET = 0x0101;

    private CommandDataSetType() {
    }

    static boolean hasDataSet(byte[] command) throws IOException {
        int pos = 0;
        while (pos + 8 <= command.length) {
            int group = u16(command, pos);
            int element = u16(command, pos + 2);
            long length = u32(command, pos + 4);
            pos += 8;
            if (length > command.length - pos) {
                throw new IOException("command element (" + hex(group) + "," + hex(element) + ") length " + length
                        + " overruns the command set");
            }
            if (group == 0x0000 && element == 0x0800) {
                if (length != 2) {
                    throw new IOException("Command Data Set Type (0000,0800) has length " + length + ", not 2");
                }
                return u16(command, pos) != NO_DATA_SET;
            }
            pos += (int) length;
        }
        throw new IOException("command set has no Command Data Set Type (0000,0800)");
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8);
    }

    private static long u32(byte[] b, int p) {
        return (b[p] & 0xFFL) | ((b[p + 1] & 0xFFL) << 8) | ((b[p + 2] & 0xFFL) << 16) | ((b[p + 3] & 0xFFL) << 24);
    }

    private static String hex(int v) {
        return String.format("%04X", v);
    }
}
