package org.orderly.dicom.io;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.BulkData;
import org.orderly.dicom.data.ByteSwap;
import org.orderly.dicom.data.Fragments;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.Tags;
import org.orderly.dicom.data.VR;

/**
 * Writes data sets (PS3.5 §7) and Part 10 files (PS3.10 §7.1).
 *
 * <ul>
 *   <li>Implicit VR LE, Explicit VR LE, Explicit VR Big Endian and Deflated Explicit VR LE (PS3.5 §A.1-A.5).
 *       Binary values held in the other byte order are swapped on the way out (PS3.5 §7.3).</li>
 *   <li>Sequences and items: undefined length with delimiters by default (streams without computing
 *       lengths); {@link SequenceLength#DEFINED} computes explicit lengths (PS3.5 §7.5.1).</li>
 *   <li>Encapsulated pixel data is always undefined length with items (PS3.5 §A.4).</li>
 *   <li>Odd values are padded with the VR's padding byte (PS3.5 §6.2).</li>
 *   <li>A value too long for a 16-bit length field in Explicit VR is written as UN (PS3.5 §6.2.2).</li>
 *   <li>Group length elements are written as held; none are added except (0002,0000), which
 *       {@link #writeFileMetaInformation} always computes (PS3.10 §7.1).</li>
 *   <li>{@link BulkData} is copied from its file in 64 KiB chunks.</li>
 * </ul>
 */
public final class DicomOutputStream implements Closeable, Flushable {

    /** How sequences and items are delimited (PS3.5 §7.5.1). */
    public enum SequenceLength { UNDEFINED, DEFINED }

    private static final int CHUNK = 64 * 1024;

    private final OutputStream target;
    private OutputStream out;
    private DeflaterOutputStream deflater;
    private Deflater deflaterEngine;
    private SequenceLength sequenceLength = SequenceLength.UNDEFINED;
    private int deflateLevel = Deflater.DEFAULT_COMPRESSION;
    private final byte[] hdr = new byte[12];

    public DicomOutputStream(OutputStream out) {
        this(out, CHUNK);
    }

    /**
     * With a write buffer of {@code bufferSize} bytes: small when little is written (a command set, File Meta
     * Information before {@link #writeRaw}) or the target is in memory.
     */
    DicomOutputStream(OutputStream out, int bufferSize) {
        this.target = out;
        this.out = new BufferedOutputStream(out, bufferSize);
    }

    public DicomOutputStream sequenceLength(SequenceLength mode) {
        this.sequenceLength = mode;
        return this;
    }

    /** Deflate level for the deflated transfer syntax (0-9, -1 = default). */
    public DicomOutputStream deflateLevel(int level) {
        this.deflateLevel = level;
        return this;
    }

    /**
     * PS3.10 §7.1: 128 zero bytes, "DICM", then the group 0002 elements of {@code fmi} in Explicit VR Little
     * Endian preceded by a computed File Meta Information Group Length (0002,0000).
     */
    public void writeFileMetaInformation(Attributes fmi) throws IOException {
        out.write(new byte[128]);
        out.write(new byte[] {'D', 'I', 'C', 'M'});
        Coding c = new Coding(true, false);
        long length = 0;
        for (int i = 0; i < fmi.size(); i++) {
            int tag = fmi.tagAt(i);
            if (Tags.group(tag) == 2 && tag != Tag.FileMetaInformationGroupLength) {
                length += elementLength(fmi, i, c);
            }
        }
        writeHeader(Tag.FileMetaInformationGroupLength, VR.UL, 4, c);
        writeInt(length, 4, false);
        for (int i = 0; i < fmi.size(); i++) {
            int tag = fmi.tagAt(i);
            if (Tags.group(tag) == 2 && tag != Tag.FileMetaInformationGroupLength) {
                writeElement(fmi, i, c);
            }
        }
    }

    /** Writes {@code fmi} then {@code dataset} in the transfer syntax named by fmi's (0002,0010). */
    public void writeDicomFile(Attributes fmi, Attributes dataset) throws IOException {
        String tsuid = fmi.getString(Tag.TransferSyntaxUID);
        if (tsuid == null) {
            throw new IllegalArgumentException("File Meta Information lacks TransferSyntaxUID (0002,0010)");
        }
        writeFileMetaInformation(fmi);
        writeDataset(dataset, TransferSyntax.of(tsuid));
    }

    /**
     * Writes all elements of {@code dataset} in {@code ts}. With a deflated transfer syntax the rest of the
     * stream is deflated and finished at the end of this call; nothing may be written after it.
     */
    public void writeDataset(Attributes dataset, TransferSyntax ts) throws IOException {
        if (ts.deflated()) {
            out.flush();
            deflaterEngine = new Deflater(deflateLevel, true);
            deflater = new DeflaterOutputStream(target, deflaterEngine, CHUNK);
            out = new BufferedOutputStream(deflater, CHUNK);
        }
        Coding c = new Coding(ts.explicitVR(), ts.bigEndian());
        for (int i = 0; i < dataset.size(); i++) {
            writeElement(dataset, i, c);
        }
        if (deflater != null) {
            out.flush();
            deflater.finish();
        }
    }

    /**
     * Copies {@code in} to the output unchanged with {@link InputStream#transferTo}, so that the source chooses
     * how to hand over its bytes (a received data set writes its PDV fragments without an intermediate copy);
     * returns the number of bytes. Outside a deflated data set the bytes bypass this stream's buffer.
     */
    public long writeRaw(InputStream in) throws IOException {
        out.flush();
        // the bytes need no encoding: buffering them again would only add a copy
        return in.transferTo(deflater != null ? out : target);
    }

    // ------------------------------------------------------------------ elements

    private record Coding(boolean explicit, boolean bigEndian) {
    }

    private void writeElement(Attributes attrs, int i, Coding c) throws IOException {
        int tag = attrs.tagAt(i);
        VR vr = attrs.vrAt(i);
        Object v = attrs.valueAt(i);
        if (v instanceof Sequence seq) {
            boolean defined = sequenceLength == SequenceLength.DEFINED;
            writeHeader(tag, VR.SQ, defined ? sequenceValueLength(seq, c) : DicomInputStream.UNDEFINED_LENGTH, c);
            for (Attributes item : seq) {
                writeItemHeader(DicomInputStream.ITEM, defined ? itemLength(item, c) : DicomInputStream.UNDEFINED_LENGTH, c);
                for (int k = 0; k < item.size(); k++) {
                    writeElement(item, k, c);
                }
                if (!defined) {
                    writeItemHeader(DicomInputStream.ITEM_DELIMITATION, 0, c);
                }
            }
            if (!defined) {
                writeItemHeader(DicomInputStream.SEQUENCE_DELIMITATION, 0, c);
            }
        } else if (v instanceof Fragments f) {
            writeHeader(tag, vr, DicomInputStream.UNDEFINED_LENGTH, c);
            for (int k = 0; k < f.size(); k++) {
                long len = f.length(k);
                writeItemHeader(DicomInputStream.ITEM, len + (len & 1), c);
                Object frag = f.get(k);
                if (frag instanceof byte[] b) {
                    out.write(b);
                } else {
                    copy((BulkData) frag, VR.OB, c.bigEndian());
                }
                if ((len & 1) != 0) {
                    out.write(0);
                }
            }
            writeItemHeader(DicomInputStream.SEQUENCE_DELIMITATION, 0, c);
        } else if (v instanceof BulkData bd) {
            long padded = bd.length() + (bd.length() & 1);
            writeHeader(tag, headerVR(vr, padded, c), padded, c);
            copy(bd, vr, c.bigEndian());
            if ((bd.length() & 1) != 0) {
                out.write(vr.paddingByte());
            }
        } else {
            byte[] b = (byte[]) v;
            if (attrs.isBigEndian() != c.bigEndian() && vr.bytesPerNumber() > 1) {
                b = b.clone();
                ByteSwap.swap(b, 0, b.length, ByteSwap.width(vr));
            }
            long padded = b.length + (b.length & 1);
            writeHeader(tag, headerVR(vr, padded, c), padded, c);
            out.write(b);
            if ((b.length & 1) != 0) {
                out.write(vr.paddingByte());
            }
        }
    }

    /** PS3.5 §6.2.2: a value longer than a 16-bit length field allows is written as UN. */
    private static VR headerVR(VR vr, long len, Coding c) {
        return c.explicit() && !vr.hasLongHeader() && len > 0xFFFF ? VR.UN : vr;
    }

    private void copy(BulkData bd, VR vr, boolean bigEndian) throws IOException {
        int width = bd.bigEndian() != bigEndian ? ByteSwap.width(vr) : 1;
        byte[] buf = new byte[CHUNK];
        long remaining = bd.length();
        try (InputStream in = bd.openStream()) {
            while (remaining > 0) {
                int n = in.readNBytes(buf, 0, (int) Math.min(CHUNK, remaining));
                if (n <= 0) {
                    throw new IOException("bulk data file " + bd.file() + " shorter than referenced");
                }
                ByteSwap.swap(buf, 0, n, width);
                out.write(buf, 0, n);
                remaining -= n;
            }
        }
    }

    private void writeHeader(int tag, VR vr, long len, Coding c) throws IOException {
        if (len > 0xFFFFFFFFL) {
            throw new IOException("value of " + Tags.toString(tag) + " too long: " + len);
        }
        putTag(tag, c.bigEndian());
        if (!c.explicit()) {
            putInt(4, len, 4, c.bigEndian());
            out.write(hdr, 0, 8);
            return;
        }
        hdr[4] = (byte) (vr.code() >> 8);
        hdr[5] = (byte) vr.code();
        if (vr.hasLongHeader()) {
            hdr[6] = 0;
            hdr[7] = 0;
            putInt(8, len, 4, c.bigEndian());
            out.write(hdr, 0, 12);
        } else {
            putInt(6, len, 2, c.bigEndian());
            out.write(hdr, 0, 8);
        }
    }

    /** Item and delimiters: tag + 32-bit length in every transfer syntax (PS3.5 §7.5). */
    private void writeItemHeader(int tag, long len, Coding c) throws IOException {
        putTag(tag, c.bigEndian());
        putInt(4, len, 4, c.bigEndian());
        out.write(hdr, 0, 8);
    }

    private void putTag(int tag, boolean bigEndian) {
        putInt(0, tag >>> 16, 2, bigEndian);
        putInt(2, tag & 0xFFFF, 2, bigEndian);
    }

    private void putInt(int off, long v, int width, boolean bigEndian) {
        for (int j = 0; j < width; j++) {
            hdr[bigEndian ? off + width - 1 - j : off + j] = (byte) (v >>> (8 * j));
        }
    }

    private void writeInt(long v, int width, boolean bigEndian) throws IOException {
        putInt(0, v, width, bigEndian);
        out.write(hdr, 0, width);
    }

    // ------------------------------------------------------------------ lengths

    private long elementLength(Attributes attrs, int i, Coding c) {
        VR vr = attrs.vrAt(i);
        Object v = attrs.valueAt(i);
        int headerLen = !c.explicit() || !vr.hasLongHeader() ? 8 : 12;
        if (v instanceof Sequence seq) {
            long len = sequenceValueLength(seq, c);
            return (c.explicit() ? 12 : 8) + len + (sequenceLength == SequenceLength.DEFINED ? 0 : 8);
        }
        if (v instanceof Fragments f) {
            long len = 8; // sequence delimiter
            for (int k = 0; k < f.size(); k++) {
                len += 8 + f.length(k) + (f.length(k) & 1);
            }
            return (c.explicit() ? 12 : 8) + len;
        }
        long raw = v instanceof BulkData bd ? bd.length() : ((byte[]) v).length;
        long padded = raw + (raw & 1);
        if (c.explicit() && headerVR(vr, padded, c) != vr) {
            headerLen = 12;
        }
        return headerLen + padded;
    }

    /** Length of a sequence's items as written (delimiters included in UNDEFINED mode). */
    private long sequenceValueLength(Sequence seq, Coding c) {
        long len = 0;
        for (Attributes item : seq) {
            len += 8 + itemLength(item, c) + (sequenceLength == SequenceLength.DEFINED ? 0 : 8);
        }
        return len;
    }

    private long itemLength(Attributes item, Coding c) {
        long len = 0;
        for (int k = 0; k < item.size(); k++) {
            len += elementLength(item, k, c);
        }
        return len;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Flushes and closes the underlying stream. */
    @Override
    public void close() throws IOException {
        try {
            out.flush();
        } finally {
            target.close();
            if (deflaterEngine != null) {
                deflaterEngine.end();
            }
        }
    }
}
