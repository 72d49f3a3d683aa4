package org.orderly.dicom.net.pdu;

import java.nio.charset.StandardCharsets;

/** Validation of the text fields carried by PDUs and items: AE titles, UIDs, names. */
final class Fields {

    /** PS3.5 §9.1: a UID is at most 64 characters. */
    static final int MAX_UID_LENGTH = 64;
    /** PS3.8 §9.3.2, Table 9-11: AE title fields are 16 bytes. */
    static final int AE_TITLE_LENGTH = 16;

    private Fields() {
    }

    /** Encodes an AE title as the 16-byte space-padded field of PS3.8 §9.3.2, Table 9-11. */
    static byte[] aeTitleField(String ae) {
        requireAeTitle(ae);
        byte[] f = new byte[AE_TITLE_LENGTH];
        java.util.Arrays.fill(f, (byte) ' ');
        byte[] b = ae.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, f, 0, b.length);
        return f;
    }

    static String requireAeTitle(String ae) {
        if (ae == null || ae.length() > AE_TITLE_LENGTH) {
            throw new IllegalArgumentException("AE title must be 0..16 characters: " + ae);
        }
        for (int i = 0; i < ae.length(); i++) {
            char c = ae.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '\\') {
                throw new IllegalArgumentException("AE title has a character not allowed by PS3.5 §6.2 (AE): " + ae);
            }
        }
        return ae;
    }

    /**
     * Decodes a 16-byte AE title field: leading/trailing spaces are not significant (PS3.8 Table 9-11); trailing
     * NULs from old implementations are tolerated as padding; control characters and backslash are invalid.
     */
    static String decodeAeTitle(PduInput in, String field) throws InvalidPduException {
        byte[] f = in.bytes(AE_TITLE_LENGTH);
        int end = AE_TITLE_LENGTH;
        while (end > 0 && (f[end - 1] == ' ' || f[end - 1] == 0)) {
            end--;
        }
        int start = 0;
        while (start < end && f[start] == ' ') {
            start++;
        }
        for (int i = start; i < end; i++) {
            int c = f[i] & 0xFF;
            if (c < 0x20 || c > 0x7E || c == '\\') {
                throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE,
                        field + " contains byte 0x" + Integer.toHexString(c) + " not allowed in an AE title");
            }
        }
        return new String(f, start, end - start, StandardCharsets.US_ASCII);
    }

    static String requireUid(String uid, String what) {
        if (uid == null || uid.isEmpty() || uid.length() > MAX_UID_LENGTH || !uidChars(uid)) {
            throw new IllegalArgumentException(what + " is not a UID of 1..64 characters [0-9.]: " + uid);
        }
        return uid;
    }

    private static boolean uidChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes a UID field of {@code length} bytes (PS3.8 Annex F): one trailing NUL or space is tolerated as
     * padding; more than 64 characters or characters outside [0-9.] are an invalid PDU parameter value.
     */
    static String decodeUid(PduInput in, int length, String what) throws InvalidPduException {
        String s = in.ascii(length);
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == 0 || s.charAt(end - 1) == ' ')) {
            end--;
        }
        s = s.substring(0, end);
        if (s.isEmpty() || s.length() > MAX_UID_LENGTH || !uidChars(s)) {
            throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE,
                    what + " is not a valid UID (1..64 characters [0-9.]), length " + length);
        }
        return s;
    }
}
