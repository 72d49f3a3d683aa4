package org.orderly.broker.db;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded H2 database in file mode at {@code <data-dir>/db/orderly} (file {@code orderly.mv.db}).
 *
 * <p>One process owns it: AUTO_SERVER is off, and H2's file lock makes a second Orderly on the same
 * data dir fail at start-up instead of sharing. DB_CLOSE_ON_EXIT is off because Orderly closes the
 * database itself, last, after Camel and JMS have finished their in-flight work. Connections come
 * from a HikariCP pool; the schema is brought up to date by {@link SchemaMigrator} before anything
 * else uses it.
 *
 * <p>Why not H2's own {@code JdbcConnectionPool}: it calls {@code rollback()} on every borrow and every
 * return. With {@code WRITE_DELAY=0} each of those ends a (usually empty) MVStore transaction, and
 * ending a transaction writes every page any other connection has dirtied so far: JFR showed a third of
 * all MVStore chunk writes of the HL7 intake coming from those rollbacks (docs/benchmarks.md).
 * HikariCP rolls back only a connection returned in the middle of a transaction.
 *
 * <p>{@code WRITE_DELAY=0} also stops H2's background housekeeping; {@link ChunkCompactor} does it instead.
 *
 * <h2>Durability: what a commit means</h2>
 * HL7 AA and DICOM success statuses are sent only after a commit, so a commit must reach the file.
 * H2's MVStore by default writes committed changes in the background up to {@code WRITE_DELAY}
 * (500 ms) later: a JVM killed in that window loses changes that were already acknowledged.
 * {@code WRITE_DELAY=0} in the URL makes every commit write its changes to the file (to the OS)
 * before {@code commit()} returns, for every connection of the database, from the first one on.
 * A SIGKILL of the JVM then loses nothing that was committed ({@code Hl7IntakeIT.aaSurvivesSigkill}).
 *
 * <p>What H2 does NOT do is fsync at commit: the written pages sit in the OS page cache until the
 * kernel flushes them (seconds). A power loss or kernel crash can therefore lose the last commits
 * although they were acknowledged. H2 2.x has no fsync-per-commit setting; the options would be
 * (a) an explicit {@code FileChannel.force} after each commit outside H2 (not possible without
 * patching MVStore), or (b) a database with a synchronous write-ahead log (e.g. PostgreSQL with
 * {@code synchronous_commit=on}), whose cost is one fsync per commit: a few milliseconds on a
 * disk without a battery-backed cache, i.e. a few hundred orders/s per connection instead of
 * thousands. For an embedded broker the JVM crash is the common failure and is covered; a
 * site that needs power-loss durability should run on storage with a protected write cache
 * (which makes fsync cheap) and, if it matters, a server database. Recorded in docs/benchmarks.md.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final int MAX_CONNECTIONS = 16;
    /** URL setting: a commit writes its changes to the file before it returns (see the class comment). */
    static final String DURABLE_COMMIT = "WRITE_DELAY=0";
    /** URL setting: parsed statements cached per connection (see {@link #open(Path)}). */
    static final String STATEMENT_CACHE = "QUERY_CACHE_SIZE=64";

    private final HikariDataSource pool;
    private final Path file;
    private final ChunkCompactor compactor;

    private Database(HikariDataSource pool, Path file) {
        this.pool = pool;
        this.file = file;
        this.compactor = new ChunkCompactor(pool).start();
    }

    /** Opens (creating if needed) the database under {@code dbDir} and applies pending migrations. */
    public static Database open(Path dbDir) throws SQLException, IOException {
        Path base = dbDir.resolve("orderly").toAbsolutePath();
        // LAZY_QUERY_EXECUTION: result sets stream row by row (worklist C-FIND, mwl WorklistCursor) instead of
        // being materialized whole.
        // QUERY_CACHE_SIZE: parsed statements kept per connection (H2's default is 8). One HL7 order runs about a
        // dozen distinct statements (message log, patient, procedure, step, station AE, id sequences), so with 8
        // every statement was parsed again on every message (JFR: ~14% of the intake's store CPU).
        String url = "jdbc:h2:file:" + base + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE;" + DURABLE_COMMIT
                + ";LAZY_QUERY_EXECUTION=TRUE;" + STATEMENT_CACHE;
        return open(url, base);
    }

    /** Opens any H2 URL (tests use {@code jdbc:h2:mem:...}) and migrates it. */
    public static Database open(String url, Path file) throws SQLException, IOException {
        HikariConfig config = new HikariConfig();
        config.setPoolName("orderly-db");
        config.setJdbcUrl(url);
        config.setUsername("orderly");
        config.setPassword("");
        config.setMaximumPoolSize(MAX_CONNECTIONS);
        config.setMinimumIdle(2);
        config.setConnectionTimeout(10_000);
        // an embedded database closes when its last connection closes: never retire pooled connections
        config.setMaxLifetime(0);
        config.setIdleTimeout(0);
        HikariDataSource pool = newPool(config);
        try {
            try (Connection c = pool.getConnection()) {
                // first connection creates or opens the file; fail fast here
                c.isValid(5);
            }
            int applied = new SchemaMigrator(pool, SchemaMigrator.fromClasspath(SchemaMigrator.DEFAULT_LOCATION)).migrate();
            LOG.info("database: {} ({} migration(s) applied now)", file, applied);
            return new Database(pool, file);
        } catch (SQLException | IOException | RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Opens the pool; the first connection is made here, and its failure (e.g. a locked file) is an SQLException. */
    private static HikariDataSource newPool(HikariConfig config) throws SQLException {
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
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

    /**
     * Closes the database cleanly: closing the pool closes its last connection, and H2 then writes and closes the
     * file (DB_CLOSE_DELAY 0), as {@code SHUTDOWN} would. Not {@code SHUTDOWN} itself: the pool then resets a
     * connection of a closed database, and H2 writes that exception to {@code orderly.trace.db} at every stop.
     */
    @Override
    public void close() {
        compactor.close();
        pool.close();
        LOG.info("database: closed {}", file);
    }
}
