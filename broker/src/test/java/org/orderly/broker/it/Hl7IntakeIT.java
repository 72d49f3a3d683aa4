package org.orderly.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderly.broker.hl7.AckSummary;
import org.orderly.broker.hl7.MllpClient;

/**
 * Issue #4 end to end with the real jar: HL7 over MLLP in (our MLLP client plays the RIS), ACKs
 * out, the message log API, mapping reload, bad input, and AA surviving SIGKILL.
 */
class Hl7IntakeIT {
    private static final Path SAMPLES = Path.of(System.getProperty("orderly.repo.routes")).resolve("../samples/hl7").normalize();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private record Ports(int http, int hl7, List<String> args) {
    }

    private static Ports ports(Path tmp) throws Exception {
        Path routes = tmp.resolve("routes");
        BrokerProcessIT.copyRepoRoutes(routes);
        int http = BrokerProcess.freePort();
        int hl7 = BrokerProcess.freePort();
        return new Ports(http, hl7, List.of("--orderly.http.port=" + http, "--orderly.dicom.port=" + BrokerProcess.freePort(),
                "--orderly.hl7.port=" + hl7, "--orderly.data-dir=" + tmp.resolve("data"), "--orderly.routes-dir=" + routes,
                "--orderly.mappings-dir=" + tmp.resolve("maps"), "--orderly.bind=127.0.0.1"));
    }

    private static AckSummary send(MllpClient c, byte[] msg) throws Exception {
        return AckSummary.parse(new String(c.exchange(msg), StandardCharsets.ISO_8859_1));
    }

    private static byte[] sample(String name) throws Exception {
        return Files.readAllBytes(SAMPLES.resolve(name));
    }

    @Test
    void samplesDuplicatesApiMappingReloadAndBadInput(@TempDir Path tmp) throws Exception {
        Ports p = ports(tmp);
        try (BrokerProcess broker = BrokerProcess.start(tmp, p.args())) {
            broker.awaitReady();
            assertTrue(broker.stdout().stream().anyMatch(l -> l.contains("listening: hl7 on 127.0.0.1:" + p.hl7())), broker.allOutput());
            String health = BrokerProcess.get(p.http(), "/health").body();
            assertTrue(health.contains("{\"name\":\"hl7\",\"port\":" + p.hl7() + ",\"status\":\"UP\"}"), health);

            // every sample, in order: expected MSA-1 (08 cancels the second procedure of 01, placer
            // NGP5002 from its own OBR-2; A40 12's prior patient was never ordered)
            Map<String, String> expected = Map.ofEntries(
                    Map.entry("01", "AA"), Map.entry("02", "AA"), Map.entry("03", "AA"), Map.entry("04", "AA"),
                    Map.entry("05", "AA"), Map.entry("06", "AA"), Map.entry("07", "AA"), Map.entry("08", "AA"),
                    Map.entry("09", "AA"), Map.entry("10", "AA"), Map.entry("11", "AA"), Map.entry("12", "AE"),
                    Map.entry("13", "AR"), Map.entry("14", "AA"));
            try (MllpClient c = new MllpClient("127.0.0.1", p.hl7(), 5000, 10000)) {
                for (String f : Files.list(SAMPLES).map(x -> x.getFileName().toString()).filter(n -> n.endsWith(".hl7")).sorted().toList()) {
                    AckSummary s = send(c, sample(f));
                    assertEquals(expected.get(f.substring(0, 2)), s.code(), f + ": " + s.line());
                }
                // AE with exact ERR: cancel of an unknown order, update of an unknown patient
                String unknownCancel = new String(sample("08-orm-o01-v231-cancel.hl7"), StandardCharsets.ISO_8859_1)
                        .replace("NGP5002", "NGP5999").replace("NG000801", "NG000899");
                AckSummary cancel = send(c, unknownCancel.getBytes(StandardCharsets.ISO_8859_1));
                assertEquals("ORC^1^2^204&Unknown key identifier&HL70357", cancel.errors().get(0), cancel.line());
                String a08 = new String(sample("11-adt-a08-v231.hl7"), StandardCharsets.ISO_8859_1)
                        .replace("NG001101", "NG001199").replace("NG100234", "NOSUCH1");
                AckSummary unknown = send(c, a08.getBytes(StandardCharsets.ISO_8859_1));
                assertEquals("AE", unknown.code(), unknown.line());
                assertEquals("PID^1^3^204&Unknown key identifier&HL70357", unknown.errors().get(0), unknown.line());
                // duplicate control ID: AA again, applied once (the log says duplicate)
                AckSummary dup = send(c, sample("04-omi-o23-v251-ipc.hl7"));
                assertEquals("AA", dup.code());
            }
            String dups = BrokerProcess.get(p.http(), "/api/hl7/messages?control-id=RB000401").body();
            assertTrue(dups.contains("\"duplicateOf\":"), dups);
            assertEquals(2, dups.split("\"controlId\":\"RB000401\"").length - 1, dups);
            String ar = BrokerProcess.get(p.http(), "/api/hl7/messages?outcome=AR").body();
            assertTrue(ar.contains("\"type\":\"ORU^R01\"") && ar.contains("\"code\":200"), ar);

            // replay of a logged message through the current mapping: applied again
            String id = dups.replaceAll("(?s).*?\"id\":(\\d+).*", "$1");
            HttpResponse<String> replay = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + p.http() + "/api/hl7/messages/" + id + "/replay"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, replay.statusCode(), replay.body());
            assertTrue(replay.body().contains("\"outcome\":\"AA\"") && replay.body().contains("\"applied\":true"), replay.body());

            // bad input: framed garbage -> AR; the listener keeps serving
            try (Socket s = new Socket("127.0.0.1", p.hl7())) {
                s.setSoTimeout(10000);
                OutputStream out = s.getOutputStream();
                out.write("\u000bhello world\u001c\r".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                String ack = new String(s.getInputStream().readNBytes(60), StandardCharsets.ISO_8859_1);
                assertTrue(ack.contains("MSH|^~\\&|"), ack);
            }
            try (MllpClient c = new MllpClient("127.0.0.1", p.hl7(), 5000, 10000)) {
                assertEquals("AA", send(c, sample("14-orm-o01-v231-zsegments.hl7")).code(), "still serving");
            }

            // mapping: a broken file is refused with file and line, the previous mapping stays
            Path defaults = tmp.resolve("maps").resolve("default.yaml");
            String good = Files.readString(defaults);
            Files.writeString(defaults, good.replace("  PatientID: PID-3-1", "  PatientID: PID-3-1\n  NoSuchKeyword: PID-5"));
            String warn = broker.awaitNewOut(l -> l.contains("HL7 mapping rejected"), WAIT);
            assertTrue(warn.contains("default.yaml:"), warn);
            try (MllpClient c = new MllpClient("127.0.0.1", p.hl7(), 5000, 10000)) {
                String nw = new String(sample("03-orm-o01-v24-crlf.hl7"), StandardCharsets.ISO_8859_1).replace("LV000301", "LV000399");
                assertEquals("AA", send(c, nw.getBytes(StandardCharsets.ISO_8859_1)).code(), "previous mapping in force");
            }
            // fixed (and changed: constant worklist label) -> applied without restart
            Files.writeString(defaults, good.replace("  WorklistLabel: MSH-4-1", "  WorklistLabel: { value: RELOADED }"));
            broker.awaitNewOut(l -> l.contains("HL7 mappings reloaded"), WAIT);

            // /health: hl7 DOWN (503) while the intake route's file is gone, UP again when it is back
            Path routeFile = tmp.resolve("routes").resolve("hl7-intake.camel.yaml");
            String routeYaml = Files.readString(routeFile);
            Files.delete(routeFile);
            broker.awaitNewOut(l -> l.contains("hl7-intake.camel.yaml deleted"), WAIT);
            HttpResponse<String> down = BrokerProcess.get(p.http(), "/health");
            assertEquals(503, down.statusCode(), down.body());
            assertTrue(down.body().contains("{\"name\":\"hl7\",\"port\":" + p.hl7() + ",\"status\":\"DOWN\"}"), down.body());
            Files.writeString(routeFile, routeYaml);
            broker.awaitNewOut(l -> l.contains("loaded hl7-intake.camel.yaml"), WAIT);
            HttpResponse<String> up = BrokerProcess.get(p.http(), "/health");
            assertEquals(200, up.statusCode(), up.body());
            try (MllpClient c = new MllpClient("127.0.0.1", p.hl7(), 5000, 10000)) {
                assertEquals("AA", send(c, sample("14-orm-o01-v231-zsegments.hl7")).code(), "serving again");
            }

            broker.terminate();
            assertEquals(0, broker.awaitExit(Duration.ofSeconds(30)), broker.allOutput());
            long phi = broker.stdout().stream().filter(l -> l.contains("DOE^JANE") || l.contains("xxxxxxxx")).count();
            assertEquals(0, phi, "no PHI or payload in the log");
        }
    }

    /** Reads until the server closes or resets the connection; fails if it answers or stays open. */
    private static void assertClosedWithoutAnswer(Socket s, String what) throws Exception {
        try {
            int b = s.getInputStream().read();
            assertEquals(-1, b, what + ": connection closed without an answer");
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError(what + ": connection still open after " + s.getSoTimeout() + " ms", e);
        } catch (java.net.SocketException reset) {
            // reset by the server: closed
        }
    }

    private static Socket raw(int port) throws Exception {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(8000); // route readTimeout is 5 s
        return s;
    }

    /**
     * Issue #4 bad input over MLLP, on raw sockets: each case gets a close (framing) or an AR
     * (content), bounded in time, exactly one WARN line naming the peer and the reason, no payload
     * in the log; another connection is served meanwhile and afterwards.
     */
    @Test
    void badInputIsRefusedWithOneLogLineWhileOtherConnectionsAreServed(@TempDir Path tmp) throws Exception {
        Ports p = ports(tmp);
        List<String> args = new java.util.ArrayList<>(p.args());
        args.add("--orderly.hl7.max-frame-bytes=65536");
        byte[] pid = "PID|1||NG100234^^^NORTHGATE||DOE^JANE^Q||19750612|F\r".getBytes(StandardCharsets.ISO_8859_1);
        try (BrokerProcess broker = BrokerProcess.start(tmp, args)) {
            broker.awaitReady();
            MllpClient other = new MllpClient("127.0.0.1", p.hl7(), 5000, 10000);
            String order = new String(sample("02-orm-o01-v231-ihe-zds-lf.hl7"), StandardCharsets.ISO_8859_1);
            int[] n = {0};
            java.util.function.Supplier<byte[]> nextOrder = () -> order.replace("NG000201", "NG0002X" + (++n[0]))
                    .getBytes(StandardCharsets.ISO_8859_1);

            // 1. bytes without a start block (with PHI in them): closed at once
            int before = broker.stdout().size();
            try (Socket s = raw(p.hl7())) {
                s.getOutputStream().write(pid);
                assertClosedWithoutAnswer(s, "garbage");
            }
            broker.awaitOut(l -> l.contains("WARN") && l.contains("hl7 mllp peer=/127.0.0.1:")
                    && l.contains("before the start block"), WAIT);

            // 2. truncated frame, then silence: closed after readTimeout; the other connection is served meanwhile
            try (Socket s = raw(p.hl7())) {
                s.getOutputStream().write(0x0b);
                s.getOutputStream().write(pid);
                s.getOutputStream().flush();
                assertEquals("AA", send(other, nextOrder.get()).code(), "served while a frame is pending");
                long t0 = System.nanoTime();
                assertClosedWithoutAnswer(s, "truncated frame");
                assertTrue(System.nanoTime() - t0 < 7_000_000_000L, "closed within readTimeout");
            }
            broker.awaitOut(l -> l.contains("hl7 mllp peer=") && l.contains("no end block"), WAIT);

            // 3. a frame over orderly.hl7.max-frame-bytes: reset as soon as the limit is passed
            try (Socket s = raw(p.hl7())) {
                byte[] big = new byte[200_000];
                java.util.Arrays.fill(big, (byte) 'x');
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(0x0b);
                    out.write("MSH|^~\\&|A|B|C|D|2024||ORM^O01|BIG1|P|2.3.1\rNTE|1||".getBytes(StandardCharsets.ISO_8859_1));
                    out.write(big);
                    out.write(new byte[] {0x1c, 0x0d});
                    out.flush();
                } catch (java.net.SocketException reset) {
                    // reset while we were still writing: refused
                }
                assertClosedWithoutAnswer(s, "oversize frame");
            }
            broker.awaitOut(l -> l.contains("hl7 mllp peer=") && l.contains("over the limit of 65533 bytes"), WAIT);

            // 4. a start block inside a frame (previous frame truncated): reset
            try (Socket s = raw(p.hl7())) {
                s.getOutputStream().write("\u000bMSH|^~\\&|A\u000bMSH|^~\\&|A\u001c\r".getBytes(StandardCharsets.ISO_8859_1));
                assertClosedWithoutAnswer(s, "start block inside a frame");
            }
            broker.awaitOut(l -> l.contains("hl7 mllp peer=") && l.contains("inside a frame"), WAIT);

            // 5. a frame too short to hold "MSH|^~\&": reset (camel-mllp cannot acknowledge it)
            try (Socket s = raw(p.hl7())) {
                s.getOutputStream().write("\u000bMSH\u001c\r".getBytes(StandardCharsets.ISO_8859_1));
                assertClosedWithoutAnswer(s, "3-byte frame");
            }
            broker.awaitOut(l -> l.contains("hl7 mllp peer=") && l.contains("cannot hold an MSH"), WAIT);

            // 6. well framed, invalid content: MSH without field separator / encoding characters -> AR, connection kept
            try (Socket s = raw(p.hl7())) {
                for (String bad : List.of("MSH\rPID|1||NG1", "MSX|^~\\&|A|B", "hello world")) {
                    s.getOutputStream().write(("\u000b" + bad + "\u001c\r").getBytes(StandardCharsets.ISO_8859_1));
                    byte[] frame;
                    try {
                        frame = readFrame(s.getInputStream());
                    } catch (AssertionError e) {
                        throw new AssertionError(bad + ": " + e.getMessage() + "\n" + broker.allOutput(), e);
                    }
                    AckSummary ack = AckSummary.parse(new String(frame, StandardCharsets.ISO_8859_1));
                    assertEquals("AR", ack.code(), bad + ": " + ack.line());
                }
            }

            // afterwards: the waiting connection and a new one are served
            assertEquals("AA", send(other, nextOrder.get()).code(), "same connection afterwards");
            try (MllpClient c = new MllpClient("127.0.0.1", p.hl7(), 5000, 10000)) {
                assertEquals("AA", send(c, nextOrder.get()).code(), "new connection afterwards");
            }

            List<String> out = broker.stdout().subList(before, broker.stdout().size());
            List<String> warns = out.stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList();
            assertEquals(5, warns.size(), "one WARN line per framing violation, nothing else:\n" + String.join("\n", warns));
            assertTrue(warns.stream().allMatch(l -> l.contains("hl7 mllp peer=/127.0.0.1:")), String.join("\n", warns));
            assertEquals(0, out.stream().filter(l -> l.contains("startConsumer") || l.contains("Resetting")).count(),
                    "no per-connection INFO from camel-mllp");
            assertEquals(0, broker.stdout().stream().filter(l -> l.contains("DOE") || l.contains("xxxxxxxx")).count(),
                    "no PHI or payload in the log:\n" + String.join("\n", out));
            assertEquals(0, broker.stderr().stream().filter(l -> l.contains("DOE") || l.contains("xxxxxxxx")).count(),
                    "no PHI or payload on stderr");
            other.close();
        }
    }

    private static byte[] readFrame(InputStream in) throws Exception {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        int c = in.read();
        assertEquals(0x0b, c, "start block");
        while ((c = in.read()) != 0x1c) {
            assertTrue(c >= 0, "frame ended early");
            b.write(c);
        }
        in.read(); // CR
        return b.toByteArray();
    }

    @Test
    void aaSurvivesSigkill(@TempDir Path tmp) throws Exception {
        Ports p = ports(tmp);
        try (BrokerProcess broker = BrokerProcess.start(tmp, p.args())) {
            broker.awaitReady();
            try (MllpClient c = new MllpClient("127.0.0.1", p.hl7(), 5000, 10000)) {
                assertEquals("AA", send(c, sample("04-omi-o23-v251-ipc.hl7")).code());
            }
            // leaving the block closes BrokerProcess: Process.destroyForcibly() = SIGKILL, right after AA
        }
        try (BrokerProcess broker = BrokerProcess.start(tmp, p.args())) {
            broker.awaitReady();
            String log = BrokerProcess.get(p.http(), "/api/hl7/messages?control-id=RB000401").body();
            assertTrue(log.contains("\"outcome\":\"AA\"") && log.contains("\"applied\":true"), log);
            try (MllpClient c = new MllpClient("127.0.0.1", p.hl7(), 5000, 10000)) {
                // the order is in the store: a retransmission is a duplicate, and a change of it is applied
                assertEquals("AA", send(c, sample("04-omi-o23-v251-ipc.hl7")).code());
            }
            String again = BrokerProcess.get(p.http(), "/api/hl7/messages?control-id=RB000401").body();
            assertTrue(again.contains("\"duplicateOf\":"), again);
            broker.terminate();
            broker.awaitExit(Duration.ofSeconds(30));
        }
    }
}
