package org.orderly.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Small file, port and statistics helpers shared by the benchmarks. */
public final class BenchIo {

    private BenchIo() {
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

    public static double seconds(long nanoStart) {
        return (System.nanoTime() - nanoStart) / 1e9;
    }

    public static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
