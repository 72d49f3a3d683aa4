package org.orderly.mpps.images;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * {@link ImageArrivalCheck} over table {@code received_instance} (sql/V4__mpps.sql). The storage SCP records each
 * instance it has durably spooled with {@link #recordReceived(String, String)} - in its own transaction, after the
 * spool file is on disk, before the C-STORE response.
 */
public final class ReceivedInstanceTable implements ImageArrivalCheck {

    private static final int CHUNK = 200;

    private final DataSource dataSource;

    public ReceivedInstanceTable(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Records one received SOP instance (idempotent: a second C-STORE of the same UID keeps the first time). */
    public void recordReceived(String sopInstanceUid, String studyInstanceUid) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "MERGE INTO received_instance (sop_instance_uid, study_uid, received_at) KEY (sop_instance_uid)"
                        + " SELECT ?, ?, ? FROM (VALUES (1)) v WHERE NOT EXISTS (SELECT 1 FROM received_instance"
                        + " WHERE sop_instance_uid = ?)")) {
            ps.setString(1, sopInstanceUid);
            ps.setString(2, studyInstanceUid);
            ps.setLong(3, System.currentTimeMillis());
            ps.setString(4, sopInstanceUid);
            ps.executeUpdate();
        }
    }

    @Override
    public int missing(Collection<String> sopInstanceUids) throws SQLException {
        List<String> uids = List.copyOf(new LinkedHashSet<>(sopInstanceUids));
        int found = 0;
        try (Connection c = dataSource.getConnection()) {
            for (int from = 0; from < uids.size(); from += CHUNK) {
                List<String> chunk = uids.subList(from, Math.min(uids.size(), from + CHUNK));
                String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT COUNT(*) FROM received_instance WHERE sop_instance_uid IN (" + marks + ")")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setString(i + 1, chunk.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        found += rs.getInt(1);
                    }
                }
            }
        }
        return uids.size() - found;
    }
}
