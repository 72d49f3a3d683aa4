package org.orderly.hl7.intake;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A connection handed to code that manages its own transactions (getConnection / commit / close)
 * while it must take part in the caller's transaction: {@code commit()}, {@code close()} and
 * {@code setAutoCommit(..)} do nothing; {@code rollback()} really rolls back and is remembered
 * ({@link #rolledBack()}) so the caller never commits half a unit of work. Everything else is
 * passed to the real connection. See {@link TransactionBoundDataSource}.
 */
final class JoinedConnection implements Connection {

    private final Connection target;
    private boolean rolledBack;
    private boolean closed;

    JoinedConnection(Connection target) {
        this.target = target;
    }

    boolean rolledBack() {
        return rolledBack;
    }

    @Override
    public void setAutoCommit(boolean autoCommit) {
        // the caller's transaction decides
    }

    @Override
    public boolean getAutoCommit() {
        return false;
    }

    @Override
    public void commit() {
        // committed by the caller, together with the rest of its transaction
    }

    @Override
    public void rollback() throws SQLException {
        rolledBack = true;
        target.rollback();
    }

    @Override
    public void close() {
        closed = true; // the caller closes the real connection
    }

    @Override
    public boolean isClosed() throws SQLException {
        return closed || target.isClosed();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return target.isWrapperFor(iface);
    }

    @Override
    public Statement createStatement() throws SQLException {
        return target.createStatement();
    }

    @Override
    public PreparedStatement prepareStatement(String a0) throws SQLException {
        return target.prepareStatement(a0);
    }

    @Override
    public CallableStatement prepareCall(String a0) throws SQLException {
        return target.prepareCall(a0);
    }

    @Override
    public String nativeSQL(String a0) throws SQLException {
        return target.nativeSQL(a0);
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return target.getMetaData();
    }

    @Override
    public void setReadOnly(boolean a0) throws SQLException {
        target.setReadOnly(a0);
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return target.isReadOnly();
    }

    @Override
    public void setCatalog(String a0) throws SQLException {
        target.setCatalog(a0);
    }

    @Override
    public String getCatalog() throws SQLException {
        return target.getCatalog();
    }

    @Override
    public void setTransactionIsolation(int a0) throws SQLException {
        target.setTransactionIsolation(a0);
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return target.getTransactionIsolation();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return target.getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        target.clearWarnings();
    }

    @Override
    public Statement createStatement(int a0, int a1) throws SQLException {
        return target.createStatement(a0, a1);
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int a1, int a2) throws SQLException {
        return target.prepareStatement(a0, a1, a2);
    }

    @Override
    public CallableStatement prepareCall(String a0, int a1, int a2) throws SQLException {
        return target.prepareCall(a0, a1, a2);
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        return target.getTypeMap();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> a0) throws SQLException {
        target.setTypeMap(a0);
    }

    @Override
    public void setHoldability(int a0) throws SQLException {
        target.setHoldability(a0);
    }

    @Override
    public int getHoldability() throws SQLException {
        return target.getHoldability();
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return target.setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String a0) throws SQLException {
        return target.setSavepoint(a0);
    }

    @Override
    public void rollback(Savepoint a0) throws SQLException {
        target.rollback(a0);
    }

    @Override
    public void releaseSavepoint(Savepoint a0) throws SQLException {
        target.releaseSavepoint(a0);
    }

    @Override
    public Statement createStatement(int a0, int a1, int a2) throws SQLException {
        return target.createStatement(a0, a1, a2);
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int a1, int a2, int a3) throws SQLException {
        return target.prepareStatement(a0, a1, a2, a3);
    }

    @Override
    public CallableStatement prepareCall(String a0, int a1, int a2, int a3) throws SQLException {
        return target.prepareCall(a0, a1, a2, a3);
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int a1) throws SQLException {
        return target.prepareStatement(a0, a1);
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int[] a1) throws SQLException {
        return target.prepareStatement(a0, a1);
    }

    @Override
    public PreparedStatement prepareStatement(String a0, String[] a1) throws SQLException {
        return target.prepareStatement(a0, a1);
    }

    @Override
    public Clob createClob() throws SQLException {
        return target.createClob();
    }

    @Override
    public Blob createBlob() throws SQLException {
        return target.createBlob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return target.createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return target.createSQLXML();
    }

    @Override
    public boolean isValid(int a0) throws SQLException {
        return target.isValid(a0);
    }

    @Override
    public void setClientInfo(String a0, String a1) throws SQLClientInfoException {
        target.setClientInfo(a0, a1);
    }

    @Override
    public void setClientInfo(Properties a0) throws SQLClientInfoException {
        target.setClientInfo(a0);
    }

    @Override
    public String getClientInfo(String a0) throws SQLException {
        return target.getClientInfo(a0);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        return target.getClientInfo();
    }

    @Override
    public Array createArrayOf(String a0, Object[] a1) throws SQLException {
        return target.createArrayOf(a0, a1);
    }

    @Override
    public Struct createStruct(String a0, Object[] a1) throws SQLException {
        return target.createStruct(a0, a1);
    }

    @Override
    public void setSchema(String a0) throws SQLException {
        target.setSchema(a0);
    }

    @Override
    public String getSchema() throws SQLException {
        return target.getSchema();
    }

    @Override
    public void abort(Executor a0) throws SQLException {
        target.abort(a0);
    }

    @Override
    public void setNetworkTimeout(Executor a0, int a1) throws SQLException {
        target.setNetworkTimeout(a0, a1);
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return target.getNetworkTimeout();
    }
}
