package org.orderly.dicom.net.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Test helper: minimal DIMSE command sets in Implicit VR Little Endian (PS3.7 §6.3.1, §9.3), enough for the upper
 * layer, which only reads Command Data Set Type (0000,0800).
 */
public final class Commands {

    public static final String VERIFICATION = "1.2.840.10008.1.1";
    public static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    public static final String IMPLICIT_VR_LE = "1.2.840.10008.1.2";
    public static final String EXPLICIT_VR_LE = "1.2.840.10008.1.2.1";

    private Commands() {
    }

    /** A command: (0000,0002) affected SOP class, (0000,0100) command field, (0000,0110) message ID, (0000,0800). */
    public static byte[] command(String sopClass, int commandField, int messageId, boolean dataSet) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String uid = sopClass.length() % 2 == 0 ? sopClass : sopClass + "\0";
        element(out, 0x0002, uid.getBytes(StandardCharsets.US_ASCII));
        element(out, 0x0100, us(commandField));
        element(out, 0x0110, us(messageId));
        element(out, 0x0800, us(dataSet ? 0x0000 : 0x0101));
        return out.toByteArray();
    }

    private static byte[] us(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8)};
    }

    private static void element(ByteArrayOutputStream out, int element, byte[] value) {
        out.write(0);
        out.write(0);
        out.write(element);
        out.write(element >> 8);
        int n = value.length;
        out.write(n);
        out.write(n >> 8);
        out.write(n >> 16);
        out.write(n >> 24);
        out.write(value, 0, n);
    }

    /** Reads Message ID (0000,0110) or Message ID Being Responded To (0000,0120) from a command set. */
    public static int messageId(byte[] cmd) {
        int pos = 0;
        while (pos + 8 <= cmd.length) {
            int element = (cmd[pos + 2] & 0xFF) | ((cmd[pos + 3] & 0xFF) << 8);
            int len = (cmd[pos + 4] & 0xFF) | ((cmd[pos + 5] & 0xFF) << 8);
            if (element == 0x0110 || element == 0x0120) {
                return (cmd[pos + 8] & 0xFF) | ((cmd[pos + 9] & 0xFF) << 8);
            }
            pos += 8 + len;
        }
        throw new IllegalArgumentException("no message ID");
    }
}
