package org.orderly.broker.hl7;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.orderly.broker.watch.DirectoryWatcher;
import org.orderly.broker.db.Database;
import org.orderly.hl7.intake.IntakeJournal;
import org.orderly.hl7.intake.MessageLog;
import org.orderly.hl7.intake.MwlWorklistWriter;
import org.orderly.hl7.intake.OrderIntake;
import org.orderly.hl7.mapping.MappingRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HL7 order intake of the running broker: mappings (loaded, watched, reloaded safely), the
 * message log, the {@link OrderIntake} and the Camel bean the route {@code hl7-intake} calls.
 *
 * <p>AA is sent after the intake's commit and the message's record in the {@link IntakeJournal}: the intake writes
 * to the database's write-behind side, and the journal's checkpoints write the database file
 * ({@link Database} explains both sides). A journal left by a crash is replayed here, before the order port opens.
 */
public final class Hl7Service implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Hl7Service.class);
    /** The default mapping shipped in the jar, written to an empty mappings directory on first start. */
    static final String DEFAULT_MAPPING_RESOURCE = "/org/orderly/broker/hl7/default-mappings/default.yaml";

    private final MappingRegistry mappings;
    private final OrderIntake intake;
    private final DirectoryWatcher watcher;
    private final IntakeJournal journal;

    private Hl7Service(MappingRegistry mappings, OrderIntake intake, DirectoryWatcher watcher, IntakeJournal journal) {
        this.mappings = mappings;
        this.intake = intake;
        this.watcher = watcher;
        this.journal = journal;
    }

    /**
     * Loads the mappings (a broken mapping directory at start-up is fatal: there is no previous
     * mapping to keep) and starts watching the mappings directory.
     */
    public static Hl7Service start(Database database, Path mappingsDir, Path journalDir) throws Exception {
        seedDefaultMapping(mappingsDir);
        MappingRegistry mappings = new MappingRegistry(mappingsDir);
        DataSource intakeSide = database.writeBehindDataSource();
        IntakeJournal journal = IntakeJournal.open(journalDir, database::writeStore, database.commitGate());
        OrderIntake intake = new OrderIntake(mappings, new MwlWorklistWriter(intakeSide), new MessageLog(intakeSide),
                journal);
        try {
            intake.recover();
        } catch (Exception | Error e) {
            journal.close();
            throw e;
        }
        Path sites = mappingsDir.resolve("sites");
        DirectoryWatcher watcher = new DirectoryWatcher("hl7-mappings", List.of(mappingsDir, sites),
                Hl7Service::isMappingFile, changed -> reload(mappings, changed), 300);
        watcher.start();
        return new Hl7Service(mappings, intake, watcher, journal);
    }

    private static boolean isMappingFile(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".yaml") || n.endsWith(".yml");
    }

    private static void reload(MappingRegistry mappings, Set<Path> changed) {
        MappingRegistry.ReloadResult r = mappings.reload(changed.iterator().next());
        if (!r.applied()) {
            LOG.warn("hl7 mappings: change of {} refused ({} problem(s)); the previous mapping stays in force", changed,
                    r.problems().size());
        }
    }

    /** An empty mappings directory gets the default mapping shipped with Orderly. */
    static void seedDefaultMapping(Path dir) throws IOException {
        Path target = dir.resolve("default.yaml");
        if (Files.exists(target)) {
            return;
        }
        try (InputStream in = Hl7Service.class.getResourceAsStream(DEFAULT_MAPPING_RESOURCE)) {
            if (in == null) {
                return; // MappingRegistry reports the missing file
            }
            Files.createDirectories(dir);
            Files.copy(in, target);
        }
        LOG.info("hl7 mappings: {} had no default.yaml; wrote the default mapping shipped with Orderly", dir);
    }

    public OrderIntake intake() {
        return intake;
    }

    public MappingRegistry mappings() {
        return mappings;
    }

    public Hl7IntakeProcessor processor() {
        return new Hl7IntakeProcessor(intake);
    }

    @Override
    public void close() {
        watcher.close();
        journal.close(); // last checkpoint: the database file has every message, the journal is empty
    }
}
