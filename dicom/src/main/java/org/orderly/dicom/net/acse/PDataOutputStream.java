package org.orderly.dicom.net.acse;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Fragments a command or a data set into PDVs, one P-DATA-TF PDU each, no larger than the peer accepts
 * (PS3.8 Annex D.1; 0 = unlimited, then our own cap). Holds at most one fragment: a full buffer is sent as soon as
 * more bytes arrive, and {@link #close()} sends the final fragment with the last-fragment bit set
 * (PS3.8 Annex E.2: bit 1 of the message control header). {@link #flush()} does not send partial fragments.
 */
public final class PDataOutputStream extends OutputStream {

    private final Association association;
    private final int pcid;
    private final boolean command;
    private final byte[] buf;
    private int count;
    private boolean closed;

    /**
     * @param fragmentBuffer the fragment buffer, as long as the largest fragment the peer accepts; used by this
     *                       stream alone until it is closed
     */
    PDataOutputStream(Association association, int pcid, boolean command, byte[] fragmentBuffer) {
        this.association = association;
        this.pcid = pcid;
        this.command = command;
        this.buf = fragmentBuffer;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (count == buf.length) {
            sendFragment(false);
        }
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            if (count == buf.length) {
                sendFragment(false);
            }
            int n = Math.min(len, buf.length - count);
            System.arraycopy(b, off, buf, count, n);
            count += n;
            off += n;
            len -= n;
        }
    }

    /** Sends the final fragment (last-fragment bit set). Idempotent. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            sendFragment(true);
        }
    }

    private void sendFragment(boolean last) throws IOException {
        association.sendPdv(pcid, command, last, buf, 0, count);
        count = 0;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("P-DATA stream already closed");
        }
    }
}
