package org.orderly.hl7.intake;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} for a store whose every call is "one committed transaction" (get a
 * connection, work, commit, close), letting the HL7 intake run such calls INSIDE its own
 * transaction: while {@link #joined} runs on a thread, {@link #getConnection()} on that thread
 * returns the intake's connection wrapped so that the store's commit and close do nothing. The
 * intake then commits the store's changes and its message log row at once, and only after that
 * sends AA. On any other thread (e.g. a C-FIND query) it is the plain pool.
 */
public final class TransactionBoundDataSource implements DataSource {

    private final DataSource pool;
    private final ThreadLocal<JoinedConnection> bound = new ThreadLocal<>();

    public TransactionBoundDataSource(DataSource pool) {
        this.pool = pool;
    }

    /**
     * Runs {@code work} with {@code tx} as this thread's connection.
     *
     * @throws SQLException when the work rolled the transaction back itself (the caller must then
     *                      not commit anything of it)
     */
    public <T> T joined(Connection tx, Callable<T> work) throws Exception {
        JoinedConnection j = new JoinedConnection(tx);
        JoinedConnection previous = bound.get();
        bound.set(j);
        try {
            T result = work.call();
            if (j.rolledBack()) {
                throw new RolledBackException();
            }
            return result;
        } finally {
            if (previous == null) {
                bound.remove();
            } else {
                bound.set(previous);
            }
        }
    }

    /** The store rolled back the joined transaction: nothing of the unit of work may be committed. */
    public static final class RolledBackException extends SQLException {
        private static final long serialVersionUID = 1L;

        RolledBackException() {
            super("the store rolled back the transaction");
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        JoinedConnection j = bound.get();
        return j != null ? j : pool.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        JoinedConnection j = bound.get();
        return j != null ? j : pool.getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || pool.isWrapperFor(iface);
    }
}
