package org.orderly.hl7.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
                for (Path f : files.filter(p -> p.getFileName().toString().matches("V\\d+__.*\\.sql")).sorted().toList()) {
                    st.execute(Files.readString(f));
                }
            }
        }
        intake = new OrderIntake(new MappingRegistry(Samples.MAPPINGS), new MwlWorklistWriter(pool), new MessageLog(pool));
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
}
