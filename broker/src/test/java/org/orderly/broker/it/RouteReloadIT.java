package org.orderly.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #2, second "done when": in the real jar, a broken route file is refused with its file and
 * line while the previous routes keep serving, and a fixed file is picked up without restart.
 *
 * <p>The route's effect is observable from outside: a timer sends a value through a JMS queue
 * (Artemis, in the shaded jar) to a second route that writes it to a file.
 */
class RouteReloadIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    static String probeRoutes(String value, Path outDir) {
        return """
                - route:
                    id: probe-tick
                    from:
                      uri: timer:probe?period=200
                      steps:
                        - setBody:
                            constant: %s
                        - to:
                            uri: jms:queue:orderly.test.probe
                - route:
                    id: probe-write
                    from:
                      uri: jms:queue:orderly.test.probe
                      steps:
                        - to:
                            uri: file:%s?fileName=probe.txt
                """.formatted(value, outDir);
    }

    /** Line 7 has a step that does not exist: Camel's YAML DSL must refuse it, with that line. */
    static String brokenProbeRoutes(Path outDir) {
        return probeRoutes("v2", outDir).replace("        - setBody:\n            constant: v2",
                "        - setBody:\n            constantt: v2");
    }

    @Test
    void brokenFileIsRefusedWithLineAndOldRoutesKeepServingThenFixedFileIsPickedUp(@TempDir Path tmp) throws Exception {
        Path routes = Files.createDirectories(tmp.resolve("routes"));
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path probe = routes.resolve("probe.camel.yaml");
        Path result = out.resolve("probe.txt");
        Files.writeString(probe, probeRoutes("v1", out));

        try (BrokerProcess broker = BrokerProcess.start(tmp, List.of(
                "--orderly.http.port=" + BrokerProcess.freePort(), "--orderly.dicom.port=" + BrokerProcess.freePort(),
                "--orderly.hl7.port=" + BrokerProcess.freePort(), "--orderly.data-dir=" + tmp.resolve("data"),
                "--orderly.routes-dir=" + routes, "--orderly.bind=127.0.0.1"))) {
            broker.awaitReady();
            awaitContent(result, "v1");

            // 1. broken file: refused with file and line; the v1 routes keep running
            Files.writeString(probe, brokenProbeRoutes(out));
            String warn = broker.awaitNewOut(l -> l.contains("route file "), WAIT);
            assertTrue(warn.contains(probe + ":7: "), "file and line named: " + warn);
            assertTrue(warn.contains("keeping the 2 routes it defined before"), warn);
            Files.delete(result);
            awaitContent(result, "v1");

            // 2. another file reusing one of its ids: refused, v1 still serving
            Path dup = routes.resolve("dup.camel.yaml");
            Files.writeString(dup, """
                    - route:
                        id: probe-write
                        from:
                          uri: timer:dup?period=1000
                          steps:
                            - log: dup
                    """);
            String dupWarn = broker.awaitNewOut(l -> l.contains("route file "), WAIT);
            assertTrue(dupWarn.contains("dup.camel.yaml") && dupWarn.contains("already defined by probe.camel.yaml"), dupWarn);

            // 3. fixed file with a changed behaviour: picked up without restart
            Files.writeString(probe, probeRoutes("v2", out));
            broker.awaitNewOut(l -> l.contains("reloaded probe.camel.yaml"), WAIT);
            awaitContent(result, "v2");

            broker.terminate();
            assertEquals(0, broker.awaitExit(Duration.ofSeconds(30)), broker.allOutput());
        }
    }

    /** Polls the file the route writes, bounded by {@link #WAIT}. */
    private static void awaitContent(Path file, String expected) throws IOException, InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        String last = null;
        while (System.nanoTime() < end) {
            if (Files.exists(file)) {
                try {
                    last = Files.readString(file, StandardCharsets.UTF_8);
                    if (expected.equals(last)) {
                        return;
                    }
                } catch (IOException e) {
                    // being rewritten by the route; read again
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(file + ": expected '" + expected + "' within " + WAIT + ", last seen: " + last);
    }
}
