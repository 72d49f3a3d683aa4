package org.orderly.broker.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The housekeeping H2 skips while its background writer is off ({@link Database#WRITE_BEHIND}): every few seconds,
 * re-write the live pages of sparsely used MVStore chunks so that those chunks can be freed.
 *
 * <p>Why: each commit writes one chunk, and a chunk stays in the file, and in the heap ({@code SFChunk} with its
 * bitmaps, ~250 bytes), as long as one of its pages is live. H2 normally compacts in its background writer thread,
 * but Orderly keeps that thread from writing (see {@link Database}). Measured without this class (HL7 benchmark, 100,000 orders on one connection): 30,907 -> 90,289 chunk
 * objects in 153 s, the used heap after GC rising by ~17 MB per 100,000 orders without bound, and the file growing to
 * gigabytes.
 *
 * <p>Uses H2 internals ({@code SessionLocal -> Database -> Store -> MVStore}); re-check on an H2 upgrade. A failure is
 * logged once per run and never stops the broker.
 */
final class ChunkCompactor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkCompactor.class);
    /** Chunks whose live share is below this percentage are re-written (H2's own default auto-compact fill rate). */
    static final int TARGET_FILL_RATE = 90;
    /** Bytes re-written per call; calls repeat within a run while chunks were re-written and time is left. */
    private static final int WRITE_PER_CALL = 4 * 1024 * 1024;
    private static final long RUN_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long PERIOD_SECONDS = 5;

    private final DataSource dataSource;
    /** The write side of {@link Database#commitGate()}: a compaction writes the store. */
    private final Lock storeWrite;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "orderly-db-compactor");
        t.setDaemon(true);
        return t;
    });

    ChunkCompactor(DataSource dataSource, Lock storeWrite) {
        this.dataSource = dataSource;
        this.storeWrite = storeWrite;
    }

    ChunkCompactor start() {
        timer.scheduleWithFixedDelay(this::runOnce, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    /** One round; returns how many compact calls re-wrote chunks. */
    int runOnce() {
        int rewrites = 0;
        try (Connection c = dataSource.getConnection()) {
            MVStore store = store(c);
            if (store.getFileStore() == null) {
                return 0; // in-memory database (tests): no chunks
            }
            long end = System.nanoTime() + RUN_BUDGET_NANOS;
            while (System.nanoTime() < end && !store.isClosed() && compactOnce(store)) {
                rewrites++;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("database: chunk compaction failed (retried in {} s): {}", PERIOD_SECONDS, e.toString());
        }
        return rewrites;
    }

    /** One bounded compaction step behind the gate (held for one step only: commits wait for it). */
    private boolean compactOnce(MVStore store) {
        storeWrite.lock();
        try {
            return store.compact(TARGET_FILL_RATE, WRITE_PER_CALL);
        } finally {
            storeWrite.unlock();
        }
    }

    /** Live share of the bytes in the store's chunks, in percent (H2's "chunks fill rate"). */
    int chunksFillRate() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return store(c).getFileStore().getChunksFillRate();
        }
    }

    private static MVStore store(Connection c) throws SQLException {
        return ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
