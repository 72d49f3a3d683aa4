package org.orderly.broker.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

    /** AA means committed to the file: every connection of the file database runs with WRITE_DELAY 0. */
    @Test
    void fileDatabaseWritesEachCommitBeforeItReturns(@TempDir Path dir) throws Exception {
        try (Database db = Database.open(dir)) {
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery(
                         "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
                rs.next();
                assertEquals("0", rs.getString(1));
            }
        }
    }

    /** WRITE_DELAY 0 stops H2's own compaction; ChunkCompactor frees the chunks one-row commits leave sparse. */
    @Test
    void compactorRewritesSparseChunks(@TempDir Path dir) throws Exception {
        try (Database db = Database.open(dir)) {
            ChunkCompactor compactor = new ChunkCompactor(db.dataSource());
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("SET RETENTION_TIME 0"); // this test only: chunks are candidates at once, not after 45 s
                st.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(100))");
                for (int i = 0; i < 3_000; i++) {
                    st.execute("INSERT INTO t VALUES (" + i + ", 'row " + i + "')"); // one commit, one chunk each
                    st.execute("UPDATE t SET v = 'changed " + i + "' WHERE id = " + (i / 2));
                }
            }
            int fillRate = compactor.chunksFillRate();
            assertTrue(fillRate < ChunkCompactor.TARGET_FILL_RATE, "fill rate " + fillRate);
            assertTrue(compactor.runOnce() > 0, "nothing re-written at fill rate " + fillRate);
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*), MAX(v) FROM t")) {
                rs.next();
                assertEquals(3_000, rs.getInt(1)); // nothing lost by the re-write
            }
        }
    }
}
