package org.orderly.broker.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT handling for a clean exit with code 0.
 *
 * <p>The JVM's own handler for SIGTERM exits with 143 (128+15) after the shutdown hooks, whatever
 * they do. Replacing the handler lets the main thread stop the broker in order and then exit 0,
 * which service managers read as "stopped as asked". {@code sun.misc.Signal} is in the
 * {@code jdk.unsupported} module, present in every JDK 17; if it cannot be used (e.g. {@code -Xrs})
 * the broker still stops cleanly through its shutdown hook, only with the JVM's exit code.
 */
public final class Signals {
    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    /** Calls {@code action} (once per signal) on SIGTERM and SIGINT. Returns false if they could not be handled. */
    public static boolean onTermination(Runnable action) {
        boolean ok = true;
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), s -> {
                    LOG.info("received SIG{}", s.getName());
                    action.run();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.warn("cannot handle SIG{}: {}", name, e.getMessage());
                ok = false;
            }
        }
        return ok;
    }
}
