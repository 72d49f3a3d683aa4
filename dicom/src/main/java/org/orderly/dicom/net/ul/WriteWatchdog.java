package org.orderly.dicom.net.ul;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Enforces the write timeout of every {@link Transport} with one periodic task on the {@link Timers#WATCHDOG}
 * thread: each tick closes the transports whose write has passed its deadline. A write only records its deadline
 * and enters/leaves a concurrent set; scheduling and cancelling a timer task per PDU instead woke the timer thread
 * twice per write, which cost the sender measurable CPU at hundreds of PDUs per second (docs/benchmarks.md).
 * A stuck write is therefore broken between the write timeout and the write timeout plus {@link #TICK_MILLIS}.
 */
final class WriteWatchdog {

    /** Period of the deadline check: the precision of the write timeout. */
    static final long TICK_MILLIS = 200;

    private static final Set<Transport> WRITING = ConcurrentHashMap.newKeySet();

    static {
        Timers.WATCHDOG.scheduleWithFixedDelay(WriteWatchdog::closeOverdue, TICK_MILLIS, TICK_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    private WriteWatchdog() {
    }

    /** A write with a deadline (set by the transport before this call) begins. */
    static void writing(Transport t) {
        WRITING.add(t);
    }

    /** The write ended, completed or failed. */
    static void done(Transport t) {
        WRITING.remove(t);
    }

    private static void closeOverdue() {
        long now = System.nanoTime();
        for (Transport t : WRITING) {
            if (t.isWriteOverdue(now)) {
                WRITING.remove(t);
                t.close(); // only closes the socket: never blocks, so one stuck peer cannot delay the others
            }
        }
    }
}
