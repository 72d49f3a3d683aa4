package org.orderly.broker.hl7;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A minimal blocking MLLP client (HL7 v2 MLLP, Release 2: {@code <VT> message <FS><CR>}): sends one
 * message and reads the one acknowledgment frame that answers it. Connect and read timeouts on
 * every socket, TCP_NODELAY on (no 40 ms Nagle wait per message), an upper bound on the ACK size.
 * Not thread-safe: one client per connection.
 */
public final class MllpClient implements AutoCloseable {

    public static final byte START_BLOCK = 0x0B;
    public static final byte END_BLOCK = 0x1C;
    public static final byte CARRIAGE_RETURN = 0x0D;
    /** An ACK larger than this is refused (it is a few hundred bytes). */
    public static final int MAX_ACK_BYTES = 1 << 20;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream frame = new ByteArrayOutputStream(512);

    public MllpClient(String host, int port, int connectTimeoutMillis, int readTimeoutMillis) throws IOException {
        socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            socket.setSoTimeout(readTimeoutMillis);
            in = new java.io.BufferedInputStream(socket.getInputStream(), 8192);
            out = socket.getOutputStream();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one framed message (the bytes as they are: segments ended by CR). */
    public void send(byte[] message) throws IOException {
        byte[] framed = new byte[message.length + 3];
        framed[0] = START_BLOCK;
        System.arraycopy(message, 0, framed, 1, message.length);
        framed[framed.length - 2] = END_BLOCK;
        framed[framed.length - 1] = CARRIAGE_RETURN;
        out.write(framed);
        out.flush();
    }

    /** Reads one acknowledgment frame; bytes before the start block are skipped. */
    public byte[] receive() throws IOException {
        int b;
        while ((b = in.read()) != START_BLOCK) {
            if (b < 0) {
                throw new EOFException("connection closed by the peer before an acknowledgment");
            }
        }
        frame.reset();
        while (true) {
            b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside an acknowledgment frame");
            }
            if (b == END_BLOCK) {
                int cr = in.read(); // MLLP: CR after the end block; tolerate its absence at end of stream
                if (cr >= 0 && cr != CARRIAGE_RETURN) {
                    throw new IOException("MLLP frame not terminated by <FS><CR>");
                }
                return frame.toByteArray();
            }
            if (frame.size() >= MAX_ACK_BYTES) {
                throw new IOException("acknowledgment larger than " + MAX_ACK_BYTES + " bytes");
            }
            frame.write(b);
        }
    }

    /** Sends and waits for the answer. */
    public byte[] exchange(byte[] message) throws IOException {
        send(message);
        try {
            return receive();
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("no acknowledgment within " + socket.getSoTimeout() + " ms");
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
