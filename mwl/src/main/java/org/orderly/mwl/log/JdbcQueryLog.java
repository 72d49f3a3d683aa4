package org.orderly.mwl.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query log in table {@code mwl_query_log} ({@code sql/V6__mwl_query_log.sql}).
 *
 * <p>{@link #record} never blocks a query: entries go to a bounded queue ({@value #QUEUE} entries) that one daemon
 * thread writes in batches (one transaction per batch, so a busy department costs a few commits per second, not
 * one per query). When the queue is full (the database is stuck) entries are dropped and counted; the count is
 * logged at WARN once the writer catches up. Rows older than the retention are deleted by the writer once an hour.
 * {@link #close()} writes what is queued, then stops.
 */
public final class JdbcQueryLog implements QueryLog, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcQueryLog.class);
    static final int QUEUE = 10_000;
    private static final int BATCH = 500;
    private static final int MAX_KEYS = 8000;
    private static final long PURGE_EVERY_NANOS = TimeUnit.HOURS.toNanos(1);
    private static final QueryLogEntry STOP = new QueryLogEntry(0, null, "", "", "", "", "", 0, "", 0);

    private final DataSource dataSource;
    private final Duration retention;
    private final BlockingQueue<QueryLogEntry> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private long processed; // guarded by this
    private final Thread writer;
    private volatile boolean closed;

    /** Starts the writer thread. */
    public JdbcQueryLog(DataSource dataSource, Duration retention) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.retention = Objects.requireNonNull(retention, "retention");
        this.writer = new Thread(this::run, "orderly-mwl-query-log");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void record(QueryLogEntry entry) {
        if (closed || !queue.offer(entry)) {
            dropped.incrementAndGet();
        } else {
            accepted.incrementAndGet();
        }
    }

    /**
     * Newest first.
     *
     * @param callingAe null = any
     * @param from      inclusive, null = open
     * @param to        exclusive, null = open
     * @param limit     1..1000
     */
    public List<QueryLogEntry> search(String callingAe, OffsetDateTime from, OffsetDateTime to, int limit)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id, queried_at, calling_ae, called_ae, remote_address, "
                + "query_keys, applied_rule, answers, status, elapsed_micros FROM mwl_query_log WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (callingAe != null) {
            sql.append(" AND calling_ae = ?");
            params.add(callingAe);
        }
        if (from != null) {
            sql.append(" AND queried_at >= ?");
            params.add(from);
        }
        if (to != null) {
            sql.append(" AND queried_at < ?");
            params.add(to);
        }
        sql.append(" ORDER BY queried_at DESC, id DESC FETCH FIRST ").append(Math.max(1, Math.min(limit, 1000)))
                .append(" ROWS ONLY");
        List<QueryLogEntry> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new QueryLogEntry(rs.getLong(1), rs.getObject(2, OffsetDateTime.class), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8),
                            rs.getString(9), rs.getLong(10)));
                }
            }
        }
        return out;
    }

    /** Waits until everything recorded so far has been written (or failed), at most {@code timeout}. */
    public synchronized void flush(Duration timeout) throws InterruptedException {
        long target = accepted.get();
        long end = System.nanoTime() + timeout.toNanos();
        while (processed < target) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private void run() {
        List<QueryLogEntry> batch = new ArrayList<>(BATCH);
        long lastPurge = System.nanoTime() - PURGE_EVERY_NANOS;
        try {
            while (true) {
                QueryLogEntry first = queue.poll(1, TimeUnit.MINUTES);
                if (System.nanoTime() - lastPurge >= PURGE_EVERY_NANOS) {
                    purge();
                    lastPurge = System.nanoTime();
                }
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                boolean stop = batch.remove(STOP);
                write(batch);
                synchronized (this) {
                    processed += batch.size();
                    notifyAll();
                }
                batch.clear();
                long d = dropped.getAndSet(0);
                if (d > 0) {
                    LOG.warn("mwl query log: {} entries dropped (queue of {} full: database too slow?)", d, QUEUE);
                }
                if (stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(List<QueryLogEntry> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mwl_query_log (queried_at, calling_ae, "
                    + "called_ae, remote_address, query_keys, applied_rule, answers, status, elapsed_micros) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (QueryLogEntry e : batch) {
                    ps.setObject(1, e.queriedAt());
                    ps.setString(2, cut(e.callingAe(), 16));
                    ps.setString(3, cut(e.calledAe(), 16));
                    ps.setString(4, cut(e.remoteAddress(), 64));
                    ps.setString(5, cut(e.keys(), MAX_KEYS));
                    ps.setString(6, cut(e.appliedRule(), 64));
                    ps.setInt(7, e.answers());
                    ps.setString(8, cut(e.status(), 40));
                    ps.setLong(9, e.elapsedMicros());
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            LOG.warn("mwl query log: {} entries not written: {}", batch.size(), e.getMessage());
        }
    }

    private void purge() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM mwl_query_log WHERE queried_at < ?")) {
            ps.setObject(1, OffsetDateTime.now().minus(retention));
            int n = ps.executeUpdate();
            if (n > 0) {
                LOG.info("mwl query log: {} entries older than {} days deleted", n, retention.toDays());
            }
        } catch (SQLException e) {
            LOG.warn("mwl query log: purge failed: {}", e.getMessage());
        }
    }

    private static String cut(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max);
    }

    /** Writes what is queued (up to 5 s), then stops the writer. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            queue.put(STOP);
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
