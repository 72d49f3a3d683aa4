package org.orderly.broker.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.orderly.broker.config.Setting;
import org.orderly.broker.listener.Listener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP admin port: {@code GET /health} (200 when everything is UP, 503 otherwise), and the
 * JSON APIs other parts {@link #mount} under a path prefix (e.g. {@code /api/hl7/}).
 *
 * <p>Why the JDK's {@code com.sun.net.httpserver}: it is in every JDK 17, needs no dependency and
 * binds in its constructor (so the port-in-use check comes for free before anything starts).
 * Camel's platform-http would bring Vert.x for one read-only endpoint. Bounded: 2 worker threads,
 * 16 queued requests, further requests are refused (the JDK server then closes the connection).
 */
public final class HttpAdminListener implements Listener {
    private static final Logger LOG = LoggerFactory.getLogger(HttpAdminListener.class);
    private static final int THREADS = 2;
    private static final int QUEUE = 16;
    /** Seconds {@link #close()} waits for requests in progress. */
    private static final int STOP_DELAY_SECONDS = 1;

    private final String bindAddress;
    private final int configuredPort;
    private final Supplier<HealthReport> health;
    private HttpServer server;
    private ThreadPoolExecutor executor;
    private volatile boolean accepting;
    private volatile int boundPort;
    private final Map<String, Api> apis = new ConcurrentHashMap<>();

    /** A JSON API under a path prefix; called on the HTTP worker threads. */
    @FunctionalInterface
    public interface Api {
        /**
         * @param method HTTP method
         * @param path   the request path (decoded), starting with the prefix
         * @param query  the raw query string, or null
         */
        Response handle(String method, String path, String query) throws Exception;

        /**
         * The same with the request body (e.g. a POSTed DICOM data set); read it with a bound. By default the body
         * is ignored.
         */
        default Response handle(String method, String path, String query, java.io.InputStream body)
                throws Exception {
            return handle(method, path, query);
        }
    }

    /** An API answer: status and JSON body. */
    public record Response(int status, String json) {
    }

    /** Serves every path starting with {@code prefix} (e.g. {@code /api/hl7/}) with {@code api}. */
    public void mount(String prefix, Api api) {
        apis.put(prefix, api);
    }

    /**
     * @param health supplies the report to evaluate per request; it is read lazily because the
     *               parts it checks are created after the port is bound.
     */
    public HttpAdminListener(String bindAddress, int port, Supplier<HealthReport> health) {
        this.bindAddress = bindAddress;
        this.configuredPort = port;
        this.health = health;
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public Setting setting() {
        return Setting.HTTP_PORT;
    }

    @Override
    public void bind() throws IOException {
        server = HttpServer.create(new InetSocketAddress(bindAddress, configuredPort), 32);
        AtomicInteger n = new AtomicInteger();
        executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "orderly-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        boundPort = server.getAddress().getPort();
    }

    @Override
    public int port() {
        return boundPort != 0 ? boundPort : configuredPort;
    }

    @Override
    public void start() {
        server.start();
        accepting = true;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            for (Map.Entry<String, Api> a : apis.entrySet()) {
                if (path.startsWith(a.getKey())) {
                    Response r;
                    try {
                        r = a.getValue().handle(ex.getRequestMethod(), path, ex.getRequestURI().getRawQuery(),
                                ex.getRequestBody());
                    } catch (Exception e) {
                        LOG.warn("http {} {}: {}", ex.getRequestMethod(), path, e.toString());
                        r = new Response(500, "{\"error\":\"internal error\"}");
                    }
                    send(ex, r.status(), r.json());
                    return;
                }
            }
            if (!"/health".equals(path)) {
                send(ex, 404, "{\"error\":\"not found\"}");
                return;
            }
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "{\"error\":\"method not allowed\"}");
                return;
            }
            HealthReport.Result r = health.get().evaluate();
            send(ex, r.up() ? 200 : 503, r.json());
        } catch (RuntimeException e) {
            LOG.warn("http {} {}: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e.toString());
        }
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void stopAccepting() {
        // HttpServer has no "close the port only"; stop() closes the port, then waits for exchanges.
        close();
    }

    @Override
    public boolean isUp() {
        return accepting;
    }

    @Override
    public void close() {
        accepting = false;
        if (server != null) {
            server.stop(STOP_DELAY_SECONDS);
            server = null;
        }
        if (executor != null) {
            executor.shutdown();
        }
    }
}
