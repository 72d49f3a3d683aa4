package org.orderly.hl7.intake;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HL7 intake's write-ahead journal: what makes an AA durable while the database writes behind.
 *
 * <p>Each message is appended here after its database transaction committed (in memory) and before the ACK is sent.
 * Every {@value #CHECKPOINT_MILLIS} ms a checkpoint starts a new segment file, writes the database to its file
 * ({@link StoreWrite}: everything committed so far, which includes every message of the closed segments) and then
 * deletes the closed segments. After a crash, the segments still on disk hold every acknowledged message the
 * database file may lack; {@link OrderIntake#recover()} handles them again, skipping those whose log row (column
 * {@code journal_seq}) made it to the file. A checkpoint writes the database only between the intake's transactions
 * ({@link #enterTransaction()}): the file then never holds an intake transaction half done.
 *
 * <p>An append is one {@code write} to the OS, like H2's own commit: it survives a JVM crash (SIGKILL), not a power
 * loss (see {@code org.orderly.broker.db.Database}). A record is {@code length, CRC-32C, payload}; a record cut short
 * by a crash is the last one, was never acknowledged, and is dropped at recovery with a warning. If an append fails
 * (disk full), the intake falls back to writing the database itself before the ACK.
 *
 * <p>Files: {@code <dir>/intake-<segment number>.journal}. Thread-safe.
 */
public final class IntakeJournal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IntakeJournal.class);
    static final long CHECKPOINT_MILLIS = 200;
    /** A record larger than this is damage, not a message (the MLLP frame limit is far below). */
    private static final int MAX_RECORD = 64 * 1024 * 1024;
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** Writes everything the database has committed to its file; returns when it is there. */
    @FunctionalInterface
    public interface StoreWrite {
        void run() throws Exception;
    }

    /** Receives the journal's records at recovery. */
    @FunctionalInterface
    public interface EntryHandler {
        void accept(JournalEntry entry) throws Exception;
    }

    private final Path dir;
    private final StoreWrite storeWrite;
    private final AtomicLong seq = new AtomicLong();
    private final Object appendLock = new Object();
    private final Object checkpointLock = new Object();
    /** Read side held by each intake transaction, write side by a checkpoint's database write (see {@link #open}). */
    private final ReadWriteLock transactions;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "orderly-hl7-journal");
        t.setDaemon(true);
        return t;
    });
    /** Segments closed by a checkpoint whose database write has not succeeded yet, oldest first. */
    private final List<Path> closed = new ArrayList<>();
    private long segmentNumber;
    private FileChannel segment;
    private Path segmentPath;
    private long segmentBytes;
    private long lastWarn = System.nanoTime() - WARN_INTERVAL_NANOS;

    private IntakeJournal(Path dir, StoreWrite storeWrite, ReadWriteLock transactions) {
        this.dir = dir;
        this.storeWrite = storeWrite;
        this.transactions = transactions;
    }

    /** {@link #open(Path, StoreWrite, ReadWriteLock)} with a gate of its own. */
    public static IntakeJournal open(Path dir, StoreWrite storeWrite) throws IOException {
        return open(dir, storeWrite, new ReentrantReadWriteLock(true));
    }

    /**
     * Opens the journal in {@code dir}; the segments found there are {@linkplain #forEachPending pending}. The
     * database's own gate ({@code org.orderly.broker.db.Database#commitGate}) makes every other store write wait for
     * the intake's transactions too.
     */
    public static IntakeJournal open(Path dir, StoreWrite storeWrite, ReadWriteLock transactions) throws IOException {
        Files.createDirectories(dir);
        IntakeJournal j = new IntakeJournal(dir, storeWrite, transactions);
        j.closed.addAll(j.segmentsOnDisk());
        for (Path p : j.closed) {
            j.segmentNumber = Math.max(j.segmentNumber, number(p));
        }
        return j;
    }

    /** Hands every intact record of the segments found at {@link #open}, in order, to {@code handler}. */
    public void forEachPending(EntryHandler handler) throws Exception {
        for (Path p : closed) {
            try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(p))) {
                JournalEntry e;
                while ((e = read(in, p)) != null) {
                    seq.accumulateAndGet(e.seq(), Math::max);
                    handler.accept(e);
                }
            }
        }
    }

    /**
     * Ends recovery and starts journaling: writes the database (with whatever recovery changed), deletes the old
     * segments, opens a new one and starts the checkpoints. Sequence numbers continue after {@code lastSeqInDatabase}
     * and after every number seen in the old segments.
     */
    public void start(long lastSeqInDatabase) throws Exception {
        seq.accumulateAndGet(lastSeqInDatabase, Math::max);
        synchronized (checkpointLock) {
            storeWrite.run();
            deleteClosed();
            synchronized (appendLock) {
                openSegment();
            }
        }
        timer.scheduleWithFixedDelay(this::checkpoint, CHECKPOINT_MILLIS, CHECKPOINT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Called before an intake transaction starts; a checkpoint's database write waits until {@link #exitTransaction}. */
    void enterTransaction() {
        transactions.readLock().lock();
    }

    void exitTransaction() {
        transactions.readLock().unlock();
    }

    /** The number for the next message (stored in its log row). */
    public long nextSeq() {
        return seq.incrementAndGet();
    }

    /**
     * Makes a message whose database transaction has committed durable; returns when it is. If the journal cannot be
     * written, the database is written instead.
     *
     * @throws UncheckedIOException neither the journal nor the database could be written: the message must not be
     *                              acknowledged
     */
    void append(JournalEntry entry) {
        byte[] payload = entry.encode();
        CRC32C crc = new CRC32C();
        crc.update(payload);
        ByteBuffer record = ByteBuffer.allocate(8 + payload.length);
        record.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
        try {
            synchronized (appendLock) {
                if (segment == null) {
                    throw new IOException("journal not started or closed");
                }
                while (record.hasRemaining()) {
                    segment.write(record);
                }
                segmentBytes += record.limit();
            }
        } catch (IOException e) {
            writeStoreInstead(entry, e);
        }
    }

    private void writeStoreInstead(JournalEntry entry, IOException cause) {
        long now = System.nanoTime();
        if (now - lastWarn >= WARN_INTERVAL_NANOS) {
            lastWarn = now;
            LOG.warn("hl7 journal {}: cannot append ({}); writing the database at each message instead (slower)", dir,
                    cause.toString());
        }
        transactions.writeLock().lock();
        try {
            storeWrite.run();
        } catch (Exception e) {
            e.addSuppressed(cause);
            throw new UncheckedIOException(new IOException("hl7 journal: message " + entry.seq()
                    + " is neither in the journal nor in the database file: " + e, e));
        } finally {
            transactions.writeLock().unlock();
        }
    }

    /** Starts a new segment, writes the database, deletes the closed segments; nothing to do when idle. */
    void checkpoint() {
        synchronized (checkpointLock) {
            synchronized (appendLock) {
                if (segment == null || segmentBytes == 0) {
                    return;
                }
                try {
                    segment.close();
                    closed.add(segmentPath);
                    openSegment();
                } catch (IOException e) {
                    LOG.warn("hl7 journal {}: cannot start a new segment: {}", dir, e.toString());
                    return;
                }
            }
            transactions.writeLock().lock();
            try {
                storeWrite.run();
            } catch (Exception e) {
                // the closed segments stay until a later checkpoint writes the database
                LOG.warn("hl7 journal {}: database write failed ({}); {} segment(s) kept", dir, e.toString(),
                        closed.size());
                return;
            } finally {
                transactions.writeLock().unlock();
            }
            try {
                deleteClosed();
            } catch (Exception e) {
                LOG.warn("hl7 journal {}: cannot delete a written segment ({}); it is replayed and skipped at the next"
                        + " start", dir, e.toString());
            }
        }
    }

    private void openSegment() throws IOException {
        segmentNumber++;
        segmentPath = dir.resolve(String.format("intake-%016d.journal", segmentNumber));
        segment = FileChannel.open(segmentPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        segmentBytes = 0;
    }

    private void deleteClosed() throws IOException {
        for (Path p : closed) {
            Files.deleteIfExists(p);
        }
        closed.clear();
    }

    private List<Path> segmentsOnDisk() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("intake-\\d{16}\\.journal"))
                    .sorted().toList();
        }
    }

    private static long number(Path p) {
        String n = p.getFileName().toString();
        return Long.parseLong(n.substring("intake-".length(), n.length() - ".journal".length()));
    }

    /** The next intact record, or null at the end of the segment or at a record cut short or damaged. */
    private static JournalEntry read(InputStream in, Path p) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int length;
        try {
            length = data.readInt();
        } catch (EOFException end) {
            return null;
        }
        try {
            int crc = data.readInt();
            if (length <= 0 || length > MAX_RECORD) {
                throw new IOException("record length " + length);
            }
            byte[] payload = data.readNBytes(length);
            CRC32C check = new CRC32C();
            check.update(payload);
            if (payload.length < length || (int) check.getValue() != crc) {
                throw new IOException("record cut short or damaged");
            }
            return JournalEntry.decode(new DataInputStream(new ByteArrayInputStream(payload)));
        } catch (IOException e) {
            LOG.warn("hl7 journal {}: {} at the end; the rest of this segment is ignored (a message cut short by a "
                    + "crash was never acknowledged)", p.getFileName(), e.getMessage());
            return null;
        }
    }

    /** Stops the checkpoints and makes a last one (the database is then written and the journal empty). */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checkpoint();
        synchronized (appendLock) {
            try {
                if (segment != null) {
                    segment.close();
                    segment = null;
                    if (segmentBytes == 0) {
                        Files.deleteIfExists(segmentPath);
                    }
                }
            } catch (IOException e) {
                LOG.warn("hl7 journal {}: close: {}", dir, e.toString());
            }
        }
    }
}
