package org.orderly.broker.db;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded H2 database in file mode at {@code <data-dir>/db/orderly} (file {@code orderly.mv.db}).
 *
 * <p>One process owns it: AUTO_SERVER is off, and H2's file lock makes a second Orderly on the same
 * data dir fail at start-up instead of sharing. DB_CLOSE_ON_EXIT is off because Orderly closes the
 * database itself, last, after Camel and JMS have finished their in-flight work. Connections come
 * from H2's own small pool ({@link JdbcConnectionPool}); the schema is brought up to date by
 * {@link SchemaMigrator} before anything else uses it.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final int MAX_CONNECTIONS = 16;

    private final JdbcConnectionPool pool;
    private final Path file;

    private Database(JdbcConnectionPool pool, Path file) {
        this.pool = pool;
        this.file = file;
    }

    /** Opens (creating if needed) the database under {@code dbDir} and applies pending migrations. */
    public static Database open(Path dbDir) throws SQLException, IOException {
        Path base = dbDir.resolve("orderly").toAbsolutePath();
        String url = "jdbc:h2:file:" + base + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE";
        return open(url, base);
    }

    /** Opens any H2 URL (tests use {@code jdbc:h2:mem:...}) and migrates it. */
    public static Database open(String url, Path file) throws SQLException, IOException {
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "orderly", "");
        pool.setMaxConnections(MAX_CONNECTIONS);
        try {
            try (Connection c = pool.getConnection()) {
                // first connection creates or opens the file; fail fast here
                c.isValid(5);
            }
            int applied = new SchemaMigrator(pool, SchemaMigrator.fromClasspath(SchemaMigrator.DEFAULT_LOCATION)).migrate();
            LOG.info("database: {} ({} migration(s) applied now)", file, applied);
            return new Database(pool, file);
        } catch (SQLException | IOException | RuntimeException e) {
            pool.dispose();
            throw e;
        }
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Health: a connection can be had and is valid within 2 s. */
    public boolean isUp() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Closes the database cleanly (H2 {@code SHUTDOWN} compacts nothing, just writes and closes the file). */
    @Override
    public void close() {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("SHUTDOWN");
        } catch (SQLException e) {
            LOG.warn("database: shutdown: {}", e.getMessage());
        } finally {
            pool.dispose();
        }
        LOG.info("database: closed {}", file);
    }
}
