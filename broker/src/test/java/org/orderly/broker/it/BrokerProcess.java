package org.orderly.broker.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real {@code orderly.jar} as a separate process (the jar Maven just shaded, path in the
 * {@code orderly.jar} system property set by failsafe). Collects stdout and stderr lines so tests
 * can wait for a line with a bound, never with a bare sleep.
 */
final class BrokerProcess implements AutoCloseable {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private final List<Thread> pumps = new ArrayList<>();

    private BrokerProcess(Process process) {
        this.process = process;
        pump(process.getInputStream(), out, "out");
        pump(process.getErrorStream(), err, "err");
    }

    static Path jar() {
        String jar = System.getProperty("orderly.jar");
        if (jar == null) {
            throw new IllegalStateException("system property orderly.jar is not set (run through Maven failsafe)");
        }
        Path p = Path.of(jar);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " does not exist: package the broker first");
        }
        return p;
    }

    static BrokerProcess start(Path workDir, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.addAll(args);
        if (args.stream().noneMatch(a -> a.startsWith("--orderly.worklist.purge-cron="))) {
            // the samples are scheduled in the past: a nightly purge falling inside a test run must not delete them
            cmd.add("--orderly.worklist.purge-cron=0 0 0 1 1 ? 2099");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        // the test's own environment must not leak settings into the child
        pb.environment().keySet().removeIf(k -> k.startsWith("ORDERLY_"));
        return new BrokerProcess(pb.start());
    }

    private void pump(InputStream in, List<String> sink, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (this) {
                        sink.add(line);
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                // process ended
            }
        }, "broker-" + name);
        t.setDaemon(true);
        pumps.add(t);
        t.start();
    }

    /** Waits until a stdout line matches, or fails with the output so far. */
    synchronized String awaitOut(Predicate<String> match, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (true) {
            for (; seen < out.size(); seen++) {
                if (match.test(out.get(seen))) {
                    return out.get(seen);
                }
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching line within " + timeout + "; alive=" + process.isAlive()
                        + "\nstdout:\n" + String.join("\n", out) + "\nstderr:\n" + String.join("\n", err));
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
    }

    /** Waits for a stdout line that appears AFTER the current last line. */
    synchronized String awaitNewOut(Predicate<String> match, Duration timeout) throws InterruptedException {
        int from = out.size();
        return awaitOut(new Predicate<>() {
            int index = 0;

            @Override
            public boolean test(String line) {
                return index++ >= from && match.test(line);
            }
        }, timeout);
    }

    String awaitReady() throws InterruptedException {
        return awaitOut(l -> l.contains("ready"), READY_TIMEOUT);
    }

    synchronized List<String> stdout() {
        return List.copyOf(out);
    }

    synchronized List<String> stderr() {
        return List.copyOf(err);
    }

    /**
     * Sends SIGTERM. Through the ProcessHandle: {@code Process.destroy()} also sends SIGTERM on
     * Linux but then closes our ends of stdout/stderr, losing the shutdown log we assert on.
     */
    void terminate() {
        if (!process.toHandle().destroy()) {
            throw new AssertionError("could not send SIGTERM");
        }
    }

    /** SIGKILL: no shutdown hook, no flush - a crash. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("process did not exit within " + timeout + "\nstdout:\n" + String.join("\n", stdout()));
        }
        for (Thread t : pumps) {
            t.join(5_000); // streams end with the process: read every line before asserting on them
        }
        return process.exitValue();
    }

    /** Output after the process ended, once the stream pumps have read everything. */
    synchronized String allOutput() {
        return "stdout:\n" + String.join("\n", out) + "\nstderr:\n" + String.join("\n", err);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return client.send(req, HttpResponse.BodyHandlers.ofString());
    }
}
