package org.orderly.hl7.intake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.orderly.hl7.mapping.IdGenerator;

/**
 * The counters of generated IDs as database sequences, one per counter name
 * ({@code hl7_counter_accessionnumber}). A sequence value is never handed out twice, also across
 * restarts and after a crash (H2 persists the end of the range it cached), and it is not rolled
 * back with the transaction that drew it: a refused message leaves a gap, never a duplicate.
 *
 * <p>The sequence is created on first use with its own connection: DDL commits in H2, so it must
 * never run on a message's transaction. {@link #bind(Connection)} gives the mapper an
 * {@link IdGenerator} that draws values on the message's connection (no pool round trip).
 */
public final class SequenceIdGenerator {

    private final DataSource dataSource;
    private final Set<String> created = ConcurrentHashMap.newKeySet();

    public SequenceIdGenerator(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** An {@link IdGenerator} drawing on {@code tx}. */
    public IdGenerator bind(Connection tx) {
        return name -> next(tx, name);
    }

    /** The next value of counter {@code name}. */
    public long next(Connection c, String name) {
        String seq = sequenceName(name);
        try {
            ensure(seq);
            try (PreparedStatement ps = c.prepareStatement("SELECT NEXT VALUE FOR " + seq);
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counter " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes sure counter {@code name} never hands out {@code value} or anything below it again: after a crash, values
     * drawn from the journal's messages may be higher than what the database file remembers.
     */
    public void advancePast(String name, long value) throws SQLException {
        String seq = sequenceName(name);
        ensure(seq);
        try (Connection c = dataSource.getConnection()) {
            if (next(c, name) <= value) {
                try (Statement st = c.createStatement()) {
                    st.execute("ALTER SEQUENCE " + seq + " RESTART WITH " + (value + 1));
                }
            }
        }
    }

    private void ensure(String seq) throws SQLException {
        if (created.contains(seq)) {
            return;
        }
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE SEQUENCE IF NOT EXISTS " + seq + " START WITH 1 INCREMENT BY 1");
        }
        created.add(seq);
    }

    /** {@code hl7_counter_<name>}, letters and digits only (the name comes from a mapping file). */
    static String sequenceName(String name) {
        StringBuilder sb = new StringBuilder("hl7_counter_");
        for (char ch : name.toLowerCase(Locale.ROOT).toCharArray()) {
            if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
                sb.append(ch);
            } else {
                sb.append('_');
            }
        }
        return sb.toString();
    }
}
