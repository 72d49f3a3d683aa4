package org.orderly.broker.watch;

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
 * called once the directories have been quiet for the debounce time (an editor's several writes
 * count as one change). One daemon thread, no polling: {@link WatchService#take()} blocks.
 *
 * <p>The one watcher of the broker: route files ({@code SafeRouteReloader}) and HL7 mapping files
 * ({@code Hl7Service}). A directory of the list that does not exist yet (e.g.
 * {@code hl7-mappings/sites}) is registered when it is created inside another watched directory;
 * its creation is reported as a change of the directory itself, so files written into it before
 * it was registered are not missed.
 *
 * <p>When the OS drops events ({@code OVERFLOW}) the watched directories themselves are reported:
 * the listener must then look at everything.
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
     * @param name           for the thread and log lines, e.g. {@code hl7-mappings}
     * @param dirs           directories to watch (not recursive); missing ones are registered when created
     * @param relevant       which changed paths to report (a watched directory's creation is always reported)
     * @param onChange       called on the watcher thread with the changed paths of one batch
     * @param debounceMillis quiet time that ends a batch
     */
    public DirectoryWatcher(String name, List<Path> dirs, Predicate<Path> relevant, Consumer<Set<Path>> onChange,
                            long debounceMillis) {
        this.name = name;
        this.dirs = dirs.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.relevant = relevant;
        this.onChange = onChange;
        this.debounceMillis = debounceMillis;
    }

    public synchronized void start() throws IOException {
        watcher = dirs.get(0).getFileSystem().newWatchService();
        for (Path d : dirs) {
            register(d);
        }
        thread = new Thread(this::loop, "orderly-watch-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void register(Path d) throws IOException {
        if (Files.isDirectory(d) && !keys.containsValue(d)) {
            keys.put(d.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE), d);
        }
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
            if (ev.kind() == StandardWatchEventKinds.OVERFLOW || dir == null) {
                changed.addAll(dirs); // events were lost: report the directories themselves
                continue;
            }
            Path p = dir.resolve((Path) ev.context());
            if (ev.kind() == StandardWatchEventKinds.ENTRY_CREATE && dirs.contains(p)) {
                try {
                    register(p);
                    changed.add(p);
                } catch (IOException e) {
                    LOG.warn("{}: cannot watch new directory {}: {}", name, p, e.toString());
                }
                continue;
            }
            if (relevant.test(p)) {
                changed.add(p);
            }
        }
        if (!key.reset()) {
            keys.remove(key); // directory deleted; it is registered again if it comes back
        }
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
