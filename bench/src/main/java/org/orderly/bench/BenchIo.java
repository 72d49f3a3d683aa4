package org.orderly.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Small file, port and statistics helpers shared by the benchmarks. */
public final class BenchIo {

    private BenchIo() {
    }

    /**
     * Writes the dirty page cache out ({@code sync}), untimed, before a timed phase, so that it does not pay for the
     * write-back of what an earlier phase (or the set-up) wrote.
     */
    public static void syncDisks() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sync").inheritIO().start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("sync failed");
        }
    }

    /** The entries of {@code dir}, sorted by name. */
    public static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    /** Sum of the sizes of the files directly in {@code dir}. */
    public static long totalSize(Path dir) throws IOException {
        long n = 0;
        for (Path p : list(dir)) {
            n += Files.size(p);
        }
        return n;
    }

    /** Deletes {@code d} and everything below it; nothing if it does not exist. */
    public static void deleteTree(Path d) throws IOException {
        if (!Files.exists(d)) {
            return;
        }
        try (Stream<Path> s = Files.walk(d)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A port free on loopback right now. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * CPU time (user + system) a process has used so far, from {@code /proc/<pid>/stat} (Linux), in ms.
     * CPU per operation is far steadier than throughput on a shared machine.
     */
    public static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // fields after the command name, which is in parentheses and may contain spaces
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
    }

    /** USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK)). */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    public static double seconds(long nanoStart) {
        return (System.nanoTime() - nanoStart) / 1e9;
    }

    public static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
