package org.orderly.dicom.net.ul;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.orderly.dicom.net.pdu.PDataTf;
import org.orderly.dicom.net.pdu.PresentationDataValue;

/** The write timeout of {@link Transport}, enforced by {@link WriteWatchdog}. */
class TransportWriteTimeoutTest {

    private static final long TIMEOUT_MILLIS = 300;
    private static final PDataTf BIG = PDataTf.of(new PresentationDataValue(1, false, false, new byte[256 * 1024]));

    @Test
    void writeToAPeerThatStopsReadingIsBrokenAfterTheWriteTimeout() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.setReceiveBufferSize(4096);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Socket socket = new Socket();
            socket.setSendBufferSize(4096);
            socket.connect(server.getLocalSocketAddress());
            try (Socket peer = server.accept()) { // never reads
                Transport t = new Transport(socket, 0, TIMEOUT_MILLIS);
                long[] blockedSince = new long[1];
                assertThrows(IOException.class, () -> assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                    while (true) {
                        blockedSince[0] = System.nanoTime();
                        t.write(BIG); // fills the socket buffers, then blocks until the watchdog closes
                    }
                }));
                long blockedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - blockedSince[0]);
                assertTrue(blockedMillis >= TIMEOUT_MILLIS, "closed after " + blockedMillis + " ms, too early");
                assertTrue(t.isClosed());
            }
        }
    }

    @Test
    void completedWritesAreNeverTimedOut() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket peer = server.accept()) {
            Thread reader = new Thread(() -> {
                try (InputStream in = peer.getInputStream()) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // the test closes the sockets
                }
            });
            reader.start();
            Transport t = new Transport(socket, 0, TIMEOUT_MILLIS);
            for (int i = 0; i < 20; i++) {
                t.write(BIG);
            }
            Thread.sleep(2 * (TIMEOUT_MILLIS + WriteWatchdog.TICK_MILLIS));
            assertFalse(t.isClosed(), "a transport whose writes completed was closed by the watchdog");
            t.write(BIG);
            t.close();
            reader.join(5000);
        }
    }
}
