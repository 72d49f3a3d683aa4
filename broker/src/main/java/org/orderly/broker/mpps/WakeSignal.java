package org.orderly.broker.mpps;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes a worker thread that otherwise polls: a {@link #wake()} that comes while the worker is busy is remembered, so
 * the next {@link #await} returns at once instead of sleeping past it.
 */
final class WakeSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private boolean signalled;

    void wake() {
        lock.lock();
        try {
            signalled = true;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Returns when woken (now or since the last call) or after {@code maxMillis}; at once if that is <= 0. */
    void await(long maxMillis) throws InterruptedException {
        lock.lock();
        try {
            if (!signalled && maxMillis > 0) {
                work.await(maxMillis, TimeUnit.MILLISECONDS);
            }
            signalled = false;
        } finally {
            lock.unlock();
        }
    }
}
