package org.orderly.hl7.intake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.orderly.hl7.MshHeader;
import org.orderly.hl7.ack.ErrorLocation;
import org.orderly.hl7.ack.Hl7Error;

/**
 * The HL7 message log (table {@code hl7_message_log}, {@code sql/V3__hl7_message_log.sql}): every
 * inbound message with its outcome. Writes happen on the caller's connection so that the row of
 * an applied message commits together with its worklist change; reads use their own connection.
 */
public final class MessageLog {

    /** SQLSTATE of a unique constraint violation (SQL:2011, H2 and PostgreSQL alike). */
    static final String UNIQUE_VIOLATION = "23505";

    private static final String INSERT = "INSERT INTO hl7_message_log (received_at, peer, sending_application,"
            + " sending_facility, message_type, control_id, version, outcome, duplicate_of, replay_of, error_code,"
            + " error_location, error_text, applied_key, charset, raw_size, raw, ack,"
            + " journal_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String FIND_APPLIED = "SELECT id FROM hl7_message_log WHERE applied_key = ?";
    private static final String COLUMNS = "id, received_at, peer, sending_application, sending_facility, message_type,"
            + " control_id, version, outcome, duplicate_of, replay_of, error_code, error_location, error_text,"
            + " applied_key IS NOT NULL AS applied, raw_size";

    /**
     * One row to write. {@code header} and {@code error} may be null; {@code appliedKey} only for applied messages;
     * {@code journalSeq} is the message's {@link IntakeJournal} number, 0 without a journal.
     */
    public record Entry(OffsetDateTime receivedAt, String peer, MshHeader header, String outcome, long duplicateOf,
                        long replayOf, Hl7Error error, String appliedKey, String charset, byte[] raw, String ack,
                        long journalSeq) {
    }

    private final DataSource dataSource;

    public MessageLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Inserts on {@code c} (no commit); returns the new row's id. */
    public long insert(Connection c, Entry e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT, new String[] {"ID"})) {
            MshHeader h = e.header();
            ps.setObject(1, e.receivedAt());
            ps.setString(2, cut(e.peer(), 64));
            ps.setString(3, h == null ? null : cut(h.sendingApplication(), 227));
            ps.setString(4, h == null ? null : cut(h.sendingFacility(), 227));
            ps.setString(5, h == null ? null : cut(h.typeAndEvent(), 16));
            ps.setString(6, h == null ? null : cut(h.controlId(), 199));
            ps.setString(7, h == null ? null : cut(h.version(), 16));
            ps.setString(8, e.outcome());
            setId(ps, 9, e.duplicateOf());
            setId(ps, 10, e.replayOf());
            Hl7Error err = e.error();
            if (err == null) {
                ps.setNull(11, Types.INTEGER);
            } else {
                ps.setInt(11, err.code().code());
            }
            ps.setString(12, err == null ? null : cut(location(err.location()), 64));
            ps.setString(13, err == null ? null : cut(err.text(), 1000));
            ps.setString(14, e.appliedKey());
            ps.setString(15, cut(e.charset(), 32));
            ps.setInt(16, e.raw().length);
            ps.setBytes(17, e.raw());
            ps.setString(18, cut(e.ack(), 4000));
            setId(ps, 19, e.journalSeq());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Inserts in a transaction of its own (messages that change nothing else). */
    public long insert(Entry e) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return insert(c, e);
        }
    }

    /** The log row of the applied message with this key, if any. */
    public Optional<Long> findApplied(Connection c, String appliedKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FIND_APPLIED)) {
            ps.setString(1, appliedKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** Whether the message with this {@link IntakeJournal} number has its row (recovery skips it then). */
    public boolean hasJournalSeq(long seq) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM hl7_message_log WHERE journal_seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The highest {@link IntakeJournal} number in the log, 0 if none. */
    public long maxJournalSeq() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT MAX(journal_seq) FROM hl7_message_log");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The raw bytes of a logged message, for replay. */
    public Optional<byte[]> raw(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT raw FROM hl7_message_log WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        }
    }

    /** One row, without content. */
    public Optional<LoggedMessage> get(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM hl7_message_log WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** Searches, newest first (by id, which follows arrival). */
    public List<LoggedMessage> search(MessageQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM hl7_message_log WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (notEmpty(q.controlId())) {
            sql.append(" AND control_id = ?");
            args.add(q.controlId());
        }
        if (notEmpty(q.messageType())) {
            if (q.messageType().contains("^")) {
                sql.append(" AND message_type = ?");
                args.add(q.messageType());
            } else {
                sql.append(" AND message_type LIKE ?");
                args.add(q.messageType().replace("%", "").replace("_", "") + "^%");
            }
        }
        if (notEmpty(q.outcome())) {
            sql.append(" AND outcome = ?");
            args.add(q.outcome());
        }
        if (q.from() != null) {
            sql.append(" AND received_at >= ?");
            args.add(q.from());
        }
        if (q.to() != null) {
            sql.append(" AND received_at < ?");
            args.add(q.to());
        }
        if (q.beforeId() != null) {
            sql.append(" AND id < ?");
            args.add(q.beforeId());
        }
        sql.append(" ORDER BY id DESC FETCH FIRST ").append(q.limit()).append(" ROWS ONLY");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<LoggedMessage> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        }
    }

    private static LoggedMessage row(ResultSet rs) throws SQLException {
        return new LoggedMessage(rs.getLong(1), rs.getObject(2, OffsetDateTime.class), nz(rs.getString(3)),
                nz(rs.getString(4)), nz(rs.getString(5)), nz(rs.getString(6)), nz(rs.getString(7)), nz(rs.getString(8)),
                rs.getString(9), rs.getLong(10), rs.getLong(11), rs.getInt(12), nz(rs.getString(13)),
                nz(rs.getString(14)), rs.getBoolean(15), rs.getInt(16));
    }

    /** ERR-2 text as the ACK carries it (v2.5 ERL). */
    static String location(ErrorLocation l) {
        if (l == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(l.segmentId());
        int[] parts = {l.sequence(), l.field(), l.repetition(), l.component(), l.subcomponent()};
        int last = -1;
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] > 0) {
                last = i;
            }
        }
        for (int i = 0; i <= last; i++) {
            sb.append('^');
            if (parts[i] > 0) {
                sb.append(parts[i]);
            }
        }
        return sb.toString();
    }

    private static void setId(PreparedStatement ps, int index, long id) throws SQLException {
        if (id > 0) {
            ps.setLong(index, id);
        } else {
            ps.setNull(index, Types.BIGINT);
        }
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    static boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

}
