package org.orderly.broker.db;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import javax.sql.DataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
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
 * <h2>Durability: what a commit means</h2>
 * HL7 AA and DICOM success statuses are sent only after a commit, so a commit must reach the file. There are two
 * ways in, and both give that guarantee:
 * <ul>
 *   <li>{@link #dataSource()}, for every component but the HL7 intake: a commit returns after its changes are
 *       written to the file ({@link GatedDataSource#durable}, which writes the store after each commit), the behaviour of
 *       H2's {@code WRITE_DELAY=0}.</li>
 *   <li>{@link #writeBehindDataSource()}, for the HL7 intake, for reads, and for records that reach the file with a
 *       later durable write (the worklist query log, the storage's received-instance record): a commit changes the
 *       database in memory (other connections see it at once) and is written to the file with the next store write.
 *       The intake makes each message durable in its own journal before the AA
 *       ({@code org.orderly.hl7.intake.IntakeJournal}) and replays the journal's tail after a crash;
 *       {@link #writeStore()} is its checkpoint.</li>
 * </ul>
 * Why two: writing the store serializes every B-tree page the commit touched (about 26 indexes per order); doing
 * that per message was three quarters of the intake's time (docs/benchmarks.md, HL7 run 4). H2's own background
 * writing is off ({@link #WRITE_BEHIND}); {@link ChunkCompactor} does its housekeeping; every store write waits for
 * the commits being applied ({@link #commitGate()}).
 *
 * <p>A write to the file is a write to the OS, not an fsync: a SIGKILL of the JVM loses nothing acknowledged
 * ({@code Hl7IntakeIT.aaSurvivesSigkill}, the MPPS and storage kill tests), a power loss or kernel crash can lose the
 * last seconds. H2 2.x has no fsync-per-commit setting; a site that needs power-loss durability should run on
 * storage with a protected write cache and, if it matters, a server database with a synchronous write-ahead log.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final int MAX_CONNECTIONS = 16;
    /**
     * URL setting: H2's own background writer would store after this many ms (and run its housekeeping every third of
     * it); the largest value means never in practice. Every write of the file is Orderly's, behind
     * {@link #commitGate()}: a durable commit ({@link GatedDataSource#durable}), the HL7 journal's checkpoint or
     * {@link ChunkCompactor}. H2's writer stores on its own timer, whatever commit is in progress, and asynchronously
     * (see {@link #writeStore()}); with it on, Hl7CrashUnderLoadIT lost acknowledged orders.
     */
    static final String WRITE_BEHIND = "WRITE_DELAY=2147483647";
    /** URL setting: parsed statements cached per connection (see {@link #open(Path)}). */
    static final String STATEMENT_CACHE = "QUERY_CACHE_SIZE=64";

    private final HikariDataSource pool;
    private final DataSource durable;
    private final DataSource writeBehind;
    private final Path file;
    /** Null for an in-memory database (tests): nothing to write. */
    private final MVStore store;
    private final ChunkCompactor compactor;
    /** See {@link #commitGate()}; fair, so that a waiting store write is not starved by a stream of commits. */
    private final ReentrantReadWriteLock commitGate = new ReentrantReadWriteLock(true);

    private Database(HikariDataSource pool, Path file, MVStore store) {
        this.pool = pool;
        this.durable = GatedDataSource.durable(pool, this::writeStore, commitGate.readLock());
        this.writeBehind = GatedDataSource.writeBehind(pool, commitGate.readLock());
        this.file = file;
        this.store = store;
        this.compactor = new ChunkCompactor(pool, commitGate.writeLock()).start();
    }

    /** Opens (creating if needed) the database under {@code dbDir} and applies pending migrations. */
    public static Database open(Path dbDir) throws SQLException, IOException {
        Path base = dbDir.resolve("orderly").toAbsolutePath();
        // LAZY_QUERY_EXECUTION: result sets stream row by row (worklist C-FIND, mwl WorklistCursor) instead of
        // being materialized whole.
        // QUERY_CACHE_SIZE: parsed statements kept per connection (H2's default is 8). One HL7 order runs about a
        // dozen distinct statements (message log, patient, procedure, step, station AE, id sequences), so with 8
        // every statement was parsed again on every message (JFR: ~14% of the intake's store CPU).
        String url = "jdbc:h2:file:" + base + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE;" + WRITE_BEHIND
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
            Database db = new Database(pool, file, mvStore(pool));
            db.writeStore();
            LOG.info("database: {} ({} migration(s) applied now)", file, applied);
            return db;
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

    /** Connections whose commits are in the file when they return (see the class comment). */
    public DataSource dataSource() {
        return durable;
    }

    /**
     * Connections whose commits are written with the next batch: only for a caller that makes its own changes durable
     * first and calls {@link #writeStore()} before it forgets them (the HL7 intake's journal).
     */
    public DataSource writeBehindDataSource() {
        return writeBehind;
    }

    /** H2's store behind the pool (H2 internals: re-check on an H2 upgrade); null for an in-memory database. */
    private static MVStore mvStore(DataSource pool) throws SQLException {
        try (Connection c = pool.getConnection()) {
            MVStore store = ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore()
                    .getMvStore();
            return store.getFileStore() == null ? null : store;
        }
    }

    /**
     * Orderly's rule for H2's file: the store is never written while a commit is being applied. The read side is held
     * by every commit of {@link #dataSource()} and by each whole transaction of the HL7 intake (its journal's gate);
     * the write side by every write of the store ({@link #writeStore()}, {@link ChunkCompactor}).
     *
     * <p>Why: H2 (2.4.240) collects the roots of its maps one after the other while other threads go on committing.
     * A store taken while a transaction was being committed could hold part of it: Hl7CrashUnderLoadIT found an
     * acknowledged order whose message-log row was in the file after a SIGKILL but whose worklist step was not (and
     * the journal's recovery then skipped it as already stored), with H2's own background writer storing every second.
     * With H2's writer off and every store behind this gate, 40 kills under load lost nothing.
     */
    public ReadWriteLock commitGate() {
        return commitGate;
    }

    /**
     * Writes everything committed so far, by any connection, to the file; returns when it is there. Waits for the
     * commits in progress ({@link #commitGate()}); must not be called from inside a transaction that holds the gate.
     */
    public void writeStore() throws SQLException {
        if (store == null) {
            return;
        }
        if (commitGate.getReadHoldCount() > 0) {
            throw new IllegalStateException("database: store write from inside a gated transaction (would deadlock)");
        }
        commitGate.writeLock().lock();
        try {
            store.commit();
            // H2 may have handed earlier changes to its own writer threads (a store made by its background writer or
            // by a connection over the unsaved-memory limit is asynchronous); commit() then finds nothing unsaved and
            // returns at once. Wait until those writes are in the file too: otherwise an AA could be sent, and the
            // HL7 journal's segment deleted, while the chunk holding the message is still in H2's queue (a SIGKILL
            // then lost acknowledged orders: Hl7CrashUnderLoadIT, 2 of 4,672 over 30 kills before this line).
            store.getFileStore().executeFileStoreOperation(() -> { });
        } catch (RuntimeException e) {
            throw new SQLException("database: writing committed changes to " + file + " failed: " + e, e);
        } finally {
            commitGate.writeLock().unlock();
        }
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
