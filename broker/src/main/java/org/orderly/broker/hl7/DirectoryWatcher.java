package org.orderly.broker.hl7;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches directories for changed files and reports them in debounced batches: the listener is
 * called once the directories have been quiet for {@link #debounceMillis} (an editor's several
 * writes count as one change). One daemon thread, no polling: {@link WatchService#take()} blocks.
 *
 * <p>The same watch/debounce loop as {@code org.orderly.broker.routes.SafeRouteReloader}; it is
 * meant to become the shared watcher of both (route files and mapping files).
 */
public final class DirectoryWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryWatcher.class);

    private final String name;
    private final List<Path> dirs;
    private final Predicate<Path> relevant;
    private final Consumer<Set<Path>> onChange;
    private final long debounceMillis;
    private final Map<WatchKey, Path> keys = new ConcurrentHashMap<>();
    private WatchService watcher;
    private Thread thread;

    /**
     * @param name      for the thread and log lines, e.g. {@code hl7-mappings}
     * @param dirs      directories to watch (not recursive); missing ones are skipped
     * @param relevant  which changed paths to report
     * @param onChange  called on the watcher thread with the changed paths of one batch
     */
    public DirectoryWatcher(String name, List<Path> dirs, Predicate<Path> relevant, Consumer<Set<Path>> onChange,
                            long debounceMillis) {
        this.name = name;
        this.dirs = List.copyOf(dirs);
        this.relevant = relevant;
        this.onChange = onChange;
        this.debounceMillis = debounceMillis;
    }

    public synchronized void start() throws IOException {
        Path first = dirs.get(0);
        watcher = first.getFileSystem().newWatchService();
        for (Path d : dirs) {
            if (Files.isDirectory(d)) {
                keys.put(d.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE), d);
            }
        }
        thread = new Thread(this::loop, "orderly-watch-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                Set<Path> changed = new LinkedHashSet<>();
                collect(key, changed);
                WatchKey more;
                while ((more = watcher.poll(debounceMillis, TimeUnit.MILLISECONDS)) != null) {
                    collect(more, changed);
                }
                if (!changed.isEmpty()) {
                    try {
                        onChange.accept(changed);
                    } catch (RuntimeException e) {
                        LOG.error("{}: change of {} not applied: {}", name, changed, e.toString());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ClosedWatchServiceException e) {
            // closed by close(): normal end
        } catch (RuntimeException e) {
            LOG.error("{}: watcher stopped, changes are no longer picked up: {}", name, e.toString());
        }
    }

    private void collect(WatchKey key, Set<Path> changed) {
        Path dir = keys.get(key);
        for (WatchEvent<?> ev : key.pollEvents()) {
            if (ev.kind() == StandardWatchEventKinds.OVERFLOW) {
                changed.addAll(dirs); // events were lost: report the directories themselves
                continue;
            }
            Path p = dir == null ? (Path) ev.context() : dir.resolve((Path) ev.context());
            if (relevant.test(p)) {
                changed.add(p);
            }
        }
        key.reset();
    }

    @Override
    public synchronized void close() {
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException e) {
            LOG.debug("{}: closing watcher", name, e);
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
