package org.orderly.broker.hl7.mllp;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.apache.camel.component.mllp.MllpConfiguration;
import org.apache.camel.component.mllp.MllpEndpoint;
import org.apache.camel.component.mllp.MllpProtocolConstants;
import org.apache.camel.component.mllp.MllpSocketException;
import org.apache.camel.component.mllp.internal.MllpSocketBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-mllp's per-connection receive buffer with strict framing in front ({@link MllpFrameReader}).
 *
 * <p>Why: camel-mllp 4.17's own {@code MllpSocketBuffer.readFrom} ignores bytes before the start
 * block and keeps the connection open, resets a truncated frame only after readTimeout, and on a
 * frame over {@code maxBufferSize} throws an {@code IllegalStateException} from
 * {@code ensureCapacity} that the consumer logs with a stack trace (and the received bytes at
 * WARN when logPhi is on). Here every framing violation gets exactly one WARN line (peer address
 * and reason, never payload) and the connection is reset at once; camel-mllp keeps everything
 * else: the socket, accept loop, thread per connection, the exchange and writing the ACK.
 *
 * <p>How it plugs in: {@code TcpSocketConsumerRunnable} calls {@link #readFrom(Socket, int, int)}
 * in its loop. A complete frame is handed over by writing it, enveloped, into this buffer (the
 * runnable then sees {@code hasCompleteEnvelope()}). A closed or refused connection ends the
 * loop: the socket is closed and a {@link SocketTimeoutException} with an empty buffer is thrown,
 * which the runnable treats as "no data" and then stops because the socket is closed.
 */
final class MllpFrameGuard extends MllpSocketBuffer {
    private static final Logger LOG = LoggerFactory.getLogger(MllpFrameGuard.class);
    /** SB + EB + CR around the data in camel-mllp's buffer, which is bounded by maxBufferSize. */
    private static final int ENVELOPE = 3;
    /**
     * {@code MSH|^~\&}: the shortest data that can be a message. Shorter frames are refused here
     * because camel-mllp 4.17's {@code sendAcknowledgement} fails with an
     * ArrayIndexOutOfBoundsException on a payload under 4 bytes and drops the connection with an
     * ERROR stack trace instead of sending our AR.
     */
    private static final int MIN_PAYLOAD = 8;

    private final MllpConfiguration config;
    private final int maxPayload;
    private MllpFrameReader reader;

    MllpFrameGuard(MllpEndpoint endpoint) {
        super(endpoint);
        this.config = endpoint.getConfiguration();
        this.maxPayload = config.getMaxBufferSize() - ENVELOPE;
    }

    @Override
    public synchronized void readFrom(Socket socket) throws MllpSocketException, SocketTimeoutException {
        readFrom(socket, config.getReceiveTimeout(), config.getReadTimeout());
    }

    @Override
    public synchronized void readFrom(Socket socket, int receiveTimeout, int readTimeout)
            throws MllpSocketException, SocketTimeoutException {
        if (!isConnectionValid(socket)) {
            throw new SocketTimeoutException("socket closed");
        }
        String peer = String.valueOf(socket.getRemoteSocketAddress());
        try {
            if (reader == null) {
                reader = new MllpFrameReader(socket.getInputStream());
            }
            socket.setSoTimeout(receiveTimeout);
            byte[] data = reader.next(socket, readTimeout, maxPayload);
            if (data == null) {
                LOG.debug("hl7 mllp peer={}: connection closed by the peer", peer);
                closeSocket(socket);
                throw new SocketTimeoutException("closed by the peer");
            }
            if (data.length < MIN_PAYLOAD) {
                throw new MllpFrameReader.FramingException("frame of " + data.length
                        + " bytes cannot hold an MSH segment header (MSH|^~\\&)");
            }
            reset();
            write(MllpProtocolConstants.START_OF_BLOCK);
            write(data, 0, data.length);
            write(MllpProtocolConstants.END_OF_BLOCK);
            write(MllpProtocolConstants.END_OF_DATA);
        } catch (SocketTimeoutException idle) {
            throw idle; // nothing received: camel-mllp's receiveTimeout / idleTimeout handling
        } catch (MllpFrameReader.FramingException e) {
            LOG.warn("hl7 mllp peer={}: {}; connection reset", peer, e.getMessage());
            refuse(socket);
        } catch (IOException e) {
            LOG.warn("hl7 mllp peer={}: read failed ({}); connection reset", peer, e.getMessage());
            refuse(socket);
        }
    }

    private void refuse(Socket socket) throws SocketTimeoutException {
        reset();
        resetSocket(socket);
        throw new SocketTimeoutException("connection refused by the framing guard");
    }
}
