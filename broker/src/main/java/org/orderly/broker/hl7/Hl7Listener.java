package org.orderly.broker.hl7;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.service.ServiceSupport;
import org.orderly.broker.config.Setting;
import org.orderly.broker.listener.Listener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HL7 MLLP port as a {@link Listener}: the socket itself belongs to the camel-mllp consumer of
 * route {@value #ROUTE_ID} (admin-edited, reloadable), so this listener
 *
 * <ul>
 *   <li>{@link #bind()}: checks the port is free before anything starts (and, for port 0, picks the
 *       free port the route will use: {@link #port()} is passed to Camel as {@code orderly.hl7.port});</li>
 *   <li>{@link #isUp()}: true only while that route exists, is started, and its MLLP consumer is
 *       started (camel-mllp binds in the consumer's start unless {@code lenientBind}, so a started
 *       consumer holds the port). Stopping the route, or a route file that fails to load, turns
 *       /health DOWN.</li>
 * </ul>
 */
public final class Hl7Listener implements Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Hl7Listener.class);

    /** The id of the route that owns the MLLP port. */
    public static final String ROUTE_ID = "hl7-intake";

    private final String bindAddress;
    private final int configuredPort;
    private final Supplier<CamelContext> camel;
    private volatile int port;

    public Hl7Listener(String bindAddress, int configuredPort, Supplier<CamelContext> camel) {
        this.bindAddress = bindAddress;
        this.configuredPort = configuredPort;
        this.camel = camel;
        this.port = configuredPort;
    }

    @Override
    public String name() {
        return "hl7";
    }

    @Override
    public Setting setting() {
        return Setting.HL7_PORT;
    }

    /** Binds and releases the port: a port in use stops start-up; port 0 becomes a concrete free port. */
    @Override
    public void bind() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(bindAddress, configuredPort));
            port = s.getLocalPort();
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void start() {
        if (!isUp()) {
            LOG.warn("hl7: route {} is not running (missing or refused route file?): the HL7 port {} does not accept orders",
                    ROUTE_ID, port);
        }
    }

    @Override
    public void stopAccepting() {
        CamelContext c = camel.get();
        if (c == null || c.getRoute(ROUTE_ID) == null) {
            return;
        }
        try {
            c.getRouteController().stopRoute(ROUTE_ID);
        } catch (Exception e) {
            LOG.warn("hl7: cannot stop route {}: {}", ROUTE_ID, e.toString());
        }
    }

    @Override
    public boolean isUp() {
        CamelContext c = camel.get();
        if (c == null) {
            return false;
        }
        Route route = c.getRoute(ROUTE_ID);
        if (route == null || c.getRouteController().getRouteStatus(ROUTE_ID) != ServiceStatus.Started) {
            return false;
        }
        Consumer consumer = route.getConsumer();
        return consumer instanceof ServiceSupport s && s.isStarted();
    }

    @Override
    public void close() {
        // the port belongs to the route; Camel closes it when it stops
    }
}
