package org.orderly.dicom.net.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Independent peers for interop tests: dcmtk tools and dcmjs-dimse scripts, started with {@code TCP_NODELAY=1}
 * (PEERS.md: Nagle), on loopback, with timeouts. A missing peer FAILS the test (never a skip).
 */
public final class Peers {

    /** The module directory (surefire's working directory). */
    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path NODE_SCRIPTS = MODULE.resolve("src/test/node");
    static final Path NODE_MODULES = MODULE.resolve("../samples/peers/node_modules").normalize();

    private Peers() {
    }

    /** The absolute path of an executable on PATH; fails the test if it is missing. */
    public static String require(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, exe);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return fail("peer '" + exe + "' not found on PATH: install dcmtk / node (interop tests never skip)");
    }

    static void requireNodeModules() {
        if (!Files.isDirectory(NODE_MODULES.resolve("dcmjs-dimse"))) {
            fail("dcmjs-dimse missing in " + NODE_MODULES + ": run 'npm ci' in samples/peers (mvn does it at "
                    + "generate-test-resources)");
        }
    }

    /** A free ephemeral port on loopback (closed again; the peer binds it next). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static ProcessBuilder builder(List<String> cmd, Path log) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("TCP_NODELAY", "1");
        pb.environment().put("NODE_PATH", NODE_MODULES.toString());
        pb.redirectErrorStream(true);
        if (log != null) {
            pb.redirectOutput(log.toFile());
        }
        return pb;
    }

    /** Runs a command to completion (output captured); destroys it after {@code timeout}. */
    public static Result run(Duration timeout, String... cmd) throws IOException, InterruptedException {
        Path log = Files.createTempFile("peer", ".log");
        try {
            Process p = builder(List.of(cmd), log).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return fail(String.join(" ", cmd) + " did not finish within " + timeout + ":\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Runs a node script from src/test/node. */
    public static Result node(Duration timeout, String script, String... args)
            throws IOException, InterruptedException {
        requireNodeModules();
        List<String> cmd = new ArrayList<>();
        cmd.add(require("node"));
        cmd.add(NODE_SCRIPTS.resolve(script).toString());
        cmd.addAll(List.of(args));
        return run(timeout, cmd.toArray(String[]::new));
    }

    /** Starts a long-running peer (a server); its output goes to {@code log}. */
    public static Server start(Path log, int port, String... cmd) throws IOException, InterruptedException {
        Process p = builder(List.of(cmd), log).start();
        Server s = new Server(p, log);
        s.awaitListening(port, Duration.ofSeconds(10));
        return s;
    }

    /** Starts a node script server from src/test/node. */
    public static Server startNode(Path log, int port, String script, String... args)
            throws IOException, InterruptedException {
        requireNodeModules();
        List<String> cmd = new ArrayList<>();
        cmd.add(require("node"));
        cmd.add(NODE_SCRIPTS.resolve(script).toString());
        cmd.addAll(List.of(args));
        return start(log, port, cmd.toArray(String[]::new));
    }

    public record Result(int exitCode, String output) {
        public Result assertExit(int expected) {
            if (exitCode != expected) {
                fail("exit code " + exitCode + " (expected " + expected + "):\n" + output);
            }
            return this;
        }

        /** Lines starting with {@code prefix + " "}, prefix removed. */
        public List<String> lines(String prefix) {
            List<String> out = new ArrayList<>();
            for (String l : output.split("\\R")) {
                if (l.startsWith(prefix + " ")) {
                    out.add(l.substring(prefix.length() + 1));
                }
            }
            return out;
        }
    }

    /** A running peer process; {@link #close()} ends it (stdin closed, then destroyed). */
    public static final class Server implements AutoCloseable {
        private final Process process;
        private final Path log;

        Server(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        void awaitListening(int port, Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    fail("peer exited with " + process.exitValue() + " before listening:\n" + output());
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                    return;
                } catch (IOException e) {
                    Thread.sleep(50); // a process we do not control: poll its port, bounded by the deadline
                }
            }
            close();
            fail("peer not listening on " + port + " within " + timeout + ":\n" + output());
        }

        public String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        public List<String> lines(String prefix) throws IOException {
            return new Result(0, output()).lines(prefix);
        }

        @Override
        public void close() throws IOException, InterruptedException {
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // already gone
            }
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    static String readAll(Process p) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            return String.join("\n", r.lines().toList());
        }
    }
}
