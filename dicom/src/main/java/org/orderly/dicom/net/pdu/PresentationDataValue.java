package org.orderly.dicom.net.pdu;

import java.io.IOException;
import java.io.OutputStream;
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
    // the fragment is fragmentLength bytes of data from fragmentOffset: a PDV can be a view of a larger buffer
    private final byte[] data;
    private final int fragmentOffset;
    private final int fragmentLength;

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
        this(presentationContextId, messageControlHeader, fragmentNoCopy, 0, fragmentNoCopy.length);
    }

    /**
     * A PDV whose fragment is a view of {@code len} bytes of {@code src} from {@code off}, not a copy: the caller
     * guarantees that those bytes do not change while the PDV is in use (a received PDU's buffer until the next
     * PDU is read, {@link PduDecoder#readTransient}; a send buffer until the PDU is written).
     */
    public static PresentationDataValue view(int presentationContextId, boolean command, boolean last, byte[] src,
            int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        return new PresentationDataValue(presentationContextId,
                (command ? COMMAND_BIT : 0) | (last ? LAST_FRAGMENT_BIT : 0), src, off, len);
    }

    PresentationDataValue(int presentationContextId, int messageControlHeader, byte[] data, int off, int len) {
        if (presentationContextId < 0 || presentationContextId > 0xFF) {
            throw new IllegalArgumentException("presentation context ID must fit a byte: " + presentationContextId);
        }
        this.presentationContextId = presentationContextId;
        this.messageControlHeader = messageControlHeader & 0xFF;
        this.data = data;
        this.fragmentOffset = off;
        this.fragmentLength = len;
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
        return fragmentLength;
    }

    /** A copy of the fragment. */
    public byte[] fragment() {
        return Arrays.copyOfRange(data, fragmentOffset, fragmentOffset + fragmentLength);
    }

    /** One fragment byte, 0..255. */
    public int byteAt(int index) {
        java.util.Objects.checkIndex(index, fragmentLength);
        return data[fragmentOffset + index] & 0xFF;
    }

    /** Copies {@code len} fragment bytes starting at {@code from} into {@code dst}. */
    public void copyTo(int from, byte[] dst, int dstOff, int len) {
        java.util.Objects.checkFromIndexSize(from, len, fragmentLength);
        System.arraycopy(data, fragmentOffset + from, dst, dstOff, len);
    }

    /** Writes {@code len} fragment bytes starting at {@code from} to {@code out}, without an intermediate copy. */
    public void writeTo(int from, OutputStream out, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(from, len, fragmentLength);
        out.write(data, fragmentOffset + from, len);
    }

    /** Item length on the wire including the 4-byte length field. */
    long encodedLength() {
        return 4L + 2 + fragmentLength;
    }

    /** Writes the item: 6 header bytes, then the fragment straight from its buffer. */
    void writeTo(OutputStream out) throws IOException {
        long itemLength = 2L + fragmentLength;
        out.write(new byte[] {(byte) (itemLength >>> 24), (byte) (itemLength >>> 16), (byte) (itemLength >>> 8),
                (byte) itemLength, (byte) presentationContextId, (byte) messageControlHeader});
        out.write(data, fragmentOffset, fragmentLength);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PresentationDataValue p && p.presentationContextId == presentationContextId
                && p.messageControlHeader == messageControlHeader
                && Arrays.equals(p.data, p.fragmentOffset, p.fragmentOffset + p.fragmentLength, data,
                        fragmentOffset, fragmentOffset + fragmentLength);
    }

    @Override
    public int hashCode() {
        int h = 31 * presentationContextId + messageControlHeader;
        for (int i = fragmentOffset; i < fragmentOffset + fragmentLength; i++) {
            h = 31 * h + data[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return "PDV[pcid=" + presentationContextId + ", " + (isCommand() ? "command" : "dataset")
                + (isLast() ? ", last" : "") + ", " + fragmentLength + " bytes]";
    }
}
