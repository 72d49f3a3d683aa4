package org.orderly.broker.storage;

import java.io.InterruptedIOException;
import java.nio.file.Path;

/**
 * Makes new directory entries durable with group commit: every caller waits for a directory fsync that STARTED after
 * its call, and one fsync serves every caller that arrived while the previous one ran. With N associations storing at
 * once this turns N directory fsyncs into about one; a lone association pays one.
 */
final class DirectorySync {
    private final Path dir;
    private long requested;
    private long completed;
    private boolean syncing;

    DirectorySync(Path dir) {
        this.dir = dir;
    }

    /** Returns when an fsync of the directory that began after this call has finished. */
    void sync() throws InterruptedIOException {
        long target;
        synchronized (this) {
            long mine = ++requested;
            while (true) {
                if (completed >= mine) {
                    return;
                }
                if (!syncing) {
                    syncing = true;
                    target = requested; // covers every entry made before this point
                    break;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted waiting for the spool directory sync");
                }
            }
        }
        try {
            SpoolStore.fsyncDirectory(dir);
        } finally {
            synchronized (this) {
                completed = Math.max(completed, target);
                syncing = false;
                notifyAll();
            }
        }
    }
}
