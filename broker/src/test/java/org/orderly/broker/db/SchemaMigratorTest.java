package org.orderly.broker.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchemaMigratorTest {
    private final JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:mem:migr" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");

    @AfterEach
    void close() throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.createStatement().execute("SHUTDOWN");
        }
        pool.dispose();
    }

    private static SchemaMigrator.Script script(int v, String name, String sql) {
        return new SchemaMigrator.Script(v, name, sql, SchemaMigrator.sha256(sql.getBytes()));
    }

    @Test
    void repositoryMigrationsApplyOnceAndCreateTheWorklistTables() throws Exception {
        List<SchemaMigrator.Script> scripts = SchemaMigrator.fromClasspath(SchemaMigrator.DEFAULT_LOCATION);
        assertTrue(scripts.size() >= 1 && scripts.get(0).version() == 1, scripts.toString());
        assertEquals(scripts.size(), new SchemaMigrator(pool, scripts).migrate());
        assertEquals(0, new SchemaMigrator(pool, scripts).migrate(), "second run applies nothing");
        try (Connection c = pool.getConnection()) {
            for (String t : List.of("PATIENT", "REQUESTED_PROCEDURE", "SCHEDULED_PROCEDURE_STEP", "SCHEMA_HISTORY")) {
                try (ResultSet rs = c.getMetaData().getTables(null, null, t, null)) {
                    assertTrue(rs.next(), "table " + t);
                }
            }
            List<String> indexed = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getIndexInfo(null, null, "SCHEDULED_PROCEDURE_STEP", false, false)) {
                while (rs.next()) {
                    indexed.add(rs.getString("COLUMN_NAME"));
                }
            }
            assertTrue(indexed.containsAll(List.of("SPS_START", "MODALITY", "STATUS")), indexed.toString());
            // station AE titles (VM 1-n) are matched through step_station_ae (ae_title, sps_start) since V2; V7
            // dropped the single-valued copy's index on scheduled_procedure_step
            assertFalse(indexed.contains("SCHEDULED_STATION_AE_TITLE"), indexed.toString());
            List<String> aeIndexed = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getIndexInfo(null, null, "STEP_STATION_AE", false, false)) {
                while (rs.next()) {
                    aeIndexed.add(rs.getString("INDEX_NAME") + ":" + rs.getString("ORDINAL_POSITION") + ":"
                            + rs.getString("COLUMN_NAME"));
                }
            }
            assertTrue(aeIndexed.containsAll(List.of("IX_STEP_STATION_AE_START:1:AE_TITLE",
                    "IX_STEP_STATION_AE_START:2:SPS_START")), aeIndexed.toString());
        }
    }

    @Test
    void newScriptsAreAppliedInVersionOrder() throws Exception {
        SchemaMigrator.Script v1 = script(1, "a", "CREATE TABLE a (id INT);\n");
        SchemaMigrator.Script v2 = script(2, "b", "-- comment;\nINSERT INTO a VALUES (1);\nINSERT INTO a VALUES (2);\n");
        assertEquals(1, new SchemaMigrator(pool, List.of(v1)).migrate());
        assertEquals(1, new SchemaMigrator(pool, List.of(v2, v1)).migrate());
        try (Connection c = pool.getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM a")) {
            rs.next();
            assertEquals(2, rs.getInt(1));
        }
    }

    @Test
    void changedAppliedScriptIsRefused() throws Exception {
        new SchemaMigrator(pool, List.of(script(1, "a", "CREATE TABLE a (id INT);"))).migrate();
        SQLException e = assertThrows(SQLException.class,
                () -> new SchemaMigrator(pool, List.of(script(1, "a", "CREATE TABLE a (id BIGINT);"))).migrate());
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        SQLException gone = assertThrows(SQLException.class, () -> new SchemaMigrator(pool, List.of()).migrate());
        assertTrue(gone.getMessage().contains("does not have it"), gone.getMessage());
    }

    @Test
    void failingScriptIsNotRecorded() throws Exception {
        SQLException e = assertThrows(SQLException.class,
                () -> new SchemaMigrator(pool, List.of(script(1, "bad", "CREATE TABLE x (id INT);\nINSERT INTO nope VALUES (1);"))).migrate());
        assertTrue(e.getMessage().startsWith("migration V1__bad.sql failed"), e.getMessage());
        try (Connection c = pool.getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM schema_history")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
    }

    @Test
    void statementSplitting() {
        assertEquals(List.of("CREATE TABLE a (\n  id INT\n)", "SELECT 'a;b' FROM a"),
                SchemaMigrator.statements("-- x\nCREATE TABLE a (\n  id INT\n);\n\nSELECT 'a;b' FROM a;\n"));
    }
}
