package org.orderly.broker.jms;

import jakarta.jms.ConnectionFactory;
import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded ActiveMQ Artemis broker, reached by the routes through Jakarta JMS.
 *
 * <ul>
 *   <li>Persistent: journal, bindings, paging and large messages under {@code <data-dir>/artemis};
 *       a message a route has sent survives a crash or restart. NIO journal (no libaio needed).</li>
 *   <li>In-VM acceptor only ({@code vm://0}): no network port is opened, so nothing outside this
 *       process can connect. For that reason security is off; a network acceptor would need users
 *       and roles first.</li>
 *   <li>Disk: producers block only when less than 100 MB is free (not at Artemis's default of 90 % used).</li>
 *   <li>Redelivery: a message that fails 10 times goes to the {@code DLQ} address instead of
 *       looping forever (created on demand as {@code DLQ.<address>} queues); expired messages go to
 *       {@code ExpiryQueue} the same way.</li>
 * </ul>
 */
public final class EmbeddedJms implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedJms.class);
    static final String IN_VM_URL = "vm://0";
    private static final int MAX_DELIVERY_ATTEMPTS = 10;
    /** Below this free space Artemis blocks producers (Artemis logs AMQ222212 "Disk Full!" when it does). */
    static final long MIN_DISK_FREE_BYTES = 100L * 1024 * 1024;
    static final String STORAGE_RECEIVED = "orderly.storage.received";
    static final String STORAGE_DLQ = "orderly.storage.dlq";
    /**
     * Send confirmations (bytes of sent messages the server may hold unconfirmed): with a window, a persistent message
     * sent asynchronously is confirmed to its {@code CompletionListener} once the server has it in the journal.
     */
    private static final int CONFIRMATION_WINDOW_BYTES = 1 << 20;

    private final EmbeddedActiveMQ server;
    private final ActiveMQConnectionFactory connectionFactory;
    private final ActiveMQConnectionFactory confirming;
    private final Path dir;

    private EmbeddedJms(EmbeddedActiveMQ server, ActiveMQConnectionFactory cf, Path dir) {
        this.server = server;
        this.connectionFactory = cf;
        this.confirming = new ActiveMQConnectionFactory(IN_VM_URL);
        this.confirming.setConfirmationWindowSize(CONFIRMATION_WINDOW_BYTES);
        this.dir = dir;
    }

    public static EmbeddedJms start(Path artemisDir) throws Exception {
        ConfigurationImpl c = new ConfigurationImpl();
        c.setName("orderly");
        c.setPersistenceEnabled(true);
        c.setJournalType(JournalType.NIO);
        c.setJournalDirectory(artemisDir.resolve("journal").toString());
        c.setBindingsDirectory(artemisDir.resolve("bindings").toString());
        c.setPagingDirectory(artemisDir.resolve("paging").toString());
        c.setLargeMessagesDirectory(artemisDir.resolve("large-messages").toString());
        c.setNodeManagerLockDirectory(artemisDir.toString());
        c.setSecurityEnabled(false);
        c.setJMXManagementEnabled(false);
        c.setGracefulShutdownEnabled(true);
        c.setGracefulShutdownTimeout(10_000);
        // Disk-full rule: Artemis's default blocks every producer once the file system is 90 % used, whatever its
        // size: on a 270 GB disk with 27 GB free the MPPS relay stopped and status messages to the RIS waited
        // (docs/benchmarks.md, MPPS). Block only below an absolute floor instead, lower than the spool's
        // orderly.storage.min-free-mb (512 MB), so C-STORE is refused (A700) long before JMS stops.
        c.setMaxDiskUsage(100);
        c.setMinDiskFree(MIN_DISK_FREE_BYTES);
        c.addAcceptorConfiguration("in-vm", IN_VM_URL);
        AddressSettings all = new AddressSettings()
                .setDeadLetterAddress(SimpleString.of("DLQ"))
                .setAutoCreateDeadLetterResources(true)
                .setExpiryAddress(SimpleString.of("ExpiryQueue"))
                .setAutoCreateExpiryResources(true)
                .setMaxDeliveryAttempts(MAX_DELIVERY_ATTEMPTS);
        c.addAddressSetting("#", all);
        // Image routing (issue #7): a message the routing route fails on 10 times goes to the storage dead-letter
        // queue the admin API lists and retries (GET /api/storage/dlq), not to the generic DLQ.
        c.addAddressSetting(STORAGE_RECEIVED, new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(STORAGE_DLQ))
                .setAutoCreateDeadLetterResources(false)
                .setExpiryAddress(SimpleString.of("ExpiryQueue"))
                .setAutoCreateExpiryResources(true)
                .setMaxDeliveryAttempts(MAX_DELIVERY_ATTEMPTS));
        c.addQueueConfiguration(QueueConfiguration.of(STORAGE_DLQ).setRoutingType(RoutingType.ANYCAST)
                .setDurable(true));

        EmbeddedActiveMQ server = new EmbeddedActiveMQ();
        server.setConfiguration(c);
        server.start();
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(IN_VM_URL);
        LOG.info("jms: Artemis started, journal in {}", artemisDir);
        return new EmbeddedJms(server, cf, artemisDir);
    }

    /** Jakarta JMS connection factory over the in-VM connector. */
    public ConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    /**
     * The same broker, for producers that send persistent messages asynchronously
     * ({@code send(destination, message, CompletionListener)}): the listener hears of each one after it was written
     * to the journal (without a confirmation window Artemis would call it at once, before the message is durable).
     */
    public ConnectionFactory confirmingConnectionFactory() {
        return confirming;
    }

    /** Health: the server is started and active. */
    public boolean isUp() {
        return server.getActiveMQServer() != null && server.getActiveMQServer().isActive();
    }

    /** Stops the broker; persistent messages stay in the journal. */
    @Override
    public void close() {
        try {
            connectionFactory.close();
            confirming.close();
            server.stop();
            LOG.info("jms: Artemis stopped, journal kept in {}", dir);
        } catch (Exception e) {
            LOG.warn("jms: error while stopping Artemis: {}", e.toString());
        }
    }
}
