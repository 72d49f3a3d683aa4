package org.orderly.dicom.net.service;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The received data set handed to a handler: remembers whether the network stream itself failed (then the
 * association is broken and is aborted) as opposed to the handler failing (then a failure status is answered), and
 * drains whatever the handler left unread. {@link #close()} does not close the association's stream.
 */
final class TrackingInputStream extends FilterInputStream {

    private IOException networkFailure;

    TrackingInputStream(InputStream in) {
        super(in);
    }

    IOException networkFailure() {
        return networkFailure;
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            networkFailure = e;
            throw e;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException e) {
            networkFailure = e;
            throw e;
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return super.skip(n);
        } catch (IOException e) {
            networkFailure = e;
            throw e;
        }
    }

    /** Reads and discards the rest. */
    void drain() throws IOException {
        if (networkFailure != null) {
            throw networkFailure;
        }
        byte[] buf = new byte[8192];
        while (read(buf, 0, buf.length) >= 0) {
            // discard
        }
    }

    /** Handlers often close the stream they were given: that must not end the data set early. */
    @Override
    public void close() {
    }

    @Override
    public long transferTo(OutputStream out) throws IOException {
        byte[] buf = new byte[16384];
        long n = 0;
        int r;
        while ((r = read(buf, 0, buf.length)) >= 0) {
            out.write(buf, 0, r);
            n += r;
        }
        return n;
    }
}
