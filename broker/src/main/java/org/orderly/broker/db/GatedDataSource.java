package org.orderly.broker.db;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.concurrent.locks.Lock;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The pool as the components see it: every H2 commit (a {@link Connection#commit()}, a {@code setAutoCommit(true)}
 * that ends a transaction, an {@code execute*} statement in auto-commit mode; {@code executeQuery} changes nothing)
 * runs under the read side of {@link Database#commitGate()}, so that no store write captures it half applied.
 *
 * <p>{@link #durable}: after each such commit the store is written, so the commit returns only when its changes are
 * in the file (to the OS), as with H2's {@code WRITE_DELAY=0}; the write covers everything committed so far by any
 * connection. {@link #writeBehind}: the changes reach the file with a later store write.
 */
final class GatedDataSource implements DataSource {

    /** Writes the committed state of the database to its file and returns when it is there. */
    @FunctionalInterface
    interface StoreWriter {
        void write() throws SQLException;
    }

    private final DataSource pool;
    private final StoreWriter writer;
    /** Held while H2 commits (see {@link Database#commitGate()}); a store write waits for it. */
    private final Lock commits;

    private GatedDataSource(DataSource pool, StoreWriter writer, Lock commits) {
        this.pool = pool;
        this.writer = writer;
        this.commits = commits;
    }

    /** Commits that are in the file when they return. */
    static GatedDataSource durable(DataSource pool, StoreWriter writer, Lock commits) {
        return new GatedDataSource(pool, writer, commits);
    }

    /** Commits that reach the file with the next store write. */
    static GatedDataSource writeBehind(DataSource pool, Lock commits) {
        return new GatedDataSource(pool, () -> { }, commits);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return durable(pool.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return durable(pool.getConnection(username, password));
    }

    private Connection durable(Connection c) {
        return proxy(Connection.class, c, (proxy, m, args) -> {
            String name = m.getName();
            boolean endsTransaction = name.equals("commit")
                    || (name.equals("setAutoCommit") && Boolean.TRUE.equals(args[0]) && !c.getAutoCommit());
            Object result = endsTransaction ? callCommitting(m, c, args) : call(m, c, args);
            if (endsTransaction) {
                writer.write();
            } else if (result instanceof Statement st && !(result instanceof Proxy)) {
                return durable(st, c);
            }
            return result;
        });
    }

    private Statement durable(Statement st, Connection c) {
        Class<? extends Statement> type = st instanceof java.sql.CallableStatement ? java.sql.CallableStatement.class
                : st instanceof java.sql.PreparedStatement ? java.sql.PreparedStatement.class : Statement.class;
        return proxy(type, st, (proxy, m, args) -> {
            String name = m.getName();
            boolean commits = name.startsWith("execute") && !name.equals("executeQuery") && c.getAutoCommit();
            Object result = commits ? callCommitting(m, st, args) : call(m, st, args);
            if (commits) {
                writer.write();
            }
            return result;
        });
    }

    /** A call that ends with an H2 commit: no store write may run while H2 applies the commit to its maps. */
    private Object callCommitting(Method m, Object target, Object[] args) throws Throwable {
        commits.lock();
        try {
            return call(m, target, args);
        } finally {
            commits.unlock();
        }
    }

    private static Object call(Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static <T> T proxy(Class<T> type, Object target, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(GatedDataSource.class.getClassLoader(), new Class<?>[] {type},
                (proxy, m, args) -> m.getName().equals("unwrap") && args[0] == type ? proxy
                        : handler.invoke(proxy, m, args)));
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
