package org.orderly.hl7.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.hl7.Samples;
import org.orderly.hl7.ack.AckCode;
import org.orderly.hl7.ack.ErrorCode;
import org.orderly.hl7.ack.ErrorLocation;
import org.orderly.hl7.mapping.MappedMerge;
import org.orderly.hl7.mapping.MappedOrder;
import org.orderly.hl7.mapping.MappedPatient;
import org.orderly.hl7.mapping.MappingRegistry;

/**
 * OrderIntake against a real H2 (the V3 migration) and a writer that records into a table on the
 * intake's transaction, so commit and rollback are observable.
 */
class OrderIntakeTest {

    private JdbcConnectionPool pool;
    private RecordingWriter writer;
    private OrderIntake intake;

    /** Writes one row per applied order into test_applied on the given transaction. */
    static final class RecordingWriter implements WorklistWriter {
        volatile NotApplicableException refuse;
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void applyOrder(Connection tx, MappedOrder order, Origin origin) throws NotApplicableException, SQLException {
            calls.incrementAndGet();
            record(tx, origin, order.action() + " " + order.get("AccessionNumber") + " " + order.get("StudyInstanceUID"));
        }

        @Override
        public void updatePatient(Connection tx, MappedPatient patient, Origin origin) throws NotApplicableException, SQLException {
            calls.incrementAndGet();
            record(tx, origin, "UPDATE " + patient.patientId());
        }

        @Override
        public void mergePatient(Connection tx, MappedMerge merge, Origin origin) throws NotApplicableException, SQLException {
            calls.incrementAndGet();
            record(tx, origin, "MERGE " + merge.priorPatientId() + ">" + merge.survivingPatientId());
        }

        private void record(Connection tx, Origin origin, String what) throws NotApplicableException, SQLException {
            try (PreparedStatement ps = tx.prepareStatement("INSERT INTO test_applied (log_id, what) VALUES (?, ?)")) {
                ps.setLong(1, origin.logId());
                ps.setString(2, what);
                ps.executeUpdate();
            }
            if (refuse != null) {
                throw refuse; // after writing: the intake must roll the write back
            }
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        pool = JdbcConnectionPool.create("jdbc:h2:mem:intake" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute(Files.readString(Path.of("..", "sql", "V3__hl7_message_log.sql")));
            st.execute(Files.readString(Path.of("..", "sql", "V10__hl7_intake_journal.sql")));
            st.execute("CREATE TABLE test_applied (log_id BIGINT, what VARCHAR(200))");
        }
        writer = new RecordingWriter();
        intake = new OrderIntake(new MappingRegistry(Samples.MAPPINGS), writer, new MessageLog(pool));
    }

    @AfterEach
    void tearDown() {
        pool.dispose();
    }

    private List<String> applied() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT what FROM test_applied ORDER BY log_id, what")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static String text(IntakeResult r) {
        return r.ack().text();
    }

    @Test
    void newOrderIsAppliedLoggedAndAcknowledgedAa() throws Exception {
        IntakeResult r = intake.accept(Samples.bytes("01-orm-o01-v23-multi-obr.hl7"), "/127.0.0.1:5000");
        assertEquals(AckCode.AA, r.code(), text(r));
        assertTrue(r.applied());
        assertEquals(2, applied().size(), "two requested procedures (one ORC, two OBR)");
        LoggedMessage m = intake.messageLog().get(r.logId()).orElseThrow();
        assertEquals("AA", m.outcome());
        assertEquals("ORM^O01", m.messageType());
        assertTrue(m.applied());
        assertEquals(Samples.bytes("01-orm-o01-v23-multi-obr.hl7").length, m.rawSize());
    }

    @Test
    void repeatedControlIdIsAcknowledgedAgainButAppliedOnce() throws Exception {
        byte[] msg = Samples.bytes("03-orm-o01-v24-crlf.hl7");
        IntakeResult first = intake.accept(msg, "p");
        IntakeResult second = intake.accept(msg, "p");
        assertEquals(AckCode.AA, first.code());
        assertEquals(AckCode.AA, second.code(), text(second));
        assertTrue(second.duplicate());
        assertFalse(second.applied());
        assertEquals(1, writer.calls.get());
        assertEquals(1, applied().size());
        assertEquals(first.logId(), intake.messageLog().get(second.logId()).orElseThrow().duplicateOf());
        assertTrue(text(second).contains("MSA|AA|"), text(second));
    }

    @Test
    void concurrentCopiesOfOneMessageAreAppliedOnce() throws Exception {
        byte[] msg = Samples.bytes("04-omi-o23-v251-ipc.hl7");
        ExecutorService pool4 = Executors.newFixedThreadPool(4);
        try {
            List<Callable<IntakeResult>> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tasks.add(() -> intake.accept(msg, "p"));
            }
            int applied = 0;
            for (Future<IntakeResult> f : pool4.invokeAll(tasks)) {
                IntakeResult r = f.get();
                assertEquals(AckCode.AA, r.code(), text(r));
                applied += r.applied() ? 1 : 0;
            }
            assertEquals(1, applied);
            assertEquals(1, applied().size());
        } finally {
            pool4.shutdownNow();
        }
    }

    @Test
    void notApplicableIsAeWithErrAndNothingIsCommitted() throws Exception {
        writer.refuse = NotApplicableException.unknownKey(new ErrorLocation("ORC", 1, 2, 1, 0, 0),
                "order group 1: no order with placer order number ORD1001 from this sender");
        IntakeResult r = intake.accept(Samples.bytes("08-orm-o01-v231-cancel.hl7"), "p");
        assertEquals(AckCode.AE, r.code());
        assertTrue(text(r).contains("MSA|AE|"), text(r));
        assertTrue(text(r).contains("ERR|ORC^1^2^204&Unknown key identifier&HL70357"), text(r));
        assertEquals(List.of(), applied(), "the writer's insert was rolled back");
        LoggedMessage m = intake.messageLog().get(r.logId()).orElseThrow();
        assertEquals("AE", m.outcome());
        assertEquals(204, m.errorCode());
        assertEquals("ORC^1^2^1", m.errorLocation());
        assertFalse(m.applied());

        // not applied: the same control ID may be sent again and is then applied
        writer.refuse = null;
        IntakeResult again = intake.accept(Samples.bytes("08-orm-o01-v231-cancel.hl7"), "p");
        assertEquals(AckCode.AA, again.code(), text(again));
        assertEquals(1, applied().size());
    }

    @Test
    void unsupportedTypeIsArAndNeverReachesTheStore() throws Exception {
        IntakeResult r = intake.accept(Samples.bytes("13-oru-r01-v251.hl7"), "p");
        assertEquals(AckCode.AR, r.code());
        assertTrue(text(r).contains("ERR||MSH^1^9^1^1|200^Unsupported message type^HL70357|E"), text(r));
        assertEquals(0, writer.calls.get());
        assertEquals("AR", intake.messageLog().get(r.logId()).orElseThrow().outcome());
    }

    @Test
    void garbageIsArAndLogged() throws Exception {
        byte[] junk = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        IntakeResult r = intake.accept(junk, "p");
        assertEquals(AckCode.AR, r.code());
        assertTrue(text(r).contains("MSA|AR|"), text(r));
        assertTrue(text(r).contains("|100^Segment sequence error^HL70357|"), text(r));
        LoggedMessage m = intake.messageLog().get(r.logId()).orElseThrow();
        assertEquals(100, m.errorCode());
        assertEquals(junk.length, m.rawSize());
    }

    @Test
    void type1KeyMissingIsAeNamingTheField() throws Exception {
        String msg = new String(Samples.bytes("01-orm-o01-v23-multi-obr.hl7"), StandardCharsets.ISO_8859_1)
                .replace("PID|1||NG100234^^^NORTHGATE||", "PID|1||||"); // PID-3 patient ID gone
        IntakeResult r = intake.accept(msg.getBytes(StandardCharsets.ISO_8859_1), "p");
        assertEquals(AckCode.AE, r.code(), text(r));
        assertTrue(text(r).contains("101&Required field missing"), text(r));
        assertTrue(r.errors().get(0).text().contains("PatientID (0010,0020)"), r.errors().toString());
        assertEquals(0, applied().size());
    }

    @Test
    void adtUpdateAndMergeReachTheWriter() throws Exception {
        assertEquals(AckCode.AA, intake.accept(Samples.bytes("11-adt-a08-v231.hl7"), "p").code());
        assertEquals(AckCode.AA, intake.accept(Samples.bytes("12-adt-a40-v231.hl7"), "p").code());
        assertEquals(List.of("UPDATE NG100234", "MERGE NG100999>NG100234"), applied());
    }

    @Test
    void replayRunsALoggedMessageAgainThroughTheCurrentMapping() throws Exception {
        writer.refuse = new NotApplicableException(ErrorCode.APPLICATION_INTERNAL_ERROR, null, "down");
        IntakeResult refused = intake.accept(Samples.bytes("02-orm-o01-v231-ihe-zds-lf.hl7"), "p");
        assertEquals(AckCode.AE, refused.code());
        writer.refuse = null;
        IntakeResult replayed = intake.replay(refused.logId()).orElseThrow();
        assertEquals(AckCode.AA, replayed.code(), text(replayed));
        assertEquals(refused.logId(), intake.messageLog().get(replayed.logId()).orElseThrow().replayOf());
        assertEquals(1, applied().size());
        assertTrue(intake.replay(999_999).isEmpty());
        // the replay was the first application: a retransmission by the RIS is now a duplicate
        IntakeResult resent = intake.accept(Samples.bytes("02-orm-o01-v231-ihe-zds-lf.hl7"), "p");
        assertTrue(resent.duplicate());
        assertEquals(1, applied().size());
    }

    @Test
    void searchFiltersByControlIdTypeAndOutcome() throws Exception {
        intake.accept(Samples.bytes("01-orm-o01-v23-multi-obr.hl7"), "p");
        intake.accept(Samples.bytes("13-oru-r01-v251.hl7"), "p");
        intake.accept(Samples.bytes("11-adt-a08-v231.hl7"), "p");
        assertEquals(3, intake.messageLog().search(MessageQuery.all()).size());
        assertEquals(1, intake.messageLog().search(new MessageQuery(null, null, "AR", null, null, null, 0)).size());
        assertEquals(1, intake.messageLog().search(new MessageQuery(null, "ADT", null, null, null, null, 0)).size());
        assertEquals(1, intake.messageLog().search(new MessageQuery(null, "ORM^O01", null, null, null, null, 0)).size());
        String cid = intake.messageLog().search(new MessageQuery(null, "ORM^O01", null, null, null, null, 0)).get(0).controlId();
        assertEquals(1, intake.messageLog().search(new MessageQuery(cid, null, null, null, null, null, 0)).size());
    }

    @Test
    void generatedIdsComeFromPersistentSequences() throws Exception {
        SequenceIdGenerator ids = new SequenceIdGenerator(pool);
        try (Connection c = pool.getConnection()) {
            long a = ids.next(c, "AccessionNumber");
            long b = ids.next(c, "AccessionNumber");
            assertEquals(a + 1, b);
            assertEquals(1, ids.next(c, "Other-Name"));
        }
    }
}
