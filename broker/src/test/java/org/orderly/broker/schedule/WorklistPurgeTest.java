package org.orderly.broker.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderly.broker.db.Database;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerContext;

/** The purge against a real H2 file database with the real schema (sql/V1__worklist.sql). */
class WorklistPurgeTest {
    private static final LocalDateTime NOW = LocalDateTime.of(2026, 3, 20, 2, 30);
    private static final LocalDateTime LONG_AGO = NOW.minusDays(30);

    @TempDir
    Path tmp;
    private Database db;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(tmp.resolve("db"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private long patient(String id, LocalDateTime created) throws Exception {
        return insert("INSERT INTO patient (patient_id, created_at) VALUES (?, ?)", id, created);
    }

    private long procedure(long patient, String accession, LocalDateTime created) throws Exception {
        return insert("INSERT INTO requested_procedure (patient_fk, accession_number, study_instance_uid, created_at) VALUES (?, ?, ?, ?)",
                patient, accession, "1.2.3." + accession, created);
    }

    private long step(long procedure, String spsId, LocalDateTime start) throws Exception {
        return insert("INSERT INTO scheduled_procedure_step (requested_procedure_fk, sps_id, modality, sps_start, dataset) "
                + "VALUES (?, ?, 'CT', ?, X'00')", procedure, spsId, start);
    }

    private long insert(String sql, Object... args) throws Exception {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i] instanceof LocalDateTime t ? Timestamp.valueOf(t) : args[i]);
            }
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private List<String> column(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void deletesStepsPastRetentionThenOrphanedProceduresAndPatients() throws Exception {
        LocalDateTime cutoff = WorklistPurge.cutoff(NOW, 7);
        assertEquals(NOW.minusDays(7), cutoff);

        long p1 = patient("P1", LONG_AGO);              // keeps one current step: stays
        long acc1 = procedure(p1, "ACC1", LONG_AGO);
        step(acc1, "OLD1", cutoff.minusMinutes(1));     // just past retention: deleted
        step(acc1, "NEW1", cutoff.plusMinutes(1));      // just inside retention: kept
        long acc2 = procedure(p1, "ACC2", LONG_AGO);
        step(acc2, "OLD2", NOW.minusDays(8));           // only step of ACC2: ACC2 becomes orphan -> deleted

        long p2 = patient("P2", LONG_AGO);              // everything old: all deleted
        step(procedure(p2, "ACC3", LONG_AGO), "OLD3", NOW.minusDays(20));

        long p3 = patient("P3", NOW.minusHours(1));     // order being entered now, no step yet: kept
        procedure(p3, "ACC4", NOW.minusHours(1));

        WorklistPurge.Result r = new WorklistPurge(db.dataSource()).purgeScheduledBefore(cutoff);

        assertEquals(new WorklistPurge.Result(3, 2, 1), r);
        assertEquals(List.of("NEW1"), column("SELECT sps_id FROM scheduled_procedure_step ORDER BY sps_id"));
        assertEquals(List.of("ACC1", "ACC4"), column("SELECT accession_number FROM requested_procedure ORDER BY 1"));
        assertEquals(List.of("P1", "P3"), column("SELECT patient_id FROM patient ORDER BY 1"));

        assertEquals(new WorklistPurge.Result(0, 0, 0), new WorklistPurge(db.dataSource()).purgeScheduledBefore(cutoff));
    }

    @Test
    void quartzJobPurgesWithTheConfiguredRetention() throws Exception {
        long p = patient("P1", LONG_AGO);
        long acc = procedure(p, "ACC1", LONG_AGO);
        step(acc, "OLD", LocalDateTime.now().minusDays(3));
        step(acc, "KEEP", LocalDateTime.now().minusDays(1));

        SchedulerContext ctx = new SchedulerContext();
        ctx.put(OrderlyScheduler.PURGE_KEY, new WorklistPurge(db.dataSource()));
        ctx.put(OrderlyScheduler.RETENTION_KEY, 2);
        Scheduler scheduler = (Scheduler) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Scheduler.class}, (proxy, m, a) -> {
                    if (m.getName().equals("getContext")) {
                        return ctx;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        JobExecutionContext jec = (JobExecutionContext) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {JobExecutionContext.class}, (proxy, m, a) -> {
                    if (m.getName().equals("getScheduler")) {
                        return scheduler;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        new WorklistPurgeJob().execute(jec);
        assertEquals(List.of("KEEP"), column("SELECT sps_id FROM scheduled_procedure_step"));
    }
}
