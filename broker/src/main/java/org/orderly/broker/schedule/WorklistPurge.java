package org.orderly.broker.schedule;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import javax.sql.DataSource;

/**
 * Deletes worklist items whose time has passed: scheduled procedure steps whose scheduled start
 * (0040,0002)+(0040,0003) is older than the cutoff, then the requested procedures left without a
 * step and the patients left without a procedure. Orphans are only deleted when they were also
 * created before the cutoff, so an order being entered right now is never touched.
 *
 * <p>All three deletes run in one transaction: a crash leaves either the old or the purged state.
 * Steps are deleted whatever their status: a step still "STARTED" a week after its scheduled
 * start is stale (MPPS completion arrives within hours).
 */
public final class WorklistPurge {

    /** What one run deleted. */
    public record Result(int steps, int procedures, int patients) {
    }

    private final DataSource dataSource;

    public WorklistPurge(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Cutoff for a retention of {@code days}: items scheduled before now minus that many days. */
    public static LocalDateTime cutoff(LocalDateTime now, int retentionDays) {
        return now.minusDays(retentionDays);
    }

    public Result purgeScheduledBefore(LocalDateTime cutoff) throws SQLException {
        Timestamp ts = Timestamp.valueOf(cutoff);
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                int steps = update(c, "DELETE FROM scheduled_procedure_step WHERE sps_start < ?", ts);
                int procedures = update(c, "DELETE FROM requested_procedure rp WHERE rp.created_at < ? AND NOT EXISTS "
                        + "(SELECT 1 FROM scheduled_procedure_step s WHERE s.requested_procedure_fk = rp.id)", ts);
                int patients = update(c, "DELETE FROM patient p WHERE p.created_at < ? AND NOT EXISTS "
                        + "(SELECT 1 FROM requested_procedure r WHERE r.patient_fk = p.id)", ts);
                c.commit();
                return new Result(steps, procedures, patients);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    private static int update(Connection c, String sql, Timestamp ts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, ts);
            return ps.executeUpdate();
        }
    }
}
