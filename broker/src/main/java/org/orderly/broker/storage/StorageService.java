package org.orderly.broker.storage;

import jakarta.jms.ConnectionFactory;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.apache.camel.CamelContext;
import org.orderly.broker.config.OrderlyConfig;
import org.orderly.broker.db.Database;
import org.orderly.broker.config.Setting;
import org.orderly.camel.dicom.DicomComponent;
import org.orderly.camel.dicom.DicomConstants;
import org.orderly.dicom.net.AeAddress;
import org.orderly.dicom.net.service.DicomServiceRegistry;
import org.orderly.mpps.images.ReceivedInstanceTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Image routing (issue #7): C-STORE SCP -> durable spool -> JMS queue {@value #RECEIVED_QUEUE} -> the routing route
 * file(s) ({@code routes/storage-default.camel.yaml}) -> {@code dicom:AE@host:port} = durable per-destination queues ->
 * destinations. Owns the spool, the ledger, the {@code dicom} component the routes use, and the Storage Commitment
 * SCP.
 */
public final class StorageService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StorageService.class);
    public static final String RECEIVED_QUEUE = "orderly.storage.received";

    private final OrderlyConfig config;
    private final SpoolStore spool;
    private final DicomComponent component = new DicomComponent();
    private final AttributeCoercion coercion;
    private volatile DeliveryQueues queues;
    private volatile ConnectionFactory jms;
    private volatile StorageCommitmentScp commitment;
    private volatile RoutingQueue routing;

    public StorageService(OrderlyConfig config, Path spoolDir) throws java.io.IOException {
        this.config = config;
        this.spool = new SpoolStore(spoolDir, config.getInt(Setting.STORAGE_MIN_FREE_MB),
                config.getInt(Setting.STORAGE_REUSE_MB));
        this.component.setCallingAe(config.aeTitle());
        this.coercion = new AttributeCoercion(spool);
    }

    /** The {@code dicom:} component to bind in Camel before any route file loads. */
    public DicomComponent component() {
        return component;
    }

    /** The bean {@code #worklistCoerce} of the route files: {@code #dicomCoerce} plus identifiers from the worklist. */
    public WorklistCoercion worklistCoercion(javax.sql.DataSource worklistDatabase) {
        return new WorklistCoercion(coercion, new org.orderly.mwl.store.WorklistStore(worklistDatabase));
    }

    /** The bean {@code #dicomCoerce} of the route files. */
    public AttributeCoercion coercion() {
        return coercion;
    }

    private static void recordReceived(ReceivedInstanceTable received, SpooledObject o) {
        String sop = (String) o.headers().get(DicomConstants.SOP_INSTANCE_UID);
        try {
            received.recordReceived(sop, (String) o.headers().get(DicomConstants.STUDY_INSTANCE_UID));
        } catch (SQLException e) { // the object is durable; an MPPS held for it times out with its configured action
            LOG.warn("storage: {} not recorded as received for MPPS: {}", sop, e.toString());
        }
    }

    /**
     * Wires delivery into the running Camel context, re-queues what a crash left un-queued and registers the SCPs.
     * Call after Camel started and BEFORE the route files load and the DICOM port accepts.
     */
    public void start(CamelContext camel, ConnectionFactory cf, ConnectionFactory confirming, Database database,
            DicomServiceRegistry registry) throws Exception {
        this.jms = cf;
        DeliveryLedger ledger = new DeliveryLedger(database.dataSource(), database.writeBehindDataSource());
        spool.beforeRouted(database::writeStore); // the ledger's rows and the received-instance records written behind
        queues = new DeliveryQueues(spool, ledger, new DeliveryQueues.Policy(
                config.getInt(Setting.FORWARD_MAX_ATTEMPTS), config.getInt(Setting.FORWARD_BACKOFF_INITIAL_MS),
                config.getInt(Setting.FORWARD_BACKOFF_MAX_MS), config.getInt(Setting.FORWARD_BACKOFF_MULTIPLIER),
                config.getInt(Setting.FORWARD_CONCURRENCY)));
        queues.connectionFactory(confirming);
        int reconciled = ledger.reconcile((dest, id) -> spool.linkOf(id,
                DeliveryQueues.key(AeAddress.parse(dest))));
        database.writeStore();
        if (reconciled > 0) {
            LOG.info("storage: {} delivery(ies) of the previous run recorded as delivered (their links were gone)",
                    reconciled);
        }
        component.setDelivery(queues);
        camel.getManagementStrategy().addEventNotifier(new RoutingTracker(queues));
        queues.start(camel);

        routing = new RoutingQueue(cf);
        int stale = routing.start();
        List<SpooledObject> recovered = spool.recover();
        if (stale > 0) {
            LOG.info("storage: {} routing message(s) of the previous run dropped; the spool scan re-queues {} object(s)",
                    stale, recovered.size());
        }
        // MPPS hold-until-images (issue #6) learns from here which instances are durably received. The record is
        // written behind (not on the C-STORE response path): it reaches the file with the spool's store write before
        // the object leaves spool/objects/ (beforeRouted above). An object a crash left there is recorded again here.
        ReceivedInstanceTable received = new ReceivedInstanceTable(database.writeBehindDataSource());
        for (SpooledObject o : recovered) {
            recordReceived(received, o);
            routing.enqueue(o);
        }
        registry.cStore(StorageSopClasses.all(), new StorageScp(spool, o -> {
            recordReceived(received, o);
            routing.enqueue(o);
        }));
        commitment = new StorageCommitmentScp(ledger, config.aeTitle(), config.get(Setting.STORAGE_COMMITMENT_PEERS),
                java.time.Duration.ofSeconds(config.getInt(Setting.STORAGE_COMMITMENT_TIMEOUT_SECONDS)));
        commitment.register(registry);
        LOG.info("storage: spool {}, {} storage SOP classes, default destination {}", spool.root(),
                StorageSopClasses.all().size(),
                config.get(Setting.FORWARD_DESTINATION).isEmpty() ? "(none)" : config.get(Setting.FORWARD_DESTINATION));
    }

    public ConnectionFactory connectionFactory() {
        return jms;
    }

    public DeliveryQueues queues() {
        return queues;
    }

    @Override
    public void close() {
        if (commitment != null) {
            commitment.close();
        }
        if (routing != null) {
            routing.close();
        }
        spool.close();
    }
}
