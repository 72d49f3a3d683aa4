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
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The database as every component but the HL7 intake sees it: a commit returns only after its changes are written to
 * the file (to the OS), as with H2's {@code WRITE_DELAY=0}.
 *
 * <p>The database itself runs with a write delay (its commits are written in batches, see {@link Database}), so this
 * wrapper writes the store after each {@link Connection#commit()}, after {@code setAutoCommit(true)} ends a
 * transaction, and after each {@code execute*} statement run in auto-commit mode ({@code executeQuery} excepted: it
 * changes nothing). The write covers everything committed so far by any connection.
 */
final class DurableDataSource implements DataSource {

    /** Writes the committed state of the database to its file and returns when it is there. */
    @FunctionalInterface
    interface StoreWriter {
        void write() throws SQLException;
    }

    private final DataSource pool;
    private final StoreWriter writer;

    DurableDataSource(DataSource pool, StoreWriter writer) {
        this.pool = pool;
        this.writer = writer;
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
            Object result = call(m, c, args);
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
            Object result = call(m, st, args);
            String name = m.getName();
            if (name.startsWith("execute") && !name.equals("executeQuery") && c.getAutoCommit()) {
                writer.write();
            }
            return result;
        });
    }

    private static Object call(Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static <T> T proxy(Class<T> type, Object target, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(DurableDataSource.class.getClassLoader(), new Class<?>[] {type},
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
