package org.orderly.broker.routes;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.orderly.broker.watch.DirectoryWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the admin's route files ({@code <routes-dir>/*.camel.yaml}) and reloads a file when it
 * changes, without ever letting a broken file replace working routes.
 *
 * <p>Why not Camel's own reload ({@code camel.main.routes-reload-enabled}): its
 * {@code RouteWatcherReloadStrategy} by default removes ALL routes before loading the changed
 * file ({@code routesReloadRemoveAllRoutes=true}), and otherwise stops and removes the file's
 * routes before the new definitions are known to build; a typo then leaves the broker without
 * those routes until someone notices. Here a change is applied in this order:
 *
 * <ol>
 *   <li>read the file once (the bytes judged are the bytes applied), parse it into route
 *       definitions with {@link RouteFileParser} (YAML syntax, DSL, explicit unique ids);</li>
 *   <li>check that no id belongs to another file or to a route not loaded from a file;</li>
 *   <li>only then stop and remove the routes the file defined before and add the new ones;</li>
 *   <li>if Camel refuses to create or start a new route (e.g. an unknown component), remove what
 *       was added and put the previous definitions back.</li>
 * </ol>
 * A refused file is logged as one WARN line
 * {@code route file <path>:<line>: <reason>; keeping the N routes it defined before}. A deleted
 * file's routes are removed. Changes are debounced ({@value #DEBOUNCE_MS} ms of quiet) so an
 * editor's several writes count as one change; identical content is not re-applied.
 *
 * <p>A file that is broken at start-up is logged the same way and skipped; the broker starts with
 * the other files (an admin at 3 a.m. prefers a running broker and a clear log line).
 */
public final class SafeRouteReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SafeRouteReloader.class);
    static final String SUFFIX = ".camel.yaml";
    static final long DEBOUNCE_MS = 300;

    /** What one file contributes now. */
    private record Loaded(List<RouteDefinition> routes, byte[] content) {
        List<String> ids() {
            return routes.stream().map(RouteDefinition::getRouteId).toList();
        }
    }

    private final CamelContext context;
    private final Path dir;
    private final Map<Path, Loaded> files = new LinkedHashMap<>();
    private DirectoryWatcher watcher;

    public SafeRouteReloader(CamelContext context, Path dir) {
        this.context = context;
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** Loads every route file of the directory, in name order. Returns the number of files refused. */
    public synchronized int loadAll() throws IOException {
        int refused = 0;
        for (Path f : listRouteFiles()) {
            if (!apply(f)) {
                refused++;
            }
        }
        LOG.info("routes: {} route(s) from {} file(s) in {}", files.values().stream().mapToInt(l -> l.routes().size()).sum(),
                files.size(), dir);
        return refused;
    }

    /** Starts watching the directory for changes (debounced, see {@link DirectoryWatcher}). */
    public synchronized void watch() throws IOException {
        watcher = new DirectoryWatcher("routes", List.of(dir), p -> p.getFileName().toString().endsWith(SUFFIX),
                this::applyChanged, DEBOUNCE_MS);
        watcher.start();
    }

    /** One debounced batch; the directory itself means events were lost: look at every file. */
    private synchronized void applyChanged(Set<Path> changed) {
        Set<Path> files = new LinkedHashSet<>();
        for (Path p : changed) {
            if (p.equals(dir)) {
                files.addAll(this.files.keySet());
                try {
                    files.addAll(listRouteFiles());
                } catch (IOException e) {
                    LOG.warn("routes: cannot list {}: {}", dir, e.toString());
                }
            } else {
                files.add(p);
            }
        }
        for (Path p : files) {
            apply(p);
        }
    }

    private List<Path> listRouteFiles() throws IOException {
        Set<Path> out = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * Applies the current state of one file (present: load/replace; absent: remove its routes).
     *
     * @return false when the file was refused (and logged)
     */
    synchronized boolean apply(Path file) {
        Loaded before = files.get(file);
        int keeping = before == null ? 0 : before.routes().size();
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            if (before != null) {
                removeRoutes(before.ids());
                files.remove(file);
                LOG.info("routes: {} deleted; removed its route(s) {}", file, before.ids());
            }
            return true;
        } catch (IOException e) {
            LOG.warn("route file {}: cannot read: {}; keeping the {} routes it defined before", file, e.toString(), keeping);
            return false;
        }
        if (before != null && Arrays.equals(before.content(), content)) {
            return true;
        }
        try {
            List<RouteDefinition> routes = RouteFileParser.parse(context, file, content);
            checkIdsFree(file, routes);
            swap(file, before, routes);
            files.put(file, new Loaded(routes, content));
            LOG.info("routes: {} {}: route(s) {}", before == null ? "loaded" : "reloaded", file.getFileName(),
                    routes.stream().map(RouteDefinition::getRouteId).toList());
            return true;
        } catch (RouteFileException e) {
            LOG.warn("route file {}{}: {}; keeping the {} routes it defined before", file,
                    e.line() > 0 ? ":" + e.line() : "", e.reason(), keeping);
            LOG.debug("route file {} refused", file, e);
            return false;
        }
    }

    private void checkIdsFree(Path file, List<RouteDefinition> routes) throws RouteFileException {
        for (RouteDefinition r : routes) {
            String id = r.getRouteId();
            for (Map.Entry<Path, Loaded> other : files.entrySet()) {
                if (!other.getKey().equals(file) && other.getValue().ids().contains(id)) {
                    throw new RouteFileException(file, RouteFileParser.lineOf(r),
                            "route id '" + id + "' is already defined by " + other.getKey().getFileName(), null);
                }
            }
            Loaded mine = files.get(file);
            boolean ownedByMe = mine != null && mine.ids().contains(id);
            if (!ownedByMe && context.getRoute(id) != null) {
                throw new RouteFileException(file, RouteFileParser.lineOf(r),
                        "route id '" + id + "' is already used by a built-in route", null);
            }
        }
    }

    /** Replaces the file's routes; on failure restores the previous ones and reports the file. */
    private void swap(Path file, Loaded before, List<RouteDefinition> routes) throws RouteFileException {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        List<String> oldIds = before == null ? List.of() : before.ids();
        removeRoutes(oldIds);
        try {
            model.addRouteDefinitions(routes);
        } catch (Exception e) {
            removeRoutes(routes.stream().map(RouteDefinition::getRouteId).toList());
            if (before != null) {
                try {
                    model.addRouteDefinitions(before.routes());
                } catch (Exception again) {
                    LOG.error("routes: could not restore the previous routes of {}: {}", file, again.toString());
                }
            }
            throw RouteFileParser.describe(file, e);
        }
    }

    private void removeRoutes(List<String> ids) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        for (String id : ids) {
            try {
                if (context.getRoute(id) != null) {
                    context.getRouteController().stopRoute(id);
                    context.removeRoute(id);
                }
                RouteDefinition def = model.getRouteDefinition(id);
                if (def != null) {
                    model.removeRouteDefinition(def);
                }
            } catch (Exception e) {
                LOG.warn("routes: cannot remove route {}: {}", id, e.toString());
            }
        }
    }

    /** Route ids per file, for diagnostics and tests. */
    public synchronized Map<Path, List<String>> routeIdsByFile() {
        Map<Path, List<String>> m = new LinkedHashMap<>();
        files.forEach((k, v) -> m.put(k, v.ids()));
        return m;
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
    }
}
