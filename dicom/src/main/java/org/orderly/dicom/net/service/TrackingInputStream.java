package org.orderly.dicom.net.service;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
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
        transferTo(OutputStream.nullOutputStream());
    }

    /** Handlers often close the stream they were given: that must not end the data set early. */
    @Override
    public void close() {
    }

    /**
     * Lets the data set stream write its bytes to {@code out} itself (no intermediate buffer); an exception thrown
     * by {@code out} is the handler's, any other the network's.
     */
    @Override
    public long transferTo(OutputStream out) throws IOException {
        if (networkFailure != null) {
            throw networkFailure;
        }
        FailureRecordingOutputStream target = new FailureRecordingOutputStream(out);
        try {
            return in.transferTo(target);
        } catch (IOException e) {
            if (e != target.failure) {
                networkFailure = e;
            }
            throw e;
        }
    }

    /** Remembers the exception its target threw, to tell write failures from read failures. */
    private static final class FailureRecordingOutputStream extends FilterOutputStream {

        private IOException failure;

        FailureRecordingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
    }
}
