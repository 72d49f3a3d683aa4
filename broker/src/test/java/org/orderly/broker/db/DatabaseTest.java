package org.orderly.broker.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
