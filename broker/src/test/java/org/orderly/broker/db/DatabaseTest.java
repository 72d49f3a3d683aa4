package org.orderly.broker.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

    /**
     * AA and DICOM success mean "in the file": a commit through {@link Database#dataSource()} is in the file when it
     * returns, in a transaction or in auto-commit mode, although the database writes behind. A copy
     * of the file taken right after the commit, opened as a database of its own, has the row.
     */
    @Test
    void durableCommitsAreInTheFileWhenTheyReturn(@TempDir Path dir) throws Exception {
        try (Database db = Database.open(dir.resolve("db"))) {
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t (id INT PRIMARY KEY)");
                st.executeUpdate("INSERT INTO t VALUES (1)"); // auto-commit
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?)")) {
                    ps.setInt(1, 2);
                    ps.executeUpdate();
                }
                c.commit();
            }
            assertEquals(List.of(1, 2), rowsInCopyOfFile(dir, "copy1"));

            // write-behind: in the file after writeStore (the HL7 intake's checkpoint)
            try (Connection c = db.writeBehindDataSource().getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO t VALUES (3)");
            }
            db.writeStore();
            assertEquals(List.of(1, 2, 3), rowsInCopyOfFile(dir, "copy2"));
        }
    }

    /** H2's own compaction does not run (no background writes); ChunkCompactor frees the chunks commits leave sparse. */
    @Test
    void compactorRewritesSparseChunks(@TempDir Path dir) throws Exception {
        try (Database db = Database.open(dir)) {
            ChunkCompactor compactor = new ChunkCompactor(db.dataSource(), db.commitGate().writeLock());
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

    private static List<Integer> rowsInCopyOfFile(Path dir, String name) throws Exception {
        Path copy = Files.createDirectories(dir.resolve(name));
        Files.copy(dir.resolve("db").resolve("orderly.mv.db"), copy.resolve("orderly.mv.db"));
        List<Integer> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + copy.resolve("orderly").toAbsolutePath(),
                "orderly", ""); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM t ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        }
        return ids;
    }
}
