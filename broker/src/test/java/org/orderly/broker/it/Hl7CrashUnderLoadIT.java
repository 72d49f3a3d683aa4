package org.orderly.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderly.broker.hl7.AckSummary;
import org.orderly.broker.hl7.MllpClient;

/**
 * Issue #4, "AA only after the change is durably committed", under load: several RIS connections send new orders
 * while the broker is SIGKILLed at a random moment, again and again on the same data directory. After each crash the
 * broker must start (its database file intact, the intake journal replayed) and, at the end, every order that was
 * ever answered AA must be in the message log exactly once, applied, with its requested procedure and its step, and
 * findable through the log's and the worklist's secondary indexes (a file whose index and table disagree fails there).
 *
 * <p>Rounds: {@code -Dorderly.crash.rounds} (default 3; more for a soak by hand).
 */
class Hl7CrashUnderLoadIT {
    private static final int CONNECTIONS = 4;

    @Test
    void everyAcknowledgedOrderSurvivesRepeatedSigkillUnderLoad(@TempDir Path tmp) throws Exception {
        int rounds = Integer.getInteger("orderly.crash.rounds", 3);
        Path routes = tmp.resolve("routes");
        BrokerProcessIT.copyRepoRoutes(routes);
        int hl7 = BrokerProcess.freePort();
        List<String> args = List.of("--orderly.http.port=" + BrokerProcess.freePort(),
                "--orderly.dicom.port=" + BrokerProcess.freePort(), "--orderly.hl7.port=" + hl7,
                "--orderly.data-dir=" + tmp.resolve("data"), "--orderly.routes-dir=" + routes,
                "--orderly.mappings-dir=" + tmp.resolve("maps"), "--orderly.bind=127.0.0.1");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<String> refused = new CopyOnWriteArrayList<>();
        AtomicInteger next = new AtomicInteger();
        Random random = new Random(4);
        for (int round = 0; round < rounds; round++) {
            try (BrokerProcess broker = BrokerProcess.start(tmp, args)) {
                broker.awaitReady();
                List<Thread> senders = new ArrayList<>();
                for (int c = 0; c < CONNECTIONS; c++) {
                    Thread t = new Thread(() -> sendUntilGone(hl7, next, acknowledged, refused), "ris-" + c);
                    t.start();
                    senders.add(t);
                }
                int before = acknowledged.size();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (acknowledged.size() == before && refused.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(5); // the first orders of a fresh JVM are slow (HAPI, JIT)
                }
                Thread.sleep(random.nextInt(1500));
                broker.kill(); // SIGKILL in the middle of the traffic
                for (Thread t : senders) {
                    t.join(15_000);
                }
                assertTrue(refused.isEmpty(), "not AA: " + refused);
                assertTrue(acknowledged.size() > before, "round " + round + ": no order was acknowledged");
            }
        }
        // a last clean start and stop: recovery of the last crash, then a checkpointed, closed file
        try (BrokerProcess broker = BrokerProcess.start(tmp, args)) {
            broker.awaitReady();
            broker.terminate();
            assertEquals(0, broker.awaitExit(Duration.ofSeconds(60)), broker.allOutput());
        }
        assertAllStored(tmp.resolve("data").resolve("db").resolve("orderly"), acknowledged);
        System.out.printf("Hl7CrashUnderLoadIT: %d acknowledged orders, %d SIGKILLs, all stored once%n",
                acknowledged.size(), rounds);
    }

    /** Sends new orders on one connection until the broker goes away; records each control ID answered AA. */
    private static void sendUntilGone(int port, AtomicInteger next, Set<String> acknowledged, List<String> refused) {
        try (MllpClient c = new MllpClient("127.0.0.1", port, 5000, 10000)) {
            while (true) {
                String id = String.format("CR%08d", next.incrementAndGet());
                AckSummary s = AckSummary.parse(new String(c.exchange(order(id)), StandardCharsets.ISO_8859_1));
                if (!"AA".equals(s.code())) {
                    refused.add(id + ": " + s.line());
                    return;
                }
                acknowledged.add(id);
            }
        } catch (IOException gone) {
            // the broker was killed: an order without its ACK may or may not be stored, both are right
            if (acknowledged.isEmpty()) {
                refused.add("connection: " + gone);
            }
        }
    }

    /** A v2.3.1 ORM^O01 NW with one step; the control ID also makes the placer number, accession and step IDs. */
    static byte[] order(String id) {
        return String.join("\r",
                "MSH|^~\\&|CRASH_RIS|CRASHSITE|ORDERLY|IMAGING|20261202101500||ORM^O01|" + id + "|P|2.3.1",
                "PID|1||P" + id + "^^^CRASHSITE^MR||DOE^JANE||19700101|F",
                "PV1|1|O",
                "ORC|NW|P" + id + "^CRASH_RIS|F" + id + "^CRASH_RIS||SC||^^^20261203080000^^R",
                "OBR|1|P" + id + "^CRASH_RIS|F" + id + "^CRASH_RIS|CTHEAD^CT Head^L||||||||||||||A" + id + "|R" + id
                        + "|S" + id + "||||CT|||^^^20261203080000^^R",
                "").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void assertAllStored(Path db, Set<String> acknowledged) throws Exception {
        assertTrue(acknowledged.size() > 0, "nothing was acknowledged");
        String url = "jdbc:h2:file:" + db.toAbsolutePath() + ";AUTO_SERVER=FALSE";
        List<String> missing = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "orderly", "");
             PreparedStatement log = c.prepareStatement("SELECT COUNT(*) FROM hl7_message_log WHERE control_id = ?"
                     + " AND outcome = 'AA' AND applied_key IS NOT NULL");
             PreparedStatement step = c.prepareStatement("SELECT COUNT(*) FROM requested_procedure rp"
                     + " JOIN scheduled_procedure_step s ON s.requested_procedure_fk = rp.id"
                     + " WHERE rp.accession_number = ?")) {
            for (String id : acknowledged) {
                int logged = count(log, id);
                int steps = count(step, "A" + id);
                if (logged != 1 || steps != 1) {
                    missing.add(id + " (log " + logged + ", steps " + steps + ")");
                }
            }
        }
        assertTrue(missing.isEmpty(), missing.size() + " of " + acknowledged.size()
                + " acknowledged orders are not stored exactly once, e.g. " + missing.subList(0, Math.min(5,
                missing.size())));
    }

    private static int count(PreparedStatement st, String key) throws Exception {
        st.setString(1, key);
        try (ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
