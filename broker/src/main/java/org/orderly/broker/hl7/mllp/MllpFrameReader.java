package org.orderly.broker.hl7.mllp;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * Reads MLLP frames strictly, with a bounded buffer. HL7 v2.5.1 Appendix C (MLLP Release 2),
 * §C.4.3 Block format:
 *
 * <pre>
 *   &lt;SB&gt; dddd &lt;EB&gt;&lt;CR&gt;     SB = 0x0B (VT), EB = 0x1C (FS), CR = 0x0D
 * </pre>
 *
 * Rules, each violation a {@link FramingException} naming the reason (never the payload):
 * <ul>
 *   <li>between frames only CR / LF may appear (some senders end a frame with FS CR LF); any other
 *       byte before SB is not MLLP;</li>
 *   <li>an SB inside a frame means the previous frame was truncated;</li>
 *   <li>a frame's data longer than {@code maxPayload} bytes is refused as soon as the limit is
 *       passed: no allocation beyond the limit;</li>
 *   <li>after SB the end block must arrive within {@code readTimeout} of the previous bytes, and
 *       the connection must not end inside a frame.</li>
 * </ul>
 * The CR after EB is optional (some senders omit it); when present it is consumed. One reader
 * per connection, not thread-safe.
 */
final class MllpFrameReader {
    static final int SB = 0x0B;
    static final int EB = 0x1C;
    static final int CR = 0x0D;
    static final int LF = 0x0A;

    /** A framing violation: the connection is no longer in a known state and must be closed. */
    static final class FramingException extends IOException {
        private static final long serialVersionUID = 1L;

        FramingException(String reason) {
            super(reason);
        }
    }

    private final InputStream in;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int end;

    MllpFrameReader(InputStream in) {
        this.in = in;
    }

    /**
     * Reads the next frame's data (without SB, EB, CR).
     *
     * @return the data, or null when the peer closed the connection between frames
     * @throws SocketTimeoutException nothing arrived within the socket's current timeout while
     *                                waiting for a frame (the caller decides about idle connections)
     * @throws FramingException       a framing violation (see class comment)
     */
    byte[] next(Socket socket, int readTimeout, int maxPayload) throws IOException {
        int b;
        do {
            b = read();
            if (b < 0) {
                return null;
            }
        } while (b == CR || b == LF);
        if (b != SB) {
            throw new FramingException("data before the start block <VT> (byte 0x" + Integer.toHexString(b)
                    + "): not MLLP framing");
        }
        socket.setSoTimeout(readTimeout);
        byte[] data = new byte[Math.min(maxPayload, 4096)];
        int n = 0;
        try {
            while (true) {
                if (pos == end && fill() < 0) {
                    throw new FramingException("connection closed inside a frame after " + n + " bytes (truncated frame)");
                }
                // scan the buffered bytes for EB / SB without a call per byte
                int start = pos;
                while (pos < end && buf[pos] != EB && buf[pos] != SB) {
                    pos++;
                }
                int chunk = pos - start;
                if (n + chunk > maxPayload) {
                    throw new FramingException("frame over the limit of " + maxPayload
                            + " bytes (orderly.hl7.max-frame-bytes)");
                }
                if (n + chunk > data.length) {
                    data = Arrays.copyOf(data, (int) Math.min(maxPayload, Math.max(n + chunk, 2L * data.length)));
                }
                System.arraycopy(buf, start, data, n, chunk);
                n += chunk;
                if (pos < end) {
                    if (buf[pos] == SB) {
                        throw new FramingException("start block <VT> inside a frame after " + n
                                + " bytes (previous frame truncated)");
                    }
                    pos++; // EB
                    if (pos < end && buf[pos] == CR) {
                        pos++;
                    }
                    return n == data.length ? data : Arrays.copyOf(data, n);
                }
            }
        } catch (SocketTimeoutException e) {
            throw new FramingException("frame incomplete: no end block <FS> within " + readTimeout + " ms after "
                    + n + " bytes (truncated frame)");
        }
    }

    private int read() throws IOException {
        if (pos == end && fill() < 0) {
            return -1;
        }
        return buf[pos++] & 0xFF;
    }

    private int fill() throws IOException {
        int r = in.read(buf, 0, buf.length);
        if (r < 0) {
            return -1;
        }
        pos = 0;
        end = r;
        return r;
    }
}
