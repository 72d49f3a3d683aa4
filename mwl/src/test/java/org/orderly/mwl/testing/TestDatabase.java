package org.orderly.mwl.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A fresh in-memory H2 database per test, migrated with the repository's {@code sql/V1}, {@code sql/V2} scripts
 * (copied to {@code db/migration} on the test class path by the pom), split the way the broker's SchemaMigrator
 * splits them: statements end with ';' at the end of a line, '--' lines are comments.
 */
public final class TestDatabase {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String[] SCRIPTS = {"V1__worklist.sql", "V2__worklist_matching.sql", "V3__hl7_message_log.sql",
            "V6__mwl_query_log.sql", "V7__inline_datasets.sql"};

    private TestDatabase() {
    }

    public static DataSource create() throws SQLException, IOException {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:mwl" + SEQ.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String script : SCRIPTS) {
                for (String sql : statements(read("db/migration/" + script))) {
                    st.execute(sql);
                }
            }
        }
        return ds;
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = TestDatabase.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static java.util.List<String> statements(String script) {
        java.util.List<String> out = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : script.split("\n")) {
            String t = line.trim();
            if (t.startsWith("--") || t.isEmpty()) {
                continue;
            }
            cur.append(line).append('\n');
            if (t.endsWith(";")) {
                String s = cur.toString().trim();
                out.add(s.substring(0, s.length() - 1));
                cur.setLength(0);
            }
        }
        return out;
    }

    public static int count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
