package org.orderly.broker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthReportTest {

    @Test
    void allUp() throws Exception {
        try (HttpAdminListener http = new HttpAdminListener("127.0.0.1", 0, () -> null)) {
            http.bind();
            http.start();
            HealthReport.Result r = new HealthReport(List.of(new HealthReport.Check("database", () -> true),
                    new HealthReport.Check("jms", () -> true)), List.of(http)).evaluate();
            assertTrue(r.up());
            assertEquals("{\"status\":\"UP\",\"database\":{\"status\":\"UP\"},\"jms\":{\"status\":\"UP\"},"
                    + "\"listeners\":[{\"name\":\"http\",\"port\":" + http.port() + ",\"status\":\"UP\"}]}", r.json());
        }
    }

    @Test
    void onePartDownOrThrowingMakesItDown() {
        HealthReport.Result r = new HealthReport(List.of(new HealthReport.Check("database", () -> true),
                new HealthReport.Check("jms", () -> {
                    throw new IllegalStateException("boom");
                })), List.of()).evaluate();
        assertFalse(r.up());
        assertEquals("{\"status\":\"DOWN\",\"database\":{\"status\":\"UP\"},\"jms\":{\"status\":\"DOWN\"},\"listeners\":[]}", r.json());
    }

    @Test
    void escapesJson() {
        assertEquals("a\\\"b\\\\c\\u0001", Json.escape("a\"b\\c\u0001"));
    }

    @Test
    void httpAnswers200WhenUpAnd503WhenDown() throws Exception {
        AtomicBoolean db = new AtomicBoolean(true);
        HttpAdminListener[] self = new HttpAdminListener[1];
        self[0] = new HttpAdminListener("127.0.0.1", 0,
                () -> new HealthReport(List.of(new HealthReport.Check("database", db::get)), List.of(self[0])));
        try (HttpAdminListener http = self[0]) {
            http.bind();
            http.start();
            HttpClient client = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + http.port() + "/health");
            HttpResponse<String> up = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, up.statusCode());
            assertEquals("application/json", up.headers().firstValue("Content-Type").orElse(""));
            assertTrue(up.body().startsWith("{\"status\":\"UP\""), up.body());
            db.set(false);
            HttpResponse<String> down = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, down.statusCode());
            assertTrue(down.body().contains("\"database\":{\"status\":\"DOWN\"}"), down.body());
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }
}
