package org.orderly.broker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.StartupSummaryLevel;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.main.DefaultMainShutdownStrategy;
import org.apache.camel.main.Main;
import org.orderly.broker.config.ConfigException;
import org.orderly.broker.config.OrderlyConfig;
import org.orderly.broker.config.Setting;
import org.orderly.broker.db.Database;
import org.orderly.broker.dicom.DicomListener;
import org.orderly.broker.hl7.Hl7Api;
import org.orderly.broker.hl7.Hl7IntakeProcessor;
import org.orderly.broker.hl7.Hl7Listener;
import org.orderly.broker.hl7.Hl7Service;
import org.orderly.broker.hl7.mllp.GuardedMllpComponent;
import org.orderly.broker.http.HealthReport;
import org.orderly.broker.http.HttpAdminListener;
import org.orderly.broker.jms.EmbeddedJms;
import org.orderly.broker.listener.ListenerRegistry;
import org.orderly.broker.mwl.MwlApi;
import org.orderly.broker.mwl.MwlService;
import org.orderly.broker.mpps.MppsApi;
import org.orderly.broker.mpps.MppsForwarder;
import org.orderly.broker.mpps.MppsService;
import org.orderly.broker.mpps.RisOutbox;
import org.orderly.broker.routes.SafeRouteReloader;
import org.orderly.broker.schedule.OrderlyScheduler;
import org.orderly.broker.schedule.WorklistPurge;
import org.orderly.broker.storage.StorageApi;
import org.orderly.broker.storage.StorageService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The running broker: wires the parts together and owns their start and stop order.
 *
 * <p>Start: (1) bind every listener port, so a port in use stops start-up before anything else
 * exists; (2) H2 database + schema migrations; (3) Artemis; (4) Camel Main with the {@code jms}
 * component and the Orderly settings as property placeholders; (5) the route files; (6) Quartz;
 * (7) listeners accept; log {@code ready}. A failure at any step stops what already started.
 *
 * <p>Stop, the reverse, so no work is lost: listeners stop accepting (no new work); the route
 * watcher stops; Camel shuts down gracefully (in-flight exchanges finish within
 * {@code orderly.shutdown.timeout-seconds}, JMS messages not consumed stay in the journal);
 * Quartz waits for a running job; Artemis stops (journal durable); H2 closes last.
 */
public final class Broker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final OrderlyConfig config;
    private final ListenerRegistry listeners;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile Database database;
    private volatile EmbeddedJms jms;
    private volatile Main camel;
    private volatile SafeRouteReloader routes;
    private volatile Hl7Listener hl7Listener;
    private volatile DicomListener dicom;
    private volatile Hl7Service hl7;
    private volatile MwlService mwl;
    private volatile MppsService mpps;
    private volatile StorageService storage;

    public Broker(OrderlyConfig config) {
        this.config = config;
        this.listeners = createListeners(config);
    }

    /**
     * The listener registry. New listeners are added HERE (the DICOM server with
     * {@code registry.register(new DicomListener(...))} instead of the port check below).
     */
    private ListenerRegistry createListeners(OrderlyConfig c) {
        ListenerRegistry r = new ListenerRegistry(c);
        HttpAdminListener http = new HttpAdminListener(c.get(Setting.BIND), c.getInt(Setting.HTTP_PORT), this::healthReport);
        http.mount(Hl7Api.PREFIX, new Hl7Api(() -> hl7 == null ? null : hl7.intake()));
        http.mount(MppsApi.PREFIX, new MppsApi(() -> mpps));
        http.mount(StorageApi.PREFIX, new StorageApi(() -> storage));
        r.register(http);
        http.mount(MwlApi.PREFIX, new MwlApi(() -> mwl));
        dicom = new DicomListener(c.aeTitle(), bindAddress(c), c.getInt(Setting.DICOM_PORT),
                c.getInt(Setting.DICOM_MAX_ASSOCIATIONS), Duration.ofSeconds(c.getInt(Setting.SHUTDOWN_TIMEOUT_SECONDS)),
                (callingAe, abstractSyntaxes) -> {
                    MwlService m = mwl; // unknown worklist callers: orderly.mwl.unknown-callers
                    return m == null ? null : m.refusal(callingAe, abstractSyntaxes);
                });
        r.register(dicom);
        hl7Listener = new Hl7Listener(c.get(Setting.BIND), c.getInt(Setting.HL7_PORT), this::camelContext);
        r.register(hl7Listener);
        return r;
    }

    private static InetAddress bindAddress(OrderlyConfig c) {
        try {
            return InetAddress.getByName(c.get(Setting.BIND));
        } catch (UnknownHostException e) { // ConfigValidator resolved it already
            throw new IllegalStateException("orderly.bind does not resolve", e);
        }
    }

    /** Health of every part; evaluated per request. */
    public HealthReport healthReport() {
        return new HealthReport(List.of(
                new HealthReport.Check("database", () -> database != null && database.isUp()),
                new HealthReport.Check("jms", () -> jms != null && jms.isUp()),
                new HealthReport.Check("camel", () -> camel != null && camel.getCamelContext() != null
                        && camel.getCamelContext().getStatus() == ServiceStatus.Started)),
                listeners.listeners());
    }

    /**
     * Starts everything; returns when the broker is ready.
     *
     * @throws ConfigException a setting turned out unusable (port in use); nothing is left running
     * @throws Exception       any other start-up failure; nothing is left running
     */
    public void start() throws Exception {
        listeners.bindAll();
        started.push(listeners::closeAll);
        try {
            Path data = config.getPath(Setting.DATA_DIR);
            database = Database.open(Files.createDirectories(data.resolve("db")));
            started.push(database);

            jms = EmbeddedJms.start(Files.createDirectories(data.resolve("artemis")));
            started.push(jms);

            hl7 = Hl7Service.start(database, config.getPath(Setting.MAPPINGS_DIR), data.resolve("hl7-journal"));
            started.push(hl7);

            mpps = MppsService.start(database.dataSource(), jms.connectionFactory(), MppsService.settings(
                    config.get(Setting.RIS_HOST), config.get(Setting.RIS_PORT), config.getInt(Setting.RIS_MAX_ATTEMPTS),
                    config.getInt(Setting.RIS_BACKOFF_INITIAL_MS), config.getInt(Setting.RIS_BACKOFF_MAX_MS),
                    config.getInt(Setting.RIS_ACK_TIMEOUT_MS), Boolean.parseBoolean(config.get(Setting.MPPS_HOLD_FOR_IMAGES)),
                    config.getInt(Setting.MPPS_HOLD_TIMEOUT_SECONDS), config.get(Setting.MPPS_HOLD_TIMEOUT_ACTION)),
                    config.getPath(Setting.MAPPINGS_DIR), config.aeTitle(), dicom.registry());
            started.push(mpps);

            storage = new StorageService(config, Files.createDirectories(data.resolve("spool")));
            camel = startCamel();
            started.push(() -> camel.stop());
            started.push(() -> mpps.forwarder().stop()); // forwarding retries end first; their messages stay in JMS
            // image routing: before the route files load (they use dicom:) and before the DICOM port accepts
            storage.start(camel.getCamelContext(), jms.connectionFactory(), jms.confirmingConnectionFactory(), database,
                    dicom.registry());
            started.push(storage);

            routes = new SafeRouteReloader(camel.getCamelContext(), config.getPath(Setting.ROUTES_DIR));
            routes.loadAll();
            routes.watch();
            started.push(routes);

            OrderlyScheduler scheduler = OrderlyScheduler.start(new WorklistPurge(database.dataSource()),
                    config.getInt(Setting.WORKLIST_RETENTION_DAYS), config.get(Setting.WORKLIST_PURGE_CRON));
            started.push(scheduler);

            mwl = MwlService.start(database, config);
            started.push(mwl);
            mwl.register(dicom.registry()); // Modality Worklist C-FIND (C-ECHO is built in)

            // DICOM services register in dicom.registry() above this line (the acceptor policy is built at start)
            listeners.startAll();
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
        LOG.info("Orderly ready (ae={}, data-dir={})", config.aeTitle(), config.getPath(Setting.DATA_DIR));
    }

    private Main startCamel() throws Exception {
        Main main = new Main();
        main.configure().setName("orderly");
        main.configure().setRoutesCollectorEnabled(false); // route files are loaded by SafeRouteReloader
        main.configure().setJmxEnabled(false);
        main.configure().setShutdownTimeout(config.getInt(Setting.SHUTDOWN_TIMEOUT_SECONDS));
        main.configure().setShutdownLogInflightExchangesOnTimeout(true);
        main.configure().setStartupSummaryLevel(StartupSummaryLevel.Off);
        if (main.getShutdownStrategy() instanceof DefaultMainShutdownStrategy s) {
            s.disableHangupSupport(); // Orderly handles SIGTERM/SIGINT itself (see RunCommand)
        }
        // every Orderly setting is a Camel property: {{orderly.ae-title}} in route files
        java.util.Properties props = config.asProperties();
        props.setProperty(Setting.HL7_PORT.key(), Integer.toString(hl7Listener.port())); // the real port when 0
        // camel-mllp logs received bytes on framing errors; no PHI in logs (GUIDE: identifiers only)
        props.setProperty("camel.component.mllp.logPhi", "false");
        main.setInitialProperties(props);
        JmsComponent jmsComponent = new JmsComponent();
        CachingConnectionFactory cached = new CachingConnectionFactory(jms.connectionFactory());
        cached.setSessionCacheSize(8);
        jmsComponent.setConnectionFactory(cached);
        main.bind("jms", jmsComponent);
        main.bind("dataSource", database.dataSource());
        main.bind(Hl7IntakeProcessor.BEAN_NAME, hl7.processor());
        // mllp: is camel-mllp with strict framing on the listening side (one WARN line, connection reset)
        main.bind(GuardedMllpComponent.NAME, new GuardedMllpComponent());
        main.bind(RisOutbox.BEAN_NAME, mpps.risOutbox());
        main.bind(MppsForwarder.BEAN_NAME, mpps.forwarder());
        main.bind("dicom", storage.component());
        main.bind("dicomCoerce", storage.coercion());
        main.bind("worklistCoerce", storage.worklistCoercion(database.dataSource()));
        main.start();
        if (main.getCamelContext() == null || !main.getCamelContext().isStarted()) {
            throw new IllegalStateException("Camel did not start");
        }
        return main;
    }

    public CamelContext camelContext() {
        return camel == null ? null : camel.getCamelContext();
    }

    public ListenerRegistry listeners() {
        return listeners;
    }

    /** Stops in the order that loses nothing (see class comment). Idempotent. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        LOG.info("Orderly stopping: no new connections; finishing in-flight work (up to {} s)",
                config.get(Setting.SHUTDOWN_TIMEOUT_SECONDS));
        listeners.stopAccepting();
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("error while stopping {}: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
        LOG.info("Orderly stopped");
    }

    @Override
    public void close() {
        stop();
    }
}
