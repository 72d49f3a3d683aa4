package org.orderly.dicom.net.ul;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * The Association Request/Reject/Release Timer, PS3.8 §9.1.5. Started by AE-5, AE-6 (reject), AE-8, AR-4, AA-1,
 * AA-8; stopped by AE-6, AR-5, AA-2, AA-5. On expiry it reports its generation to the owner, which fires Evt18
 * only if that generation is still current (a timer stopped or restarted meanwhile is stale and ignored).
 */
public final class ArtimTimer {

    private final long timeoutMillis;
    private final LongConsumer onExpiry;
    private ScheduledFuture<?> pending;
    private long generation;

    /**
     * @param timeout  the ARTIM timeout (the standard leaves its value to the implementation)
     * @param onExpiry receives the generation of the expired timer
     */
    public ArtimTimer(Duration timeout, LongConsumer onExpiry) {
        this.timeoutMillis = timeout.toMillis();
        this.onExpiry = onExpiry;
    }

    /** Starts, or restarts if running. */
    public synchronized void start() {
        stop();
        long gen = ++generation;
        pending = Timers.PROTOCOL.schedule(() -> onExpiry.accept(gen), timeoutMillis, TimeUnit.MILLISECONDS);
    }

    public synchronized void stop() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
            generation++;
        }
    }

    public synchronized boolean isRunning() {
        return pending != null;
    }

    /** Whether an expiry of {@code gen} is the running timer (not stopped or restarted since). */
    public synchronized boolean isCurrent(long gen) {
        return pending != null && gen == generation;
    }

    public long timeoutMillis() {
        return timeoutMillis;
    }
}
