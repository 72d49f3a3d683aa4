package org.orderly.broker.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A real MLLP server playing the RIS: records every message it receives (with the ACK code it answered) and answers
 * AA, or in {@link Mode#AE_THEN_AA} AE the first time it sees an MSH-10 and AA the next time. Can be stopped and
 * started again on the same port while the test runs.
 */
final class TestRis implements AutoCloseable {

    enum Mode { AA, AE_THEN_AA }

    record Received(String message, String ackCode) {
        String field(String segment, int field) {
            for (String seg : message.split("\r")) {
                if (seg.startsWith(segment + "|")) {
                    String[] f = seg.split("\\|", -1);
                    int index = segment.equals("MSH") ? field - 1 : field;
                    return index < f.length ? f[index] : "";
                }
            }
            return null;
        }

        String controlId() {
            return field("MSH", 10);
        }
    }

    private final int port;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private volatile Mode mode = Mode.AA;
    private volatile ServerSocket server;

    TestRis(int port) {
        this.port = port;
    }

    TestRis mode(Mode m) {
        this.mode = m;
        return this;
    }

    synchronized TestRis start() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = s;
        Thread t = new Thread(() -> acceptLoop(s), "test-ris-accept");
        t.setDaemon(true);
        t.start();
        return this;
    }

    /** Closes the listening socket and every open connection: the RIS is down. */
    synchronized void stop() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
        for (Socket c : connections) {
            c.close();
        }
        connections.clear();
    }

    int port() {
        return port;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits until {@code count} received messages match. */
    List<Received> await(Predicate<Received> match, int count, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Received> m = received.stream().filter(match).toList();
            if (m.size() >= count) {
                return m;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("RIS got " + m.size() + " of " + count + " expected messages; all: "
                        + received.stream().map(r -> r.controlId() + "/" + r.field("ORC", 5) + "/" + r.ackCode()).toList()
                        + (received.isEmpty() ? "" : "; first: " + received.get(0).message().replace("\r", "\n")));
            }
            Thread.sleep(50);
        }
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket c = s.accept();
                c.setTcpNoDelay(true);
                c.setSoTimeout(120_000);
                connections.add(c);
                Thread t = new Thread(() -> serve(c), "test-ris-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket c) {
        try (c; InputStream in = new BufferedInputStream(c.getInputStream()); OutputStream out = c.getOutputStream()) {
            while (true) {
                String msg = readFrame(in);
                if (msg == null) {
                    return;
                }
                Received probe = new Received(msg, "");
                String id = probe.controlId();
                String code;
                synchronized (seen) {
                    code = mode == Mode.AE_THEN_AA && seen.add(id) ? "AE" : "AA";
                }
                received.add(new Received(msg, code));
                String ack = "MSH|^~\\&|RIS|HOSP|ORDERLY||20240101000000||ACK^O01|ACK" + id + "|P|2.3.1\rMSA|" + code
                        + "|" + id + "\r";
                byte[] b = ack.getBytes(StandardCharsets.ISO_8859_1);
                out.write(0x0B);
                out.write(b);
                out.write(0x1C);
                out.write(0x0D);
                out.flush();
            }
        } catch (IOException e) {
            // connection closed
        }
    }

    private static String readFrame(InputStream in) throws IOException {
        int b;
        while ((b = in.read()) != 0x0B) {
            if (b < 0) {
                return null;
            }
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while ((b = in.read()) != 0x1C) {
            if (b < 0) {
                return null;
            }
            buf.write(b);
        }
        in.read(); // CR
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
