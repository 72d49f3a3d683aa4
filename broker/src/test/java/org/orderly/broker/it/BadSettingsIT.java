package org.orderly.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue #2, third "done when": each bad setting value is refused by the real jar with exit code 2,
 * exactly one clear line on stderr naming the setting and the problem, and nothing started
 * (no {@code ready}, no database in the data dir). Validation runs before anything starts, so
 * each case costs one JVM start.
 */
class BadSettingsIT {

    private record Outcome(int code, List<String> stdout, List<String> stderr) {
    }

    private static Outcome run(Path tmp, List<String> extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--orderly.http.port=" + BrokerProcess.freePort(), "--orderly.dicom.port=" + BrokerProcess.freePort(),
                "--orderly.hl7.port=" + BrokerProcess.freePort(), "--orderly.data-dir=" + tmp.resolve("data"),
                "--orderly.routes-dir=" + tmp.resolve("routes"), "--orderly.mappings-dir=" + tmp.resolve("maps"),
                "--orderly.bind=127.0.0.1"));
        args.addAll(extra); // later arguments win
        try (BrokerProcess p = BrokerProcess.start(tmp, args)) {
            int code = p.awaitExit(Duration.ofSeconds(30));
            return new Outcome(code, p.stdout(), p.stderr());
        }
    }

    private static void assertRefused(Path tmp, Outcome o, String... expectedInLine) {
        assertEquals(2, o.code(), "exit code; stderr=" + o.stderr() + " stdout=" + o.stdout());
        assertEquals(1, o.stderr().size(), "exactly one line on stderr: " + o.stderr());
        String line = o.stderr().get(0);
        assertTrue(line.startsWith("orderly: "), line);
        for (String s : expectedInLine) {
            assertTrue(line.contains(s), "'" + s + "' in: " + line);
        }
        assertFalse(o.stdout().stream().anyMatch(l -> l.contains("ready") || l.contains("Orderly stop")), "nothing started: " + o.stdout());
        assertFalse(Files.exists(tmp.resolve("data").resolve("db")), "no database created");
        assertFalse(Files.exists(tmp.resolve("data").resolve("artemis")), "no journal created");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--orderly.http.port=abc          | setting orderly.http.port=abc: not a TCP port",
        "--orderly.http.port=70000        | setting orderly.http.port=70000: not a TCP port",
        "--orderly.dicom.port=-1          | setting orderly.dicom.port=-1: not a TCP port",
        "--orderly.ae-title=ABCDEFGHIJKLMNOPQ | setting orderly.ae-title=ABCDEFGHIJKLMNOPQ: AE title longer than 16",
        "--orderly.ae-title=              | setting orderly.ae-title=: empty AE title",
        "--orderly.ae-title=A\\B          | AE title contains a backslash",
        "--orderly.nope=1                 | unknown setting orderly.nope (from --orderly.nope=1)",
        "--orderly.ris.host=ris.example   | setting orderly.ris.host=ris.example: orderly.ris.port is not set",
        "--orderly.ris.port=2576          | setting orderly.ris.port=2576: orderly.ris.host is not set",
        "--orderly.worklist.retention-days=0 | setting orderly.worklist.retention-days=0: not a whole number",
        "--orderly.worklist.purge-cron=nightly | setting orderly.worklist.purge-cron=nightly: not a Quartz cron",
        "--orderly.bind=no-such-host.invalid | setting orderly.bind=no-such-host.invalid: cannot resolve",
    })
    void badValueIsRefusedWithOneClearLine(String arg, String expected, @TempDir Path tmp) throws Exception {
        Outcome o = run(tmp, List.of(arg.strip()));
        assertRefused(tmp, o, expected.strip(), "(from ");
    }

    @Test
    void dataDirThatCannotBeCreatedIsRefused(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        Outcome o = run(tmp, List.of("--orderly.data-dir=" + file.resolve("data")));
        assertRefused(tmp, o, "setting orderly.data-dir=" + file.resolve("data") + ": cannot create directory",
                file + " is a file, not a directory");
    }

    @Test
    void portInUseIsRefusedBeforeAnythingStarts(@TempDir Path tmp) throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();
            Outcome o = run(tmp, List.of("--orderly.http.port=" + port));
            assertRefused(tmp, o, "setting orderly.http.port=" + port + ": port already in use (bind 127.0.0.1:" + port + ")");
            Outcome d = run(tmp, List.of("--orderly.dicom.port=" + port));
            assertRefused(tmp, d, "setting orderly.dicom.port=" + port + ": port already in use");
        }
    }

    @Test
    void environmentVariableValueIsNamedInTheMessage(@TempDir Path tmp) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", BrokerProcess.jar().toString(), "--orderly.data-dir=" + tmp.resolve("data"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().put("ORDERLY_HL7_PORT", "x25");
        Process p = pb.start();
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertEquals(2, p.exitValue(), err);
        assertEquals("orderly: setting orderly.hl7.port=x25: not a TCP port (expected a number 0..65535, 0 = any free port)"
                + " (from environment variable ORDERLY_HL7_PORT)", err);
    }

    @Test
    void unknownCommandPrintsUsageAndExits2(@TempDir Path tmp) throws Exception {
        try (BrokerProcess p = BrokerProcess.start(tmp, List.of("frobnicate"))) {
            assertEquals(2, p.awaitExit(Duration.ofSeconds(30)));
            assertTrue(p.stderr().get(0).contains("unknown command 'frobnicate'"), p.stderr().toString());
            assertTrue(p.stderr().stream().anyMatch(l -> l.startsWith("  run ")), p.stderr().toString());
        }
        try (BrokerProcess p = BrokerProcess.start(tmp, List.of("--help"))) {
            assertEquals(0, p.awaitExit(Duration.ofSeconds(30)));
            assertTrue(p.stdout().stream().anyMatch(l -> l.startsWith("  run ")), p.stdout().toString());
        }
    }
}
