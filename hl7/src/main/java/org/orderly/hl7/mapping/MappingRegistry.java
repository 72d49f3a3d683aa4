package org.orderly.hl7.mapping;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the mappings in force and swaps them atomically when a reload succeeds. A file that
 * fails validation never replaces a working mapping: the previous one stays in force and the
 * problems are returned (and logged, one line each, {@code file:line: problem}).
 */
public final class MappingRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(MappingRegistry.class);

    /** Outcome of a reload. */
    public record ReloadResult(boolean applied, List<MappingProblem> problems) {
    }

    private final Path directory;
    private final AtomicReference<MappingSet> current = new AtomicReference<>();

    /**
     * Loads the directory once; a broken directory at start-up is fatal (there is nothing to
     * fall back to).
     */
    public MappingRegistry(Path directory) throws MappingLoadException {
        this.directory = directory;
        current.set(MappingLoader.loadDirectory(directory));
        LOG.info("HL7 mappings loaded from {}: default + {} site overlay(s)", directory, current.get().sites().size());
    }

    /** The mappings in force. */
    public MappingSet current() {
        return current.get();
    }

    public Path directory() {
        return directory;
    }

    /** Reloads the whole directory (default + all overlays). */
    public ReloadResult reload() {
        return reload(directory);
    }

    /**
     * Called by the file watcher with the changed path (a file in the directory, or the
     * directory): reloads and validates everything, then swaps, or keeps the previous mappings.
     */
    public ReloadResult reload(Path changed) {
        try {
            MappingSet next = MappingLoader.loadDirectory(directory);
            current.set(next);
            LOG.info("HL7 mappings reloaded after change of {}: default + {} site overlay(s)", changed, next.sites().size());
            return new ReloadResult(true, List.of());
        } catch (MappingLoadException e) {
            for (MappingProblem p : e.problems()) {
                LOG.warn("HL7 mapping rejected, previous mapping stays in force: {}", p);
            }
            return new ReloadResult(false, e.problems());
        } catch (RuntimeException e) {
            LOG.warn("HL7 mapping reload failed, previous mapping stays in force: {}", e.toString());
            return new ReloadResult(false, List.of(new MappingProblem(String.valueOf(changed), 0, e.toString())));
        }
    }
}
