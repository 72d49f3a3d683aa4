package org.orderly.mwl.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.io.DatasetCodec;
import org.orderly.dicom.io.DicomStreamException;
import org.orderly.dicom.io.TransferSyntax;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answers of a {@link WorklistQuery}, streamed from an open JDBC result set: each row's item is decoded,
 * matched exactly, trimmed to the return keys and handed out one at a time, so memory does not grow with the
 * number of matches. Holds a connection until {@link #close()} (call it on C-CANCEL too; it is idempotent). Stops
 * after {@link MatchOptions#maxAnswers()} answers ({@link #limitReached()} then tells whether more would follow).
 * Not thread-safe.
 */
public final class WorklistCursor implements Iterator<Attributes>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorklistCursor.class);

    private final Connection connection;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final WorklistQuery query;
    private final int limit;
    private Attributes next;
    private long lastId = Long.MIN_VALUE;
    private int returned;
    private boolean limitReached;
    private boolean closed;

    /**
     * Runs the query on {@code connection}, which the cursor owns (closes) from now on.
     *
     * @param limit the most answers to give, 0 = none
     */
    public static WorklistCursor open(Connection connection, WorklistQuery query, int limit) throws SQLException {
        PreparedStatement ps = null;
        try {
            // PostgreSQL streams a result set only inside a transaction. H2 streams it in auto-commit mode as well
            // (LAZY_QUERY_EXECUTION), where a read-only transaction only adds a rollback per query: JFR of the MWL
            // benchmark, 16 associations, 13 % of the query thread
            if (!connection.getMetaData().getDatabaseProductName().equals("H2")) {
                connection.setAutoCommit(false);
                connection.setReadOnly(true);
            }
            ps = connection.prepareStatement(query.sql(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            ps.setFetchSize(query.options().fetchSize());
            int i = 1;
            for (Object p : query.params()) {
                ps.setObject(i++, p);
            }
            ResultSet rs = ps.executeQuery();
            return new WorklistCursor(connection, ps, rs, query, limit);
        } catch (SQLException | RuntimeException e) {
            if (ps != null) {
                ps.close();
            }
            finish(connection);
            throw e;
        }
    }

    private WorklistCursor(Connection connection, PreparedStatement statement, ResultSet rows, WorklistQuery query,
            int limit) {
        this.connection = connection;
        this.statement = statement;
        this.rows = rows;
        this.query = query;
        this.limit = limit;
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (closed) {
            return false;
        }
        try {
            while (rows.next()) {
                long id = rows.getLong(1);
                if (id == lastId) {
                    continue; // the same step reached through a second matching station AE title
                }
                lastId = id;
                Attributes item = decode(id, rows.getBytes(2));
                if (item != null && query.matches(item)) {
                    if (limit > 0 && returned == limit) {
                        limitReached = true;
                        close();
                        return false;
                    }
                    next = query.trim(item);
                    return true;
                }
            }
        } catch (SQLException e) {
            close();
            throw new WorklistStoreException("worklist query failed: " + e.getMessage(), e);
        }
        close();
        return false;
    }

    private static Attributes decode(long id, byte[] blob) {
        try {
            return DatasetCodec.decode(blob, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        } catch (DicomStreamException e) {
            LOG.warn("worklist: step row {} holds an undecodable item, skipped: {}", id, e.getMessage());
            return null;
        }
    }

    @Override
    public Attributes next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Attributes a = next;
        next = null;
        returned++;
        return a;
    }

    /** True if the answers stopped at the limit while more items matched. */
    public boolean limitReached() {
        return limitReached;
    }

    /** Answers handed out so far. */
    public int returned() {
        return returned;
    }

    /** Closes the result set and returns the connection. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            rows.close();
        } catch (SQLException e) {
            LOG.debug("worklist: closing result set: {}", e.getMessage());
        }
        try {
            statement.close();
        } catch (SQLException e) {
            LOG.debug("worklist: closing statement: {}", e.getMessage());
        }
        finish(connection);
    }

    private static void finish(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback(); // read-only: nothing to keep
                c.setReadOnly(false);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            LOG.debug("worklist: resetting connection: {}", e.getMessage());
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("worklist: closing connection: {}", e.getMessage());
        }
    }
}
