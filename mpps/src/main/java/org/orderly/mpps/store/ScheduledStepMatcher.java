package org.orderly.mpps.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tag;

/**
 * Finds the worklist steps named by a Scheduled Step Attributes Sequence (PS3.4 §F.7.2, Table F.7.2-1; IHE RAD TF-2
 * RAD-6 §4.6.4.1.2.3: a modality that took the step from the worklist copies Study Instance UID, Accession Number,
 * Requested Procedure ID and Scheduled Procedure Step ID into the item).
 *
 * <p>Per item: (1) Study Instance UID, narrowed by each of SPS ID, Requested Procedure ID and Accession Number the
 * item carries; (2) if that finds nothing and the item has an Accession Number (the operator typed it, the modality
 * made its own Study Instance UID): Accession Number, narrowed the same way by SPS ID and Requested Procedure ID.
 * Nothing found for every item = an unscheduled MPPS (IHE RAD TF-2 §4.6.4.1.2.4 "unscheduled case").
 */
final class ScheduledStepMatcher {

    private ScheduledStepMatcher() {
    }

    static List<StepMatch> match(Connection c, Sequence items) throws SQLException {
        Set<StepMatch> out = new LinkedHashSet<>();
        if (items == null) {
            return List.of();
        }
        for (Attributes item : items) {
            String study = value(item, Tag.StudyInstanceUID);
            String acc = value(item, Tag.AccessionNumber);
            String rpId = value(item, Tag.RequestedProcedureID);
            String spsId = value(item, Tag.ScheduledProcedureStepID);
            List<StepMatch> found = study == null ? List.of() : query(c, "r.study_instance_uid", study, acc, rpId, spsId);
            if (found.isEmpty() && acc != null) {
                found = query(c, "r.accession_number", acc, null, rpId, spsId);
            }
            out.addAll(found);
        }
        return new ArrayList<>(out);
    }

    private static List<StepMatch> query(Connection c, String keyColumn, String key, String acc, String rpId,
            String spsId) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT s.id, r.id FROM scheduled_procedure_step s"
                + " JOIN requested_procedure r ON r.id = s.requested_procedure_fk WHERE ").append(keyColumn).append(" = ?");
        List<String> params = new ArrayList<>(List.of(key));
        if (acc != null) {
            sql.append(" AND r.accession_number = ?");
            params.add(acc);
        }
        if (rpId != null) {
            sql.append(" AND r.requested_procedure_id = ?");
            params.add(rpId);
        }
        if (spsId != null) {
            sql.append(" AND s.sps_id = ?");
            params.add(spsId);
        }
        sql.append(" ORDER BY s.id");
        List<StepMatch> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                ps.setString(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StepMatch(rs.getLong(1), rs.getLong(2)));
                }
            }
        }
        return out;
    }

    private static String value(Attributes item, int tag) {
        String v = item.getString(tag);
        return v == null || v.isBlank() ? null : v.strip();
    }
}
