package org.orderly.dicom.net.pdu;

import java.util.Arrays;

/**
 * One Presentation Data Value item of a P-DATA-TF PDU, PS3.8 §9.3.5.1, Table 9-23, with the message control
 * header of PS3.8 Annex E.2.
 * <pre>
 * offset length field
 *   0      4    item-length: bytes that follow (2 + fragment length)
 *   4      1    presentation-context-ID (odd, 1..255)
 *   5      1    message control header: bit 0 = 1 command / 0 data set; bit 1 = 1 last fragment
 *   6      n    message fragment
 * </pre>
 */
public final class PresentationDataValue {

    /** PS3.8 Annex E.2: bit 0 of the message control header, 1 = command information. */
    public static final int COMMAND_BIT = 0x01;
    /** PS3.8 Annex E.2: bit 1 of the message control header, 1 = last fragment. */
    public static final int LAST_FRAGMENT_BIT = 0x02;

    private final int presentationContextId;
    private final int messageControlHeader;
    private final byte[] fragment;

    public PresentationDataValue(int presentationContextId, boolean command, boolean last, byte[] fragment) {
        this(presentationContextId, (command ? COMMAND_BIT : 0) | (last ? LAST_FRAGMENT_BIT : 0), fragment.clone());
    }

    /** A PDV whose fragment is a copy of {@code len} bytes of {@code src} from {@code off}. */
    public PresentationDataValue(int presentationContextId, boolean command, boolean last, byte[] src, int off,
            int len) {
        this(presentationContextId, (command ? COMMAND_BIT : 0) | (last ? LAST_FRAGMENT_BIT : 0),
                Arrays.copyOfRange(src, off, off + len));
    }

    PresentationDataValue(int presentationContextId, int messageControlHeader, byte[] fragmentNoCopy) {
        if (presentationContextId < 0 || presentationContextId > 0xFF) {
            throw new IllegalArgumentException("presentation context ID must fit a byte: " + presentationContextId);
        }
        this.presentationContextId = presentationContextId;
        this.messageControlHeader = messageControlHeader & 0xFF;
        this.fragment = fragmentNoCopy;
    }

    public int presentationContextId() {
        return presentationContextId;
    }

    /** The raw message control header byte, PS3.8 Annex E.2. */
    public int messageControlHeader() {
        return messageControlHeader;
    }

    /** PS3.8 Annex E.2: bit 0 = 1 means the fragment is command information. */
    public boolean isCommand() {
        return (messageControlHeader & COMMAND_BIT) != 0;
    }

    /** PS3.8 Annex E.2: bit 1 = 1 means this is the last fragment of the command or data set. */
    public boolean isLast() {
        return (messageControlHeader & LAST_FRAGMENT_BIT) != 0;
    }

    public int length() {
        return fragment.length;
    }

    /** A copy of the fragment. */
    public byte[] fragment() {
        return fragment.clone();
    }

    /** One fragment byte, 0..255. */
    public int byteAt(int index) {
        return fragment[index] & 0xFF;
    }

    /** Copies {@code len} fragment bytes starting at {@code from} into {@code dst}. */
    public void copyTo(int from, byte[] dst, int dstOff, int len) {
        System.arraycopy(fragment, from, dst, dstOff, len);
    }

    /** Item length on the wire including the 4-byte length field. */
    long encodedLength() {
        return 4L + 2 + fragment.length;
    }

    void writeTo(PduOutput out) {
        out.u32(2L + fragment.length).u8(presentationContextId).u8(messageControlHeader).bytes(fragment);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PresentationDataValue p && p.presentationContextId == presentationContextId
                && p.messageControlHeader == messageControlHeader && Arrays.equals(p.fragment, fragment);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * presentationContextId + messageControlHeader) + Arrays.hashCode(fragment);
    }

    @Override
    public String toString() {
        return "PDV[pcid=" + presentationContextId + ", " + (isCommand() ? "command" : "dataset")
                + (isLast() ? ", last" : "") + ", " + fragment.length + " bytes]";
    }
}
