package org.orderly.broker.watch;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryWatcherTest {

    /** Waits (bounded) until the batches seen so far contain {@code expected}. */
    private static void await(LinkedBlockingQueue<Set<Path>> batches, Set<Path> seen, Path expected) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!seen.contains(expected)) {
            Set<Path> b = batches.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertNotNull(b, "no change reported for " + expected + "; seen " + seen);
            seen.addAll(b);
        }
    }

    @Test
    void reportsDebouncedChangesAndWatchesADirectoryCreatedAfterStart(@TempDir Path tmp) throws Exception {
        Path dir = tmp.toAbsolutePath().normalize();
        Path sites = dir.resolve("sites");
        LinkedBlockingQueue<Set<Path>> batches = new LinkedBlockingQueue<>();
        Set<Path> seen = new HashSet<>();
        try (DirectoryWatcher w = new DirectoryWatcher("test", List.of(dir, sites), p -> p.toString().endsWith(".yaml"),
                batches::add, 50)) {
            w.start();
            Files.writeString(dir.resolve("default.yaml"), "a");
            Files.writeString(dir.resolve("ignored.txt"), "a");
            await(batches, seen, dir.resolve("default.yaml"));
            assertTrue(!seen.contains(dir.resolve("ignored.txt")), seen.toString());

            Files.createDirectory(sites);                       // did not exist at start
            await(batches, seen, sites);                        // its creation is a change
            Files.writeString(sites.resolve("east.yaml"), "b"); // and it is watched from now on
            await(batches, seen, sites.resolve("east.yaml"));
        }
    }
}
