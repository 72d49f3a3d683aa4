package org.orderly.broker.listener;

import java.io.IOException;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import org.orderly.broker.config.ConfigException;
import org.orderly.broker.config.OrderlyConfig;
import org.orderly.broker.config.Setting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's listeners, bound all at once before anything starts, started last, stopped first.
 *
 * <p>To add one (e.g. the DICOM server), implement {@link Listener} and {@link #register} it in
 * {@code Broker#createListeners}; /health then lists it, start-up fails cleanly when its port is
 * in use, and it logs {@code listening: dicom on 0.0.0.0:11112}.
 */
public final class ListenerRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerRegistry.class);

    private final OrderlyConfig config;
    private final List<Listener> listeners = new ArrayList<>();

    public ListenerRegistry(OrderlyConfig config) {
        this.config = config;
    }

    public void register(Listener listener) {
        listeners.add(listener);
    }

    public List<Listener> listeners() {
        return List.copyOf(listeners);
    }

    /**
     * Binds every listener. On the first failure everything bound so
     * far is closed and the failure is reported as the setting's problem, e.g.
     * {@code setting orderly.http.port=8080: port already in use (bind 0.0.0.0:8080)}.
     */
    public void bindAll() throws ConfigException {
        String bind = config.get(Setting.BIND);
        try {
            for (Listener l : listeners) {
                try {
                    l.bind();
                } catch (IOException e) {
                    throw config.problem(l.setting(), bindProblem(e, bind, config.getInt(l.setting())));
                }
            }
        } catch (ConfigException e) {
            closeAll();
            throw e;
        }
    }

    static String bindProblem(IOException e, String bind, int port) {
        String where = " (bind " + bind + ":" + port + ")";
        String msg = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof BindException && msg.contains("in use")) {
            return "port already in use" + where;
        }
        if (e instanceof BindException && msg.contains("assign")) {
            return "address " + bind + " is not an address of this machine" + where;
        }
        if (e instanceof BindException && msg.contains("denied")) {
            return "permission denied (ports below 1024 need privileges)" + where;
        }
        if (msg.contains("Unresolved") || e instanceof java.net.UnknownHostException) {
            return "cannot resolve bind address " + bind + where;
        }
        return "cannot listen: " + (msg.isEmpty() ? e.getClass().getSimpleName() : msg) + where;
    }

    /** Starts accepting on every listener and logs one line each. */
    public void startAll() throws Exception {
        String bind = config.get(Setting.BIND);
        for (Listener l : listeners) {
            l.start();
            LOG.info("listening: {} on {}:{}", l.name(), bind, l.port());
        }
    }

    /** First step of shutdown: no new connections. */
    public void stopAccepting() {
        for (Listener l : listeners) {
            try {
                l.stopAccepting();
            } catch (RuntimeException e) {
                LOG.warn("listener {}: error while closing its port: {}", l.name(), e.toString());
            }
        }
    }

    public void closeAll() {
        for (Listener l : listeners) {
            try {
                l.close();
            } catch (RuntimeException e) {
                LOG.warn("listener {}: error while closing: {}", l.name(), e.toString());
            }
        }
    }
}
