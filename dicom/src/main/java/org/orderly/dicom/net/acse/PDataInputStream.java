package org.orderly.dicom.net.acse;

import java.io.IOException;
import java.io.InputStream;

import org.orderly.dicom.net.pdu.PresentationDataValue;

/**
 * The data set of one received message, read lazily from successive data set PDVs of the same presentation
 * context as P-DATA-TF PDUs arrive (PS3.8 Annex E.2); ends after the fragment with the last-fragment bit. Only the
 * association's reader thread may read it. A protocol violation or the end of the association makes reads fail.
 */
final class PDataInputStream extends InputStream {

    private final Association association;
    private final int pcid;
    private PresentationDataValue current;
    private int pos;
    private boolean lastSeen;
    private boolean closed;

    PDataInputStream(Association association, int pcid) {
        this.association = association;
        this.pcid = pcid;
    }

    /** Makes bytes available; false at the end of the data set. */
    private boolean fill() throws IOException {
        if (closed) {
            throw new IOException("data set stream closed");
        }
        while (current == null || pos == current.length()) {
            if (lastSeen) {
                return false;
            }
            current = association.nextDatasetPdv(pcid);
            pos = 0;
            lastSeen = current.isLast();
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return current.byteAt(pos++);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.length() - pos);
        current.copyTo(pos, b, off, n);
        pos += n;
        return n;
    }

    /** Writes the fragments straight from the received PDUs' buffer to {@code out}, without a copy in between. */
    @Override
    public long transferTo(java.io.OutputStream out) throws IOException {
        long n = 0;
        while (fill()) {
            int len = current.length() - pos;
            current.writeTo(pos, out, len);
            pos += len;
            n += len;
        }
        return n;
    }

    @Override
    public int available() {
        return current == null || closed ? 0 : current.length() - pos;
    }

    /** Reads and discards the rest of the data set, so the next message can be read. */
    void skipRemaining() throws IOException {
        closed = false;
        while (fill()) {
            pos = current.length();
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
