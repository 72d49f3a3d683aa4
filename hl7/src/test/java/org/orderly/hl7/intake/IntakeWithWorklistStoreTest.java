package org.orderly.hl7.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderly.hl7.Samples;
import org.orderly.hl7.ack.AckCode;
import org.orderly.hl7.mapping.MappingRegistry;

/**
 * The intake with the real worklist store (module mwl, schema from sql/): what a sequence of
 * sample messages leaves in the worklist, not just what the mapping says.
 */
class IntakeWithWorklistStoreTest {

    private JdbcConnectionPool pool;
    private OrderIntake intake;

    @BeforeEach
    void setUp() throws Exception {
        pool = JdbcConnectionPool.create("jdbc:h2:mem:store" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            try (var files = Files.list(Path.of("..", "sql"))) {
                for (Path f : files.filter(p -> p.getFileName().toString().matches("V\\d+__.*\\.sql"))
                        .sorted(Comparator.comparingInt(IntakeWithWorklistStoreTest::version)).toList()) {
                    st.execute(Files.readString(f));
                }
            }
        }
        intake = new OrderIntake(new MappingRegistry(Samples.MAPPINGS), new MwlWorklistWriter(pool), new MessageLog(pool));
    }

    /** {@code V10__x.sql} -> 10: migrations run in version order, not name order. */
    private static int version(Path f) {
        String n = f.getFileName().toString();
        return Integer.parseInt(n.substring(1, n.indexOf("__")));
    }

    @AfterEach
    void tearDown() {
        pool.dispose();
    }

    /** placer order number and status of every stored step, ordered by placer number. */
    private List<String> steps() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT r.placer_order_number, s.status FROM scheduled_procedure_step s"
                     + " JOIN requested_procedure r ON r.id = s.requested_procedure_fk ORDER BY r.placer_order_number, s.id")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        return out;
    }

    @Test
    void sample01MakesTwoRequestedProceduresAndSample08CancelsTheSecond() throws Exception {
        IntakeResult created = intake.accept(Samples.bytes("01-orm-o01-v23-multi-obr.hl7"), "p");
        assertEquals(AckCode.AA, created.code(), created.ack().text());
        // before the fix: one procedure (NGP5001), the second had replaced the first
        assertEquals(List.of("NGP5001 SCHEDULED", "NGP5002 SCHEDULED"), steps());

        IntakeResult cancel = intake.accept(Samples.bytes("08-orm-o01-v231-cancel.hl7"), "p");
        assertEquals(AckCode.AA, cancel.code(), cancel.ack().text());
        assertEquals(List.of("NGP5001 SCHEDULED", "NGP5002 CANCELED"), steps());
    }

    @Test
    void cancelOfAnUnknownPlacerOrderNumberIsAe204AndChangesNothing() throws Exception {
        intake.accept(Samples.bytes("01-orm-o01-v23-multi-obr.hl7"), "p");
        String unknown = new String(Samples.bytes("08-orm-o01-v231-cancel.hl7"), StandardCharsets.ISO_8859_1)
                .replace("NGP5002", "NGP5999").replace("NG000801", "NG000899");
        IntakeResult r = intake.accept(unknown.getBytes(StandardCharsets.ISO_8859_1), "p");
        assertEquals(AckCode.AE, r.code(), r.ack().text());
        assertEquals(204, r.errors().get(0).code().code());
        assertEquals(List.of("NGP5001 SCHEDULED", "NGP5002 SCHEDULED"), steps());
    }

    /**
     * A crash after AA, while the database had not written its file: recovery handles the journal's messages again
     * (those whose log row is not in the database), with the Accession Number, Requested Procedure ID and Study
     * Instance UID generated for them the first time, with the same outcomes, and the counters continue above them.
     */
    @Test
    void recoveryHandlesJournaledMessagesAgainWithTheirGeneratedValues(@TempDir Path dir) throws Exception {
        Path journalDir = dir.resolve("journal");
        AtomicBoolean fileWritable = new AtomicBoolean(true);
        IntakeJournal crashing = IntakeJournal.open(journalDir, () -> {
            if (!fileWritable.get()) {
                throw new SQLException("this database never writes its file");
            }
        });
        OrderIntake before = new OrderIntake(new MappingRegistry(Samples.MAPPINGS), new MwlWorklistWriter(pool),
                new MessageLog(pool), crashing);
        assertEquals(0, before.recover());
        fileWritable.set(false);

        assertEquals(AckCode.AA, before.accept(newOrderWithoutIds("1"), "p").code());
        Path file = dir.resolve("after-first.sql");
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("SCRIPT TO '" + file + "'"); // what the database file has: the first message only
        }
        assertEquals(AckCode.AA, before.accept(newOrderWithoutIds("2"), "p").code());
        assertEquals(AckCode.AA, before.accept(Samples.bytes("01-orm-o01-v23-multi-obr.hl7"), "p").code());
        String unknown = new String(Samples.bytes("08-orm-o01-v231-cancel.hl7"), StandardCharsets.ISO_8859_1)
                .replace("NGP5002", "NGP5999");
        assertEquals(AckCode.AE, before.accept(unknown.getBytes(StandardCharsets.ISO_8859_1), "p").code());
        crashing.close(); // its last checkpoint fails too: every segment stays, as after a SIGKILL
        List<String> worklist = procedures(pool);
        List<String> log = logRows(pool);
        assertTrue(worklist.stream().anyMatch(r -> r.contains(" A0") && r.contains(" 2.25.")), worklist.toString());

        JdbcConnectionPool restarted = JdbcConnectionPool.create("jdbc:h2:mem:restarted" + System.nanoTime()
                + ";DB_CLOSE_DELAY=-1", "sa", "");
        try {
            try (Connection c = restarted.getConnection(); Statement st = c.createStatement()) {
                st.execute("RUNSCRIPT FROM '" + file + "'");
            }
            IntakeJournal journal = IntakeJournal.open(journalDir, () -> { });
            OrderIntake after = new OrderIntake(new MappingRegistry(Samples.MAPPINGS),
                    new MwlWorklistWriter(restarted), new MessageLog(restarted), journal);
            assertEquals(3, after.recover()); // the first message was in the file
            assertEquals(worklist, procedures(restarted));
            assertEquals(log, logRows(restarted));

            assertEquals(AckCode.AA, after.accept(newOrderWithoutIds("3"), "p").code());
            List<String> now = procedures(restarted);
            assertEquals(now.size(), now.stream().map(r -> r.split(" ")[1]).distinct().count(),
                    "an accession number handed out twice: " + now);
            journal.close();
            try (var left = Files.list(journalDir)) {
                assertEquals(List.of(), left.toList()); // recovered, checkpointed, closed: nothing left to replay
            }
        } finally {
            restarted.dispose();
        }
    }

    /** A v2.3 order without Accession Number, Requested Procedure ID, SPS ID and Study UID: all are generated. */
    private static byte[] newOrderWithoutIds(String n) throws Exception {
        String sample = new String(Samples.bytes("01-orm-o01-v23-multi-obr.hl7"), StandardCharsets.ISO_8859_1);
        String first = sample.substring(0, sample.indexOf("\rOBR|2|") + 1);
        return first.replace("NGA5001|NGR5001|NGS5001", "||").replace("NG000101", "NGJ" + n)
                .replace("NGP5001", "NGJP" + n).replace("NGF5001", "NGJF" + n).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<String> procedures(JdbcConnectionPool db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT r.placer_order_number, r.accession_number, r.study_instance_uid,"
                     + " s.status FROM scheduled_procedure_step s JOIN requested_procedure r"
                     + " ON r.id = s.requested_procedure_fk ORDER BY r.placer_order_number, s.id")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
            }
        }
        return out;
    }

    private static List<String> logRows(JdbcConnectionPool db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT journal_seq, control_id, outcome, error_code, received_at"
                     + " FROM hl7_message_log ORDER BY journal_seq")) {
            while (rs.next()) {
                out.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getInt(4) + " "
                        + rs.getObject(5));
            }
        }
        return out;
    }
}
