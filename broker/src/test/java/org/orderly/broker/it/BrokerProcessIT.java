package org.orderly.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #2, first "done when": the real jar as a separate process with non-default ports and data
 * dir; waits for {@code ready}; checks /health; SIGTERM; exit code 0; the data dir holds the H2
 * database and the Artemis journal.
 */
class BrokerProcessIT {

    @Test
    void startsServesHealthAndStopsCleanlyOnSigterm(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        Path routes = tmp.resolve("routes");
        copyRepoRoutes(routes);
        int http = BrokerProcess.freePort();
        int dicom = BrokerProcess.freePort();
        int hl7 = BrokerProcess.freePort();

        try (BrokerProcess broker = BrokerProcess.start(tmp, List.of(
                "--orderly.http.port=" + http, "--orderly.dicom.port=" + dicom, "--orderly.hl7.port=" + hl7,
                "--orderly.data-dir=" + data, "--orderly.routes-dir=" + routes, "--orderly.bind=127.0.0.1"))) {
            broker.awaitReady();
            assertTrue(broker.stdout().stream().anyMatch(l -> l.contains("listening: http on 127.0.0.1:" + http)),
                    "one line per listener with its port");
            assertTrue(broker.stdout().stream().anyMatch(l -> l.contains("loaded worklist-events.camel.yaml")),
                    "the shipped route file (a JMS consumer) loads in the shaded jar");

            HttpResponse<String> health = BrokerProcess.get(http, "/health");
            assertEquals(200, health.statusCode(), health.body());
            String body = health.body();
            assertTrue(body.startsWith("{\"status\":\"UP\""), body);
            assertTrue(body.contains("\"database\":{\"status\":\"UP\"}"), body);
            assertTrue(body.contains("\"jms\":{\"status\":\"UP\"}"), body);
            assertTrue(body.contains("{\"name\":\"http\",\"port\":" + http + ",\"status\":\"UP\"}"), body);
            assertEquals(404, BrokerProcess.get(http, "/nope").statusCode());

            broker.terminate();
            int code = broker.awaitExit(Duration.ofSeconds(30));
            assertEquals(0, code, broker.allOutput());
            assertTrue(broker.stdout().stream().anyMatch(l -> l.contains("Orderly stopped")), broker.allOutput());
        }

        Path db = data.resolve("db").resolve("orderly.mv.db");
        assertTrue(Files.isRegularFile(db) && Files.size(db) > 0, "H2 database file " + db);
        Path journal = data.resolve("artemis").resolve("journal");
        assertTrue(Files.isDirectory(journal), "Artemis journal dir " + journal);
        try (Stream<Path> files = Files.list(journal)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().endsWith(".amq")), "journal files in " + journal);
        }
        assertTrue(Files.isDirectory(data.resolve("artemis").resolve("bindings")), "Artemis bindings journal");
    }

    static void copyRepoRoutes(Path target) throws Exception {
        Files.createDirectories(target);
        Path repoRoutes = Path.of(System.getProperty("orderly.repo.routes"));
        try (Stream<Path> files = Files.list(repoRoutes)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().endsWith(".camel.yaml")) {
                    Files.copy(f, target.resolve(f.getFileName()));
                }
            }
        }
    }
}
