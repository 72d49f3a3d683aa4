package org.orderly.broker.mpps;

import jakarta.jms.ConnectionFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.orderly.dicom.net.service.DicomServiceRegistry;
import org.orderly.hl7.status.StatusMessageBuilder;
import org.orderly.hl7.status.StatusProfile;
import org.orderly.mpps.MppsScp;
import org.orderly.mpps.images.ReceivedInstanceTable;
import org.orderly.mpps.store.MppsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MPPS in the broker: the SCP on the DICOM port, the outbox relay to JMS, the RIS outbox bean and dispatcher, the
 * forwarder bean. Started after the database and Artemis, before Camel (the beans must exist when the route files
 * load) and before the DICOM listener accepts.
 *
 * <pre>
 * modality --N-CREATE/N-SET--> MppsScp --(one DB transaction: mpps + worklist step + mpps_event)--> DIMSE response
 * mpps_event --MppsEventRelay--> JMS topic orderly.mpps.events + queues orderly.mpps.ris, orderly.mpps.forward
 * orderly.mpps.ris --route mpps-ris--> RisOutbox (HL7 per order) --> ris_outbound --RisDispatcher--> RIS (MLLP)
 * orderly.mpps.forward --route mpps-forward--> MppsForwarder --> other MPPS SCPs
 * </pre>
 */
public final class MppsService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MppsService.class);

    private final MppsStore store;
    private final RisOutboundQueue outbound;
    private final ReceivedInstanceTable received;
    private final MppsEventRelay relay;
    private final RisDispatcher dispatcher;
    private final RisOutbox risOutbox;
    private final MppsForwarder forwarder;
    private final MppsScp scp;

    private MppsService(DataSource ds, ConnectionFactory jms, RisSettings ris, Path mappingsDir, String aeTitle)
            throws IOException {
        store = new MppsStore(ds);
        outbound = new RisOutboundQueue(ds);
        received = new ReceivedInstanceTable(ds);
        relay = new MppsEventRelay(store, jms);
        dispatcher = ris.enabled() ? new RisDispatcher(outbound, ris, store, received) : null;
        ProfileHolder profile = new ProfileHolder(mappingsDir.resolve(StatusProfile.FILE), mappingsDir);
        risOutbox = new RisOutbox(store, outbound, ris, profile::builder, received,
                dispatcher == null ? () -> { } : dispatcher::wake);
        forwarder = new MppsForwarder(aeTitle, ris.ackTimeout().plusSeconds(20));
        scp = new MppsScp(store, committed -> relay.wake());
    }

    /** Creates the parts and registers the SCP; threads start here too (they only read committed rows). */
    public static MppsService start(DataSource ds, ConnectionFactory jms, RisSettings ris, Path mappingsDir,
            String aeTitle, DicomServiceRegistry registry) throws IOException {
        MppsService s = new MppsService(ds, jms, ris, mappingsDir, aeTitle);
        s.scp.register(registry);
        s.relay.start();
        if (s.dispatcher != null) {
            s.dispatcher.start();
        } else {
            LOG.info("ris: orderly.ris.host/port unset: MPPS status messages to the RIS are disabled");
        }
        return s;
    }

    public MppsStore store() {
        return store;
    }

    public RisOutboundQueue outbound() {
        return outbound;
    }

    public RisOutbox risOutbox() {
        return risOutbox;
    }

    public MppsForwarder forwarder() {
        return forwarder;
    }

    public ReceivedInstanceTable receivedInstances() {
        return received;
    }

    /** Admin retry of dead-lettered status messages (all when {@code id} is null). */
    public int retryDead(Long id) throws SQLException {
        int n = outbound.retryDead(id);
        LOG.info("ris: admin retry of {} dead-lettered message(s){}", n, id == null ? "" : " (id " + id + ")");
        if (dispatcher != null) {
            dispatcher.wake();
        }
        return n;
    }

    @Override
    public void close() {
        forwarder.stop();
        relay.close();
        if (dispatcher != null) {
            dispatcher.close();
        }
    }

    /**
     * hl7-mappings/status.yaml, re-read when its modification time changes; a file that does not load keeps the
     * previous profile (one WARN line naming the file and the problem).
     */
    private static final class ProfileHolder {
        private final Path file;
        private volatile StatusMessageBuilder builder;
        private volatile FileTime loaded;

        ProfileHolder(Path file, Path dir) throws IOException {
            this.file = file;
            this.builder = new StatusMessageBuilder(StatusProfile.load(dir));
            this.loaded = mtime();
            LOG.info("ris: status messages are {} ({})", builder.profile().messageType(),
                    Files.exists(file) ? file : "default; no " + file);
        }

        StatusMessageBuilder builder() {
            FileTime now = mtime();
            if (now != null && !now.equals(loaded)) {
                loaded = now;
                try {
                    builder = new StatusMessageBuilder(StatusProfile.load(file.getParent()));
                    LOG.info("ris: {} reloaded: status messages are {}", file, builder.profile().messageType());
                } catch (IOException e) {
                    LOG.warn("ris: {} refused, keeping {}: {}", file, builder.profile().messageType(), e.getMessage());
                }
            }
            return builder;
        }

        private FileTime mtime() {
            try {
                return Files.exists(file) ? Files.getLastModifiedTime(file) : null;
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** The RIS settings from the configuration. */
    public static RisSettings settings(String host, String port, int maxAttempts, long backoffInitialMs,
            long backoffMaxMs, long ackTimeoutMs, boolean hold, long holdSeconds, String holdAction) {
        return new RisSettings(host == null || host.isBlank() ? null : host,
                port == null || port.isBlank() ? 0 : Integer.parseInt(port), maxAttempts,
                Duration.ofMillis(backoffInitialMs), Duration.ofMillis(backoffMaxMs), Duration.ofMillis(ackTimeoutMs),
                hold, Duration.ofSeconds(holdSeconds), RisSettings.HoldAction.parse(holdAction));
    }
}
