package org.orderly.dicom.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.BulkData;
import org.orderly.dicom.data.ElementDictionary;
import org.orderly.dicom.data.Fragments;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;

/**
 * Parses DICOM data sets from any {@link InputStream}: Implicit/Explicit VR, Little/Big Endian, deflated
 * (PS3.5 §A.5), sequences and items of defined and undefined length (PS3.5 §7.5), encapsulated pixel data
 * (PS3.5 §A.4), UN of undefined length (PS3.5 §6.2.2: decoded as an Implicit VR Little Endian sequence), and
 * Part 10 files (PS3.10 §7.1) with or without the 128-byte preamble.
 *
 * <p>Bulk data: with {@link #bulkData(BulkDataSink, long)} values of at least the threshold, and every
 * fragment / value of top-level Pixel Data (7FE0,0010), are copied in chunks to the sink and held as
 * {@link BulkData}, so image-sized values never live in the heap.
 *
 * <p>Hostile input: every length is checked before anything is allocated - against the enclosing
 * defined-length item or sequence, against the known input length (if given), and against
 * {@link #maxValueLength(int)}; values are read in bounded chunks so a length past the end of a stream costs
 * no more memory than the bytes actually present. Odd lengths, undefined lengths where not allowed, unknown
 * VRs, misplaced delimiters, nesting deeper than {@link #maxDepth(int)} and truncation all raise
 * {@link DicomStreamException} naming the tag and offset. Each loop iteration consumes at least 8 bytes, so
 * parsing always terminates.
 */
public final class DicomInputStream implements Closeable {

    /** Default bulk data threshold: 64 KiB. */
    public static final long DEFAULT_BULK_DATA_THRESHOLD = 64 * 1024;
    /** Default limit of a value held in memory: 64 MiB. */
    public static final int DEFAULT_MAX_VALUE_LENGTH = 64 * 1024 * 1024;
    /** Default limit of sequence nesting. */
    public static final int DEFAULT_MAX_DEPTH = 32;

    static final int ITEM = 0xFFFEE000;
    static final int ITEM_DELIMITATION = 0xFFFEE00D;
    static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;
    static final long UNDEFINED_LENGTH = 0xFFFFFFFFL;
    private static final int CHUNK = 64 * 1024;
    private static final int PREAMBLE = 128;
    private static final Coding IMPLICIT_LE = new Coding(false, false);

    /** VR explicit? big endian? */
    private record Coding(boolean explicit, boolean bigEndian) {
    }

    private final PushbackInputStream raw;
    private InputStream in;
    private Inflater inflater;
    private long pos;
    private long inputLength = -1;
    private BulkDataSink sink;
    private long bulkThreshold = DEFAULT_BULK_DATA_THRESHOLD;
    private int maxValueLength = DEFAULT_MAX_VALUE_LENGTH;
    private int maxDepth = DEFAULT_MAX_DEPTH;
    private int currentTag = -1;
    private final byte[] header = new byte[12];

    public DicomInputStream(InputStream in) {
        this(in, CHUNK);
    }

    /** With a read buffer of {@code bufferSize} bytes: small for sources in memory, which need no buffering. */
    DicomInputStream(InputStream in, int bufferSize) {
        this.raw = new PushbackInputStream(new BufferedInputStream(in, bufferSize), PREAMBLE + 4);
        this.in = raw;
    }

    /** Store values of at least {@code threshold} bytes, and all top-level Pixel Data, in {@code sink}. */
    public DicomInputStream bulkData(BulkDataSink sink, long threshold) {
        this.sink = sink;
        this.bulkThreshold = threshold;
        return this;
    }

    /** Largest value read into the heap; longer values fail unless they go to a bulk data sink. */
    public DicomInputStream maxValueLength(int maxValueLength) {
        this.maxValueLength = maxValueLength;
        return this;
    }

    /** Maximum sequence nesting depth. */
    public DicomInputStream maxDepth(int maxDepth) {
        this.maxDepth = maxDepth;
        return this;
    }

    /** Declares the total input length (e.g. a byte array), so any length past it fails before reading. */
    public DicomInputStream inputLength(long length) {
        this.inputLength = length;
        return this;
    }

    /** Bytes consumed so far (of the inflated stream once a deflated data set started). */
    public long position() {
        return pos;
    }

    // ------------------------------------------------------------------ Part 10

    /**
     * Reads the File Meta Information (PS3.10 §7.1): 128-byte preamble, "DICM", then the group 0002
     * elements in Explicit VR Little Endian. Tolerates a missing preamble ("DICM" first, or group 0002
     * first). Returns null, consuming nothing, if the stream starts with neither.
     */
    public Attributes readFileMetaInformation() throws IOException {
        byte[] head = new byte[PREAMBLE + 4];
        int n = raw.readNBytes(head, 0, head.length);
        if (n == head.length && isDicm(head, PREAMBLE)) {
            pos = head.length;
        } else if (n >= 4 && isDicm(head, 0)) {
            raw.unread(head, 4, n - 4);
            pos = 4;
        } else {
            raw.unread(head, 0, n);
            pos = 0;
            if (n < 8 || (head[0] & 0xFF | (head[1] & 0xFF) << 8) != 0x0002) {
                return null;
            }
        }
        Attributes fmi = new Attributes();
        Coding c = new Coding(true, false);
        byte[] tagBytes = new byte[4];
        while (true) {
            int m = raw.readNBytes(tagBytes, 0, 4);
            if (m > 0) {
                raw.unread(tagBytes, 0, m);
            }
            if (m < 4 || (tagBytes[0] & 0xFF | (tagBytes[1] & 0xFF) << 8) != 0x0002) {
                break;
            }
            int tag = readTag(c);
            readElement(fmi, tag, c, -1, 0);
        }
        return fmi;
    }

    private static boolean isDicm(byte[] b, int off) {
        return b[off] == 'D' && b[off + 1] == 'I' && b[off + 2] == 'C' && b[off + 3] == 'M';
    }

    /**
     * Reads a whole stream: File Meta Information if present, then the data set in the transfer syntax it
     * names. Without File Meta Information the transfer syntax is guessed from the first element (byte
     * order from the group number, explicit VR if bytes 4-5 are a VR code).
     */
    public DicomFile readDicomFile() throws IOException {
        Attributes fmi = readFileMetaInformation();
        TransferSyntax ts;
        String tsuid = fmi == null ? null : fmi.getString(Tag.TransferSyntaxUID);
        if (tsuid != null) {
            ts = TransferSyntax.of(tsuid);
        } else {
            ts = guessTransferSyntax();
        }
        return new DicomFile(fmi, readDataset(ts), ts);
    }

    private TransferSyntax guessTransferSyntax() throws IOException {
        byte[] b = new byte[8];
        int n = raw.readNBytes(b, 0, 8);
        if (n > 0) {
            raw.unread(b, 0, n);
        }
        if (n < 8) {
            return TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
        }
        int le = b[0] & 0xFF | (b[1] & 0xFF) << 8;
        int be = (b[0] & 0xFF) << 8 | b[1] & 0xFF;
        boolean explicit = VR.ofCode((b[4] & 0xFF) << 8 | b[5] & 0xFF) != null;
        if (be < le) {
            return TransferSyntax.EXPLICIT_VR_BIG_ENDIAN;
        }
        return explicit ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN : TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
    }

    // ------------------------------------------------------------------ data set

    /** Reads a data set encoded in {@code ts} up to the end of the stream. */
    public Attributes readDataset(TransferSyntax ts) throws IOException {
        if (ts.deflated()) {
            inflater = new Inflater(true);
            in = new BufferedInputStream(new InflaterInputStream(raw, inflater, CHUNK), CHUNK);
            pos = 0;
            inputLength = -1;
        }
        Attributes attrs = new Attributes(ts.bigEndian());
        try {
            readItemContent(attrs, new Coding(ts.explicitVR(), ts.bigEndian()), -1, inputLength, true, 0);
        } catch (ZipException | EOFException e) {
            throw new DicomStreamException("corrupt deflated data: " + e.getMessage(), currentTag, pos, e);
        }
        return attrs;
    }

    /**
     * Reads elements into {@code attrs} until {@code end} (defined length), an Item Delimitation Item
     * ({@code end == -1}, not top level) or the end of the stream (top level).
     *
     * @param bound the nearest enclosing defined end (or input length), -1 if none
     */
    private void readItemContent(Attributes attrs, Coding c, long end, long bound, boolean top, int depth)
            throws IOException {
        while (true) {
            if (end >= 0 && pos >= end) {
                return;
            }
            long tagPos = pos;
            int tag;
            if (top) {
                int first = in.read();
                if (first < 0) {
                    return;
                }
                pos++;
                readFully(header, 1, 3);
                header[0] = (byte) first;
                tag = tagFrom(header, c.bigEndian());
            } else {
                tag = readTag(c);
            }
            currentTag = tag;
            if (tag == ITEM_DELIMITATION) {
                long len = readUInt32(c.bigEndian());
                if (top || end >= 0) {
                    throw new DicomStreamException("unexpected Item Delimitation Item", tag, tagPos);
                }
                if (len != 0) {
                    throw new DicomStreamException("Item Delimitation Item with length " + len, tag, tagPos);
                }
                return;
            }
            if (tag == ITEM || tag == SEQUENCE_DELIMITATION || (tag >>> 16) == 0xFFFE) {
                throw new DicomStreamException("unexpected delimiter/item tag in data set", tag, tagPos);
            }
            readElement(attrs, tag, c, bound, depth);
        }
    }

    /** Reads the rest of an element whose tag has been read. */
    private void readElement(Attributes attrs, int tag, Coding c, long bound, int depth) throws IOException {
        long elementPos = pos - 4;
        VR vr;
        long len;
        if (c.explicit()) {
            readFully(header, 0, 2);
            int code = (header[0] & 0xFF) << 8 | header[1] & 0xFF;
            vr = VR.ofCode(code);
            if (vr == null) {
                throw new DicomStreamException(String.format("unknown VR 0x%04X", code), tag, elementPos);
            }
            if (vr.hasLongHeader()) {
                readFully(header, 0, 2);
                len = readUInt32(c.bigEndian());
            } else {
                len = readUInt16(c.bigEndian());
            }
        } else {
            vr = ElementDictionary.implicitVR(tag);
            len = readUInt32(c.bigEndian());
        }
        if (len == UNDEFINED_LENGTH) {
            if (vr == VR.SQ) {
                readSequence(attrs.newSequence(tag), c, -1, bound, depth + 1);
            } else if (vr == VR.UN) {
                // PS3.5 §6.2.2: UN of undefined length is a sequence encoded as Implicit VR Little Endian
                readSequence(attrs.newSequence(tag), IMPLICIT_LE, -1, bound, depth + 1);
            } else if (vr == VR.OB || vr == VR.OW) {
                readFragments(attrs.newFragments(tag, vr), tag, c, bound, depth);
            } else {
                throw new DicomStreamException("undefined length not allowed for VR " + vr, tag, elementPos);
            }
            return;
        }
        checkFits(len, bound, tag, elementPos);
        if (vr == VR.SQ) {
            readSequence(attrs.newSequence(tag), c, pos + len, bound, depth + 1);
            return;
        }
        if ((len & 1) != 0) {
            throw new DicomStreamException("odd value length " + len + " (PS3.5 §7.1.1)", tag, elementPos);
        }
        boolean pixelData = tag == Tag.PixelData && depth == 0;
        if (sink != null && len > 0 && (len >= bulkThreshold || pixelData)) {
            attrs.setBulkData(tag, vr, toSink(tag, vr, len, c.bigEndian()));
        } else {
            attrs.setBytes(tag, vr, readValue(len, tag, elementPos));
        }
    }

    private void readSequence(Sequence seq, Coding c, long end, long bound, int depth) throws IOException {
        int seqTag = currentTag;
        if (depth > maxDepth) {
            throw new DicomStreamException("sequences nested deeper than " + maxDepth, seqTag, pos);
        }
        long itemBound = end >= 0 ? end : bound;
        while (true) {
            if (end >= 0 && pos >= end) {
                if (pos > end) {
                    throw new DicomStreamException("items overrun the sequence length", seqTag, pos);
                }
                return;
            }
            long itemPos = pos;
            int tag = readTag(c);
            long len = readUInt32(c.bigEndian());
            if (tag == SEQUENCE_DELIMITATION) {
                if (end >= 0) {
                    throw new DicomStreamException("Sequence Delimitation Item in a defined-length sequence",
                            seqTag, itemPos);
                }
                return;
            }
            if (tag != ITEM) {
                throw new DicomStreamException(String.format("expected Item (FFFE,E000) in sequence, found %08X",
                        tag), seqTag, itemPos);
            }
            Attributes item = new Attributes(c.bigEndian());
            seq.add(item);
            currentTag = seqTag;
            if (len == UNDEFINED_LENGTH) {
                readItemContent(item, c, -1, itemBound, false, depth);
            } else {
                checkFits(len, itemBound, seqTag, itemPos);
                long itemEnd = pos + len;
                readItemContent(item, c, itemEnd, itemEnd, false, depth);
                if (pos != itemEnd) {
                    throw new DicomStreamException("element overruns item length", seqTag, pos);
                }
            }
            currentTag = seqTag;
        }
    }

    /** PS3.5 §A.4: items of defined length (Basic Offset Table first) up to a Sequence Delimitation Item. */
    private void readFragments(Fragments fragments, int pixelTag, Coding c, long bound, int depth)
            throws IOException {
        boolean toSink = sink != null && pixelTag == Tag.PixelData && depth == 0;
        while (true) {
            long itemPos = pos;
            int tag = readTag(c);
            long len = readUInt32(c.bigEndian());
            if (tag == SEQUENCE_DELIMITATION) {
                return;
            }
            if (tag != ITEM) {
                throw new DicomStreamException(String.format("expected fragment Item in encapsulated data, found %08X",
                        tag), pixelTag, itemPos);
            }
            if (len == UNDEFINED_LENGTH) {
                throw new DicomStreamException("fragment of undefined length", pixelTag, itemPos);
            }
            checkFits(len, bound, pixelTag, itemPos);
            if (sink != null && len > 0 && (len >= bulkThreshold || (toSink && fragments.size() > 0))) {
                fragments.add(toSink(pixelTag, VR.OB, len, c.bigEndian()));
            } else {
                fragments.add(readValue(len, pixelTag, itemPos));
            }
        }
    }

    // ------------------------------------------------------------------ primitives

    private void checkFits(long len, long bound, int tag, long at) throws DicomStreamException {
        if (bound >= 0 && pos + len > bound) {
            throw new DicomStreamException("length " + len + " exceeds the " + (bound - pos)
                    + " bytes left in the enclosing item/sequence/input", tag, at);
        }
    }

    private BulkData toSink(int tag, VR vr, long len, boolean bigEndian) throws IOException {
        return sink.store(tag, vr, new ValueStream(len, tag), len, bigEndian);
    }

    /** Reads a value in bounded chunks: memory grows only with bytes actually present. */
    private byte[] readValue(long len, int tag, long at) throws IOException {
        if (len > maxValueLength) {
            throw new DicomStreamException("value length " + len + " exceeds limit " + maxValueLength
                    + " (configure a bulk data sink)", tag, at);
        }
        int n = (int) len;
        if (n <= CHUNK) {
            byte[] b = new byte[n];
            readFully(b, 0, n);
            return b;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(CHUNK);
        byte[] chunk = new byte[CHUNK];
        int remaining = n;
        while (remaining > 0) {
            int k = Math.min(CHUNK, remaining);
            readFully(chunk, 0, k);
            out.write(chunk, 0, k);
            remaining -= k;
        }
        return out.toByteArray();
    }

    private int readTag(Coding c) throws IOException {
        readFully(header, 0, 4);
        return tagFrom(header, c.bigEndian());
    }

    private static int tagFrom(byte[] b, boolean bigEndian) {
        int g = bigEndian ? (b[0] & 0xFF) << 8 | b[1] & 0xFF : b[0] & 0xFF | (b[1] & 0xFF) << 8;
        int e = bigEndian ? (b[2] & 0xFF) << 8 | b[3] & 0xFF : b[2] & 0xFF | (b[3] & 0xFF) << 8;
        return g << 16 | e;
    }

    private int readUInt16(boolean bigEndian) throws IOException {
        readFully(header, 0, 2);
        return bigEndian ? (header[0] & 0xFF) << 8 | header[1] & 0xFF : header[0] & 0xFF | (header[1] & 0xFF) << 8;
    }

    private long readUInt32(boolean bigEndian) throws IOException {
        readFully(header, 0, 4);
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int idx = bigEndian ? i : 3 - i;
            v = v << 8 | header[idx] & 0xFF;
        }
        return v;
    }

    private void readFully(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = in.read(b, off, len);
            if (n < 0) {
                throw new DicomStreamException("unexpected end of stream (truncated)", currentTag, pos);
            }
            pos += n;
            off += n;
            len -= n;
        }
    }

    /** Exactly {@code length} bytes of the underlying stream, for a {@link BulkDataSink}. */
    private final class ValueStream extends InputStream {
        private long remaining;
        private final int tag;

        ValueStream(long length, int tag) {
            this.remaining = length;
            this.tag = tag;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new DicomStreamException("unexpected end of stream in bulk data (truncated)", tag, pos);
            }
            pos += n;
            remaining -= n;
            return n;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            in.close();
        } finally {
            if (inflater != null) {
                inflater.end();
            }
        }
    }
}
