package org.orderly.dicom.net.ul;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.orderly.dicom.net.pdu.Pdu;

/**
 * The TCP transport of one association, PS3.8 §9.1.1. TCP_NODELAY is always on (one PDU per write; Nagle would add
 * ~40 ms per exchange). Reads time out after the read timeout (SO_TIMEOUT); a write that does not complete within
 * the write timeout closes the socket, so a peer that stops reading can never hang a sender.
 */
public final class Transport implements Closeable {

    private final Socket socket;
    private final long writeTimeoutMillis;
    private volatile InputStream in;
    private volatile OutputStream out;

    /**
     * @param socket             a connected socket (acceptor) or an unconnected one to {@link #connect} (requestor)
     * @param readTimeoutMillis  SO_TIMEOUT; 0 = none
     * @param writeTimeoutMillis limit for one PDU write; 0 = none
     */
    public Transport(Socket socket, int readTimeoutMillis, long writeTimeoutMillis) throws IOException {
        this.socket = socket;
        this.writeTimeoutMillis = writeTimeoutMillis;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(readTimeoutMillis);
        if (socket.isConnected()) {
            openStreams();
        }
    }

    private void openStreams() throws IOException {
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
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
            ScheduledFuture<?> watchdog = writeTimeoutMillis > 0
                    ? Timers.WATCHDOG.schedule(this::close, writeTimeoutMillis, TimeUnit.MILLISECONDS)
                    : null;
            try {
                pdu.writeTo(o);
                o.flush();
            } catch (IOException e) {
                close();
                throw e;
            } finally {
                if (watchdog != null) {
                    watchdog.cancel(false);
                }
            }
        }
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
