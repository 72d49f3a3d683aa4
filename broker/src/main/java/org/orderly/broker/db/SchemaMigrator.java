package org.orderly.broker.db;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forward-only schema migrations: applies {@code V<n>__<name>.sql} scripts in version order and
 * records each in {@code schema_history} (version, name, SHA-256 of the script, time).
 *
 * <p>The "Flyway equivalent" the project asked for, in one class, because all it needs is: run new
 * scripts once, in order; refuse to start when a script that was already applied has changed
 * (checksum mismatch) or is missing, since the database would no longer match the code. Scripts
 * come from the repository's {@code sql/} folder, packaged as {@code db/migration/} in the jar.
 *
 * <p>Script format: plain SQL, statements end with {@code ;} at the end of a line, {@code --}
 * comment lines are skipped. Each script runs in one transaction with its history row (H2 commits
 * DDL implicitly, so a script failing half-way needs a manual look: the error names the script).
 */
public final class SchemaMigrator {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
    private static final Pattern NAME = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");
    public static final String DEFAULT_LOCATION = "db/migration";

    /** One migration script. */
    public record Script(int version, String name, String sql, String checksum) {
    }

    private final DataSource dataSource;
    private final List<Script> scripts;

    public SchemaMigrator(DataSource dataSource, List<Script> scripts) {
        this.dataSource = dataSource;
        this.scripts = scripts.stream().sorted(java.util.Comparator.comparingInt(Script::version)).toList();
    }

    /** Reads every {@code V<n>__<name>.sql} under {@code location} on the class path (directory or jar). */
    public static List<Script> fromClasspath(String location) throws IOException {
        URL url = SchemaMigrator.class.getClassLoader().getResource(location);
        if (url == null) {
            throw new IOException("no migrations at class path location " + location);
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                }
                return readDir(fs.provider().getPath(uri));
            }
            return readDir(Path.of(uri));
        } catch (URISyntaxException e) {
            throw new IOException("bad migration location " + url, e);
        }
    }

    static List<Script> readDir(Path dir) throws IOException {
        Map<Integer, Script> byVersion = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String file = p.getFileName().toString();
                Matcher m = NAME.matcher(file);
                if (!m.matches()) {
                    continue;
                }
                try (InputStream in = Files.newInputStream(p)) {
                    byte[] bytes = in.readAllBytes();
                    Script s = new Script(Integer.parseInt(m.group(1)), m.group(2),
                            new String(bytes, StandardCharsets.UTF_8), sha256(bytes));
                    if (byVersion.put(s.version(), s) != null) {
                        throw new IOException("two migration scripts with version " + s.version() + " in " + dir);
                    }
                }
            }
        }
        return new ArrayList<>(byVersion.values());
    }

    /**
     * Applies the scripts not yet applied.
     *
     * @return the number of scripts applied now
     * @throws SQLException when a script fails, or an applied script changed or disappeared
     */
    public int migrate() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS schema_history ("
                        + "version INT PRIMARY KEY, name VARCHAR(200) NOT NULL, checksum CHAR(64) NOT NULL, "
                        + "installed_at TIMESTAMP DEFAULT LOCALTIMESTAMP NOT NULL, execution_ms BIGINT NOT NULL)");
            }
            Map<Integer, String[]> applied = new HashMap<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT version, name, checksum FROM schema_history")) {
                while (rs.next()) {
                    applied.put(rs.getInt(1), new String[] {rs.getString(2), rs.getString(3)});
                }
            }
            Map<Integer, Script> known = new HashMap<>();
            scripts.forEach(s -> known.put(s.version(), s));
            for (Map.Entry<Integer, String[]> a : applied.entrySet()) {
                Script s = known.get(a.getKey());
                if (s == null) {
                    throw new SQLException("database has migration V" + a.getKey() + "__" + a.getValue()[0]
                            + " applied, but this Orderly does not have it (database is newer than the program?)");
                }
                if (!s.checksum().equals(a.getValue()[1])) {
                    throw new SQLException("migration V" + s.version() + "__" + s.name()
                            + ".sql was changed after it was applied (checksum mismatch); add a new migration instead");
                }
            }
            int count = 0;
            for (Script s : scripts) {
                if (applied.containsKey(s.version())) {
                    continue;
                }
                apply(c, s);
                count++;
            }
            return count;
        }
    }

    private static void apply(Connection c, Script s) throws SQLException {
        long t0 = System.nanoTime();
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            for (String sql : statements(s.sql())) {
                st.execute(sql);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO schema_history (version, name, checksum, execution_ms) VALUES (?, ?, ?, ?)")) {
                ps.setInt(1, s.version());
                ps.setString(2, s.name());
                ps.setString(3, s.checksum());
                ps.setLong(4, (System.nanoTime() - t0) / 1_000_000);
                ps.executeUpdate();
            }
            c.commit();
            LOG.info("database: applied migration V{}__{}", s.version(), s.name());
        } catch (SQLException e) {
            c.rollback();
            throw new SQLException("migration V" + s.version() + "__" + s.name() + ".sql failed: " + e.getMessage(), e);
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** Splits a script into statements: {@code ;} at the end of a line ends one; {@code --} lines are comments. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : script.split("\\R")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("--")) {
                continue;
            }
            cur.append(line).append('\n');
            if (t.endsWith(";")) {
                String sql = cur.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                cur.setLength(0);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        return out;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
