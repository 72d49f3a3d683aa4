package org.orderly.broker.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The swap logic in-process, with Camel's real YAML DSL (no JMS): fast cases beside RouteReloadIT. */
class SafeRouteReloaderTest {
    @TempDir
    Path dir;
    private CamelContext camel;
    private SafeRouteReloader reloader;
    private ConsumerTemplate consumer;

    @BeforeEach
    void start() {
        camel = new DefaultCamelContext();
        camel.start();
        consumer = camel.createConsumerTemplate();
        reloader = new SafeRouteReloader(camel, dir);
    }

    @AfterEach
    void stop() {
        reloader.close();
        camel.stop();
    }

    static String tick(String id, String value) {
        return """
                - route:
                    id: %s
                    from:
                      uri: timer:%s?period=20
                      steps:
                        - setBody:
                            constant: %s
                        - to:
                            uri: seda:out
                """.formatted(id, id, value);
    }

    private Path write(String name, String yaml) throws Exception {
        return Files.writeString(dir.resolve(name), yaml, StandardCharsets.UTF_8);
    }

    /** Waits (bounded) for the value the routes produce next, skipping older ones already queued. */
    private void awaitValue(String expected) {
        for (int i = 0; i < 200; i++) {
            String v = consumer.receiveBody("seda:out", 5000, String.class);
            assertNotNull(v, "no message from the route");
            if (v.equals(expected)) {
                return;
            }
        }
        throw new AssertionError("never saw " + expected);
    }

    @Test
    void yamlSyntaxErrorIsRefusedWithLineAndOldRouteKeepsRunning() throws Exception {
        Path f = write("a.camel.yaml", tick("a", "v1"));
        assertEquals(0, reloader.loadAll());
        awaitValue("v1");

        write("a.camel.yaml", tick("a", "v2").replace("      steps:", "      steps:\n   bad: [unclosed"));
        assertFalse(reloader.apply(f));
        assertNotNull(camel.getRoute("a"));
        assertTrue(camel.getRouteController().getRouteStatus("a").isStarted());
        awaitValue("v1");

        write("a.camel.yaml", tick("a", "v3"));
        assertTrue(reloader.apply(f));
        awaitValue("v3");
    }

    @Test
    void parseErrorsCarryFileAndLine() throws Exception {
        Path f = write("b.camel.yaml", tick("b", "v1").replace("constant: v1", "constantt: v1"));
        RouteFileException e = assertThrows(RouteFileException.class,
                () -> RouteFileParser.parse(camel, f, Files.readAllBytes(f)));
        assertEquals(7, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith(f + ":7: "), e.getMessage());

        Path g = write("c.camel.yaml", "- route:\n    from:\n      uri: timer:x\n      steps:\n        - log: x\n");
        RouteFileException noId = assertThrows(RouteFileException.class, () -> RouteFileParser.parse(camel, g, Files.readAllBytes(g)));
        assertTrue(noId.reason().contains("explicit id"), noId.reason());
    }

    @Test
    void routeThatCannotStartIsRolledBackToThePreviousVersion() throws Exception {
        Path f = write("a.camel.yaml", tick("a", "v1"));
        reloader.loadAll();
        awaitValue("v1");
        write("a.camel.yaml", tick("a", "v2").replace("uri: seda:out", "uri: nosuchcomponent:out"));
        assertFalse(reloader.apply(f));
        assertTrue(camel.getRouteController().getRouteStatus("a").isStarted());
        awaitValue("v1");
    }

    @Test
    void duplicateIdAcrossFilesIsRefusedAndDeletedFileRemovesItsRoutes() throws Exception {
        Path a = write("a.camel.yaml", tick("a", "v1"));
        Path b = write("b.camel.yaml", tick("a", "other"));
        assertEquals(1, reloader.loadAll());
        assertEquals(List.of("a"), reloader.routeIdsByFile().get(a));
        assertNull(reloader.routeIdsByFile().get(b));

        Files.delete(a);
        assertTrue(reloader.apply(a));
        assertNull(camel.getRoute("a"));
        assertTrue(reloader.routeIdsByFile().isEmpty());

        assertTrue(reloader.apply(b), "id free again: b now loads");
        awaitValue("other");
    }

    @Test
    void watcherPicksUpAChangedFile() throws Exception {
        write("a.camel.yaml", tick("a", "v1"));
        reloader.loadAll();
        reloader.watch();
        awaitValue("v1");
        write("a.camel.yaml", tick("a", "v2"));
        awaitValue("v2");
    }
}
