package org.orderly.dicom.net.ul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** ARTIM timer, PS3.8 §9.1.5: fires once after its timeout; stop and restart make earlier expiries stale. */
class ArtimTimerTest {

    @Test
    void expiresAfterTimeout() throws InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);
        ArtimTimer[] t = new ArtimTimer[1];
        t[0] = new ArtimTimer(Duration.ofMillis(100), gen -> {
            if (t[0].isCurrent(gen)) {
                fired.countDown();
            }
        });
        long start = System.nanoTime();
        t[0].start();
        assertTrue(fired.await(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start >= 90_000_000L, "not before the timeout");
    }

    @Test
    void stoppedTimerDoesNotFire() throws InterruptedException {
        AtomicInteger fired = new AtomicInteger();
        ArtimTimer t = new ArtimTimer(Duration.ofMillis(50), gen -> fired.incrementAndGet());
        t.start();
        t.stop();
        assertFalse(t.isRunning());
        Thread.sleep(200); // the only way to show something does NOT happen is to wait past its time
        assertEquals(0, fired.get());
    }

    @Test
    void restartMakesTheFirstGenerationStale() throws InterruptedException {
        CountDownLatch current = new CountDownLatch(1);
        AtomicInteger stale = new AtomicInteger();
        ArtimTimer[] t = new ArtimTimer[1];
        t[0] = new ArtimTimer(Duration.ofMillis(100), gen -> {
            if (t[0].isCurrent(gen)) {
                current.countDown();
            } else {
                stale.incrementAndGet();
            }
        });
        t[0].start();
        t[0].start(); // AA-1: "start (or restart if already started)"
        assertTrue(current.await(5, TimeUnit.SECONDS));
        assertEquals(0, stale.get());
    }
}
