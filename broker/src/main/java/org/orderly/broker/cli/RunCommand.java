package org.orderly.broker.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.orderly.broker.Broker;
import org.orderly.broker.config.ConfigException;
import org.orderly.broker.config.ConfigLoader;
import org.orderly.broker.config.ConfigValidator;
import org.orderly.broker.config.OrderlyConfig;

/**
 * {@code orderly run}: validates every setting, starts the {@link Broker}, and runs until SIGTERM
 * or SIGINT, then stops it cleanly and returns 0.
 *
 * <p>A refused setting (bad value, directory that cannot be created, port in use) prints ONE line
 * {@code orderly: setting <name>=<value>: <problem>} on stderr and returns 2 with nothing started.
 * Any other start-up failure prints {@code orderly: start-up failed: <reason>} and returns 1.
 */
public final class RunCommand implements Command {

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run the broker until SIGTERM/SIGINT (the default command)";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        OrderlyConfig config;
        Broker broker = null;
        Thread hook = null;
        CountDownLatch stop = new CountDownLatch(1);
        try {
            config = ConfigLoader.load(args);
            ConfigValidator.validate(config);
            broker = new Broker(config);
            Signals.onTermination(stop::countDown);
            // fallback for any other way the JVM ends (SIGHUP, System.exit elsewhere): still stop in order
            hook = new Thread(broker::stop, "orderly-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            broker.start();
        } catch (ConfigException e) {
            removeHook(hook);
            err.println("orderly: " + e.getMessage());
            return ExitCode.USAGE;
        } catch (Exception e) {
            removeHook(hook);
            err.println("orderly: start-up failed: " + rootMessage(e));
            return ExitCode.FAILURE;
        }
        stop.await();
        broker.stop();
        return ExitCode.OK;
    }

    /** Start-up failed and cleaned up after itself: nothing for the hook to stop (and nothing to log). */
    private static void removeHook(Thread hook) {
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    static String rootMessage(Throwable e) {
        String msg = e.getMessage();
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                msg = t.getMessage();
            }
        }
        if (msg == null) {
            return e.getClass().getSimpleName();
        }
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }
}
