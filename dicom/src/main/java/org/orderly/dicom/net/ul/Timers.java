package org.orderly.dicom.net.ul;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two shared timer threads of the upper layer: one for protocol timers (ARTIM and the association's own
 * timers, which may take the state machine lock) and one for write watchdogs, which only close sockets and never
 * block, so that a stuck write can always be broken even while a protocol timer waits for the lock.
 */
public final class Timers {

    /** ARTIM (PS3.8 §9.1.5) and other protocol timers. */
    public static final ScheduledThreadPoolExecutor PROTOCOL = create("orderly-ul-timer");
    /** The {@link WriteWatchdog}: closes the socket of a write that does not complete in time. */
    static final ScheduledThreadPoolExecutor WATCHDOG = create("orderly-ul-watchdog");

    private Timers() {
    }

    private static ScheduledThreadPoolExecutor create(String name) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory f = r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, f);
        e.setRemoveOnCancelPolicy(true);
        return e;
    }
}
