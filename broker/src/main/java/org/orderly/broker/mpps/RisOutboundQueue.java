package org.orderly.broker.mpps;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The durable queue of status messages to the RIS: table {@code ris_outbound} (sql/V4__mpps.sql).
 *
 * <p>Order: messages of one order ({@code order_key}) go strictly in id order; the oldest message of an order that
 * is not ACKED is its head, and only heads are ever sent ({@link #heads}). So a COMPLETED never overtakes the IN
 * PROGRESS of the same procedure, also across retries, dead-lettering (a DEAD head blocks its order until an admin
 * retries it) and restarts. Other orders are not blocked.
 *
 * <p>Exactly-once toward the RIS as far as MLLP allows: a message is marked ACKED in its own committed statement as
 * soon as the ACK is read, before the next message is sent; after a crash only messages not marked ACKED are sent
 * again, with the same MSH-10, so a RIS that deduplicates on MSH-10 sees each message once.
 */
public final class RisOutboundQueue {

    public enum State { PENDING, WAITING_IMAGES, ACKED, DEAD }

    /** One message. */
    public record Row(long id, long eventId, int part, String orderKey, String mppsUid, String msh10,
            String messageType, String message, State state, int attempts, long nextAttemptAt, Long holdUntil,
            String lastError, long createdAt) {
    }

    private static final String COLUMNS = "id, event_id, part, order_key, mpps_uid, msh10, message_type, message,"
            + " state, attempts, next_attempt_at, hold_until, last_error, created_at";

    private final DataSource dataSource;

    public RisOutboundQueue(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Adds a message unless (event, part) is there already (a JMS redelivery). True if added. */
    public boolean add(long eventId, int part, String orderKey, String mppsUid, String msh10, String messageType,
            String message, State state, Long holdUntil) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ris_outbound (event_id, part, order_key, mpps_uid, msh10, message_type, message, state,"
                        + " hold_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, eventId);
            ps.setInt(2, part);
            ps.setString(3, orderKey);
            ps.setString(4, mppsUid);
            ps.setString(5, msh10);
            ps.setString(6, messageType);
            ps.setString(7, message);
            ps.setString(8, state.name());
            ps.setObject(9, holdUntil);
            ps.setLong(10, System.currentTimeMillis());
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /** The head message of each order that is PENDING or WAITING_IMAGES (not DEAD, not ACKED), oldest first. */
    public List<Row> heads(int limit) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM ris_outbound o WHERE o.state IN ('PENDING', 'WAITING_IMAGES')"
                + " AND NOT EXISTS (SELECT 1 FROM ris_outbound p WHERE p.order_key = o.order_key AND p.id < o.id"
                + " AND p.state <> 'ACKED') ORDER BY o.id LIMIT " + limit);
    }

    public List<Row> inState(State state, int limit) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM ris_outbound WHERE state = '" + state.name() + "' ORDER BY id LIMIT "
                + limit);
    }

    /** Every message of an MPPS, in order. */
    public List<Row> ofMpps(String mppsUid) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                        + " FROM ris_outbound WHERE mpps_uid = ? ORDER BY id")) {
            ps.setString(1, mppsUid);
            return rows(ps);
        }
    }

    /** Messages not ACKED and not first of their order: waiting behind a DEAD or unsent head. */
    public int blockedBehind(String orderKey, long headId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM ris_outbound WHERE order_key = ? AND id > ? AND state <> 'ACKED'")) {
            ps.setString(1, orderKey);
            ps.setLong(2, headId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    public void markAcked(long id) throws SQLException {
        update("UPDATE ris_outbound SET state = 'ACKED', acked_at = ?, last_error = NULL WHERE id = ?",
                System.currentTimeMillis(), id);
    }

    /** A failed attempt: counts it, and either schedules the next one or, at {@code maxAttempts}, DEAD. */
    public State markFailed(Row r, String error, int maxAttempts, long nextAttemptAt) throws SQLException {
        int attempts = r.attempts() + 1;
        State next = attempts >= maxAttempts ? State.DEAD : State.PENDING;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE ris_outbound SET attempts = ?, next_attempt_at = ?, last_error = ?, state = ? WHERE id = ?")) {
            ps.setInt(1, attempts);
            ps.setLong(2, nextAttemptAt);
            ps.setString(3, error.length() > 400 ? error.substring(0, 400) : error);
            ps.setString(4, next.name());
            ps.setLong(5, r.id());
            ps.executeUpdate();
        }
        return next;
    }

    /** The images arrived (or the wait ended with action "send"): the message may go. */
    public void release(long id) throws SQLException {
        update("UPDATE ris_outbound SET state = 'PENDING', hold_until = NULL WHERE id = ? AND state = 'WAITING_IMAGES'",
                null, id);
    }

    public void markDead(long id, String reason) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE ris_outbound SET state = 'DEAD', last_error = ? WHERE id = ?")) {
            ps.setString(1, reason);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /** Admin retry: DEAD messages (all, or one id) become PENDING with their attempts reset. Returns how many. */
    public int retryDead(Long id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE ris_outbound SET state = 'PENDING', attempts = 0, next_attempt_at = 0 WHERE state = 'DEAD'"
                        + (id == null ? "" : " AND id = ?"))) {
            if (id != null) {
                ps.setLong(1, id);
            }
            return ps.executeUpdate();
        }
    }

    private void update(String sql, Long first, long id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (first != null) {
                ps.setLong(i++, first);
            }
            ps.setLong(i, id);
            ps.executeUpdate();
        }
    }

    private List<Row> query(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            return rows(ps);
        }
    }

    private static List<Row> rows(PreparedStatement ps) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long hold = rs.getLong(12);
                out.add(new Row(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), State.valueOf(rs.getString(9)),
                        rs.getInt(10), rs.getLong(11), rs.wasNull() ? null : hold, rs.getString(13), rs.getLong(14)));
            }
        }
        return out;
    }
}
