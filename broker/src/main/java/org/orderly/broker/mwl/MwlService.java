package org.orderly.broker.mwl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.orderly.broker.config.OrderlyConfig;
import org.orderly.broker.config.Setting;
import org.orderly.broker.db.Database;
import org.orderly.broker.watch.DirectoryWatcher;
import org.orderly.dicom.net.service.DicomServiceRegistry;
import org.orderly.mwl.access.MwlAccessPolicy;
import org.orderly.mwl.importer.WorklistImport;
import org.orderly.mwl.log.JdbcQueryLog;
import org.orderly.mwl.model.SpsStatus;
import org.orderly.mwl.query.MatchOptions;
import org.orderly.mwl.scp.MwlFindScp;
import org.orderly.mwl.store.WorklistStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's Modality Worklist: the MWL C-FIND SCP on the DICOM port ({@link MwlFindScp}), the per-calling-AE
 * rules file (reloaded when saved; a broken file is refused with {@code file:line: problem} lines and the previous
 * rules stay), the query log and the import of worklist files ({@link MwlApi}).
 */
public final class MwlService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MwlService.class);

    private final Path rulesFile;
    private final boolean refuseUnknown;
    private final AtomicReference<MwlAccessPolicy> policy = new AtomicReference<>();
    private final AtomicReference<RulesStatus> status = new AtomicReference<>();
    private final JdbcQueryLog queryLog;
    private final MwlFindScp scp;
    private final WorklistImport importer;
    private DirectoryWatcher watcher;

    /** What the rules file gave last time it was read: for the admin API. */
    public record RulesStatus(Instant readAt, boolean applied, int callers, List<String> problems) {
    }

    /**
     * C-FIND reads and the query log use the database's write-behind side: reads need no durability, and a query-log
     * row lost in a crash loses no order (its batches reach the file within a second). Imports change the worklist:
     * they use the durable side (see {@link Database}).
     */
    private MwlService(Database database, OrderlyConfig config) {
        this.rulesFile = config.getPath(Setting.MWL_RULES_FILE).toAbsolutePath().normalize();
        this.refuseUnknown = "refuse".equals(config.get(Setting.MWL_UNKNOWN_CALLERS));
        this.policy.set(MwlAccessPolicy.OPEN.withRefuseUnknown(refuseUnknown));
        DataSource reads = database.writeBehindDataSource();
        this.queryLog = new JdbcQueryLog(reads, Duration.ofDays(config.getInt(Setting.MWL_QUERY_LOG_DAYS)));
        this.scp = new MwlFindScp(new WorklistStore(reads), options(config), policy::get, queryLog);
        this.importer = new WorklistImport(new WorklistStore(database.dataSource()));
    }

    /** Reads the rules file (refusing to start on a broken one) and starts watching it. */
    public static MwlService start(Database database, OrderlyConfig config) throws IOException {
        MwlService s = new MwlService(database, config);
        try {
            if (!s.reload()) {
                throw new IOException("worklist rules file " + s.rulesFile + " has problems (see above)");
            }
            Path dir = s.rulesFile.getParent();
            if (Files.isDirectory(dir)) {
                s.watcher = new DirectoryWatcher("mwl-rules", List.of(dir), p -> p.equals(s.rulesFile),
                        changed -> s.reload(), 300);
                s.watcher.start();
            }
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    static MatchOptions options(OrderlyConfig c) {
        Set<SpsStatus> statuses = EnumSet.noneOf(SpsStatus.class);
        for (String st : c.get(Setting.MWL_STATUSES).split(",")) {
            statuses.add(SpsStatus.valueOf(st.strip()));
        }
        return MatchOptions.DEFAULT.withDefaultStatuses(statuses).withMaxAnswers(c.getInt(Setting.MWL_MAX_ANSWERS))
                .withPnFolding(Boolean.parseBoolean(c.get(Setting.MWL_PN_CASE_INSENSITIVE)),
                        Boolean.parseBoolean(c.get(Setting.MWL_PN_ACCENT_INSENSITIVE)));
    }

    /** Reads the rules file; applies it when it has no problem. True if applied. */
    synchronized boolean reload() {
        MwlRulesFile.Result r = MwlRulesFile.read(rulesFile);
        if (r.policy().isEmpty()) {
            r.problems().forEach(p -> LOG.error("mwl rules: {}", p));
            LOG.error("mwl rules: {} NOT applied ({} problem(s)); the previous rules stay", rulesFile,
                    r.problems().size());
            RulesStatus old = status.get();
            status.set(new RulesStatus(Instant.now(), false, old == null ? 0 : old.callers(), r.problems()));
            return false;
        }
        MwlAccessPolicy p = r.policy().get().withRefuseUnknown(refuseUnknown);
        policy.set(p);
        status.set(new RulesStatus(Instant.now(), true, p.rules().size(), List.of()));
        LOG.info("mwl rules: {} applied: {} caller rule(s), unknown callers {}", rulesFile, p.rules().size(),
                refuseUnknown ? "refused" : "see the default rule");
        return true;
    }

    /** Registers the MWL C-FIND handler (C-ECHO is built in). */
    public void register(DicomServiceRegistry registry) {
        scp.register(registry);
    }

    /** The association check for the DICOM listener (refuses unknown callers when so configured). */
    public String refusal(String callingAe, Set<String> abstractSyntaxes) {
        return policy.get().refusal(callingAe, abstractSyntaxes);
    }

    public MwlAccessPolicy policy() {
        return policy.get();
    }

    public RulesStatus rulesStatus() {
        return status.get();
    }

    public JdbcQueryLog queryLog() {
        return queryLog;
    }

    public WorklistImport importer() {
        return importer;
    }

    public Path rulesFile() {
        return rulesFile;
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        queryLog.close();
    }
}
