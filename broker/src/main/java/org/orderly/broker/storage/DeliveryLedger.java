package org.orderly.broker.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Table {@code storage_delivery} (sql/V5__storage_spool.sql): per SOP instance and destination, PENDING, DELIVERED,
 * FAILED (in the dead-letter queue) or UNROUTED. Read by Storage Commitment and the admin; the spool's hard links are
 * what keeps the data (a ledger write that fails is logged, never loses an object).
 *
 * <p>PENDING and DELIVERED rows are written behind (in the database at once, in its file with the next store write,
 * which the spool makes once per batch: {@link SpoolStore#beforeRouted}), so neither costs a store write per object:
 * <ul>
 *   <li>PENDING: a routed object leaves {@code spool/objects/} only after that store write; a crash that loses the
 *       row leaves the object there, to be routed and recorded again.</li>
 *   <li>DELIVERED: a destination link is removed only after that destination answered Success, so a PENDING row
 *       whose link is gone was delivered: {@link #reconcile} records it at start-up.</li>
 * </ul>
 * FAILED and UNROUTED are written durably (rare, and nothing would derive them again).
 */
public final class DeliveryLedger {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLedger.class);
    public static final String NO_DESTINATION = "-";

    public enum State { PENDING, DELIVERED, FAILED, UNROUTED }

    /** The states of one SOP instance at its destinations. */
    public record Entry(String destination, State state, int attempts, String lastError) {
    }

    private final DataSource ds;
    private final DataSource behind;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param ds durable commits
     * @param behind commits that reach the file with a later store write (PENDING and DELIVERED rows)
     */
    public DeliveryLedger(DataSource ds, DataSource behind) {
        this.ds = ds;
        this.behind = behind;
    }

    /** Called with the SOP Instance UID after each change (Storage Commitment listens). */
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    public void record(String iuid, String destination, String objectId, State state, int attempts, String error) {
        String sql = "MERGE INTO storage_delivery (sop_instance_uid, destination, object_id, state, attempts, last_error,"
                + " updated_at) KEY (sop_instance_uid, destination) VALUES (?, ?, ?, ?, ?, ?, ?)";
        boolean writtenBehind = state == State.PENDING || state == State.DELIVERED;
        try (Connection c = (writtenBehind ? behind : ds).getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, iuid);
            ps.setString(2, destination);
            ps.setString(3, objectId == null ? "" : objectId);
            ps.setString(4, state.name());
            ps.setInt(5, attempts);
            ps.setString(6, error == null ? null : error.length() > 256 ? error.substring(0, 256) : error);
            ps.setTimestamp(7, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("storage ledger: cannot record {} {} for {}: {}", state, destination, iuid, e.getMessage());
            return;
        }
        for (Consumer<String> l : listeners) {
            try {
                l.accept(iuid);
            } catch (RuntimeException e) {
                LOG.warn("storage ledger listener failed: {}", e.toString());
            }
        }
    }

    /**
     * At start-up, before anything is delivered: every PENDING row whose destination link ({@code linkOf(destination,
     * objectId)}) is gone is recorded DELIVERED (its DELIVERED row was written behind and lost in a crash). Returns
     * how many.
     */
    public int reconcile(BiFunction<String, String, Path> linkOf) throws SQLException {
        List<String[]> delivered = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT sop_instance_uid, destination, object_id FROM storage_delivery WHERE state = 'PENDING'")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String dest = rs.getString(2);
                    String objectId = rs.getString(3);
                    if (objectId == null || objectId.isEmpty()) {
                        continue;
                    }
                    Path link;
                    try {
                        link = linkOf.apply(dest, objectId);
                    } catch (RuntimeException e) { // not an AE@host:port: not a row this ledger wrote
                        continue;
                    }
                    if (!Files.exists(link)) {
                        delivered.add(new String[] {rs.getString(1), dest, objectId});
                    }
                }
            }
        }
        for (String[] d : delivered) {
            record(d[0], d[1], d[2], State.DELIVERED, 1, null);
        }
        return delivered.size();
    }

    public List<Entry> entries(String iuid) {
        List<Entry> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT destination, state, attempts, last_error FROM storage_delivery WHERE sop_instance_uid = ?")) {
            ps.setString(1, iuid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getString(1), State.valueOf(rs.getString(2)), rs.getInt(3), rs.getString(4)));
                }
            }
        } catch (SQLException e) {
            LOG.warn("storage ledger: cannot read {}: {}", iuid, e.getMessage());
        }
        return out;
    }
}
