package org.orderly.dicom.net.ul;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.concurrent.TimeUnit;

import org.orderly.dicom.net.pdu.Pdu;

/**
 * The TCP transport of one association, PS3.8 §9.1.1. TCP_NODELAY is always on (one PDU per write; Nagle would add
 * ~40 ms per exchange). Reads time out after the read timeout (SO_TIMEOUT); a write that does not complete within
 * the write timeout closes the socket ({@link WriteWatchdog}), so a peer that stops reading can never hang a sender.
 * Each PDU is assembled in a write buffer and sent with one write call when it fits (one TCP segment train per PDU,
 * no extra copy of the PDU).
 */
public final class Transport implements Closeable {

    private final Socket socket;
    /** Read buffer size, and the default write buffer size. */
    static final int DEFAULT_BUFFER_SIZE = 64 * 1024;
    /** Largest write buffer: bigger PDUs are still sent, in more than one write call. */
    static final int MAX_WRITE_BUFFER_SIZE = 1024 * 1024;

    private final long writeTimeoutNanos;
    private final int writeBufferSize;
    private volatile InputStream in;
    private volatile OutputStream out;
    /** System.nanoTime() by which the write in progress must complete; read by {@link WriteWatchdog}. */
    private volatile long writeDeadline;

    /**
     * @param socket             a connected socket (acceptor) or an unconnected one to {@link #connect} (requestor)
     * @param readTimeoutMillis  SO_TIMEOUT; 0 = none
     * @param writeTimeoutMillis limit for one PDU write; 0 = none
     */
    public Transport(Socket socket, int readTimeoutMillis, long writeTimeoutMillis) throws IOException {
        this(socket, readTimeoutMillis, writeTimeoutMillis, DEFAULT_BUFFER_SIZE);
    }

    /**
     * @param largestPdu the largest PDU we expect to send, header included (e.g. our Maximum PDU length to send
     *                   + 6): the write buffer is made that large (at most {@value #MAX_WRITE_BUFFER_SIZE}), so
     *                   that a PDU leaves in one write call
     */
    public Transport(Socket socket, int readTimeoutMillis, long writeTimeoutMillis, long largestPdu)
            throws IOException {
        this.socket = socket;
        this.writeTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(writeTimeoutMillis);
        this.writeBufferSize = (int) Math.max(DEFAULT_BUFFER_SIZE, Math.min(largestPdu, MAX_WRITE_BUFFER_SIZE));
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(readTimeoutMillis);
        if (socket.isConnected()) {
            openStreams();
        }
    }

    private void openStreams() throws IOException {
        in = new BufferedInputStream(socket.getInputStream(), DEFAULT_BUFFER_SIZE);
        out = new BufferedOutputStream(socket.getOutputStream(), writeBufferSize);
    }

    /** AE-1: the TRANSPORT CONNECT request, PS3.8 Table 9-6. */
    public void connect(SocketAddress address, int connectTimeoutMillis) throws IOException {
        socket.connect(address, connectTimeoutMillis);
        socket.setTcpNoDelay(true);
        openStreams();
    }

    public InputStream input() {
        return in;
    }

    public void setReadTimeout(int millis) throws SocketException {
        socket.setSoTimeout(millis);
    }

    /** Writes one PDU; on failure or write timeout the socket is closed. */
    public void write(Pdu pdu) throws IOException {
        OutputStream o = out;
        if (o == null) {
            throw new SocketException("transport not connected");
        }
        synchronized (this) {
            boolean watched = writeTimeoutNanos > 0;
            if (watched) {
                writeDeadline = System.nanoTime() + writeTimeoutNanos;
                WriteWatchdog.writing(this);
            }
            try {
                pdu.writeTo(o);
                o.flush();
            } catch (IOException e) {
                close();
                throw e;
            } finally {
                if (watched) {
                    WriteWatchdog.done(this);
                }
            }
        }
    }

    /** Whether a write is in progress and has passed its deadline at {@code nanoTime}. */
    boolean isWriteOverdue(long nanoTime) {
        return nanoTime - writeDeadline > 0;
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    public Socket socket() {
        return socket;
    }

    /** The peer's address for log lines. */
    public String remote() {
        SocketAddress a = socket.getRemoteSocketAddress();
        return a != null ? a.toString() : "?";
    }

    /** Closes the socket; idempotent, never throws. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do with a socket that fails to close
        }
    }
}
