package org.orderly.broker.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
     * returns, in a transaction or in auto-commit mode, although the database writes behind (WRITE_DELAY 1000). A copy
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
