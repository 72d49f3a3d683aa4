package org.orderly.dicom.net.testing;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A scriptable raw TCP peer for malformed-traffic tests: writes arbitrary bytes and reads back whole PDUs or raw
 * bytes, with timeouts on every read so a test can never hang.
 */
public final class RawPeer implements Closeable {

    private final Socket socket;
    private final DataInputStream in;

    public RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        this.in = new DataInputStream(socket.getInputStream());
    }

    public static RawPeer connect(int port) throws IOException {
        return new RawPeer(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    public RawPeer send(byte[]... parts) throws IOException {
        for (byte[] p : parts) {
            socket.getOutputStream().write(p);
        }
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads one whole PDU (6-byte header + PDU-length bytes) as raw bytes. */
    public byte[] readPdu() throws IOException {
        byte[] header = new byte[6];
        in.readFully(header);
        long len = ((header[2] & 0xFFL) << 24) | ((header[3] & 0xFF) << 16) | ((header[4] & 0xFF) << 8)
                | (header[5] & 0xFF);
        if (len > 1 << 24) {
            throw new IOException("implausible PDU length " + len);
        }
        byte[] pdu = new byte[6 + (int) len];
        System.arraycopy(header, 0, pdu, 0, 6);
        in.readFully(pdu, 6, (int) len);
        return pdu;
    }

    /**
     * Waits for the other side to close the connection without sending anything more.
     *
     * @return the milliseconds it took
     * @throws IOException if bytes arrive instead, or nothing happens within {@code timeoutMillis}
     */
    public long awaitClosedByPeer(int timeoutMillis) throws IOException {
        long start = System.nanoTime();
        socket.setSoTimeout(timeoutMillis);
        try {
            int b = in.read();
            if (b >= 0) {
                throw new IOException("expected the connection to close but received byte " + b);
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("connection still open after " + timeoutMillis + " ms");
        } catch (java.net.SocketException e) {
            // connection reset: closed as well
        }
        return (System.nanoTime() - start) / 1_000_000L;
    }

    public InputStream input() {
        return in;
    }

    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    public void setTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Reads exactly n bytes. */
    public byte[] read(int n) throws IOException {
        byte[] b = new byte[n];
        try {
            in.readFully(b);
        } catch (EOFException e) {
            throw new EOFException("connection closed before " + n + " bytes");
        }
        return b;
    }
}
