package org.orderly.mpps;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.io.DatasetCodec;
import org.orderly.dicom.io.TransferSyntax;

/** In-memory H2 migrated with the repository's sql/V1..V4, and a way to put one worklist step in it. */
public final class MppsTestDatabase {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String[] SCRIPTS = {"V1__worklist.sql", "V2__worklist_matching.sql", "V3__hl7_message_log.sql",
            "V4__mpps.sql"};

    private MppsTestDatabase() {
    }

    public static DataSource create() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:mpps" + SEQ.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String script : SCRIPTS) {
                String text;
                try (InputStream in = MppsTestDatabase.class.getClassLoader().getResourceAsStream("db/migration/" + script)) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                StringBuilder cur = new StringBuilder();
                for (String line : text.split("\n")) {
                    String t = line.trim();
                    if (t.startsWith("--") || t.isEmpty()) {
                        continue;
                    }
                    cur.append(line).append('\n');
                    if (t.endsWith(";")) {
                        String sql = cur.toString().trim();
                        st.execute(sql.substring(0, sql.length() - 1));
                        cur.setLength(0);
                    }
                }
            }
        }
        return ds;
    }

    /** One order with one step, as the HL7 intake stores it. Returns the step id. */
    public static long step(DataSource ds, String placer, String filler, String accession, String rpId, String study,
            String spsId, String patientId) throws Exception {
        try (Connection c = ds.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("MERGE INTO patient (patient_id, issuer_of_patient_id) KEY (patient_id, issuer_of_patient_id)"
                        + " VALUES ('" + patientId + "', 'HOSP')");
            }
            long patient;
            try (Statement st = c.createStatement(); var rs = st.executeQuery(
                    "SELECT id FROM patient WHERE patient_id = '" + patientId + "'")) {
                rs.next();
                patient = rs.getLong(1);
            }
            long rp;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO requested_procedure (patient_fk, accession_number,"
                    + " requested_procedure_id, study_instance_uid, placer_order_number, filler_order_number, sender)"
                    + " VALUES (?, ?, ?, ?, ?, ?, 'RIS^HOSP')", Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, patient);
                ps.setString(2, accession);
                ps.setString(3, rpId);
                ps.setString(4, study);
                ps.setString(5, placer);
                ps.setString(6, filler);
                ps.executeUpdate();
                var keys = ps.getGeneratedKeys();
                keys.next();
                rp = keys.getLong(1);
            }
            Attributes item = new Attributes();
            item.setString(Tag.StudyInstanceUID, VR.UI, study);
            Attributes sps = item.newSequence(Tag.ScheduledProcedureStepSequence).addNewItem();
            sps.setString(Tag.ScheduledProcedureStepID, VR.SH, spsId);
            sps.setString(Tag.ScheduledProcedureStepStatus, VR.CS, "SCHEDULED");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO scheduled_procedure_step (requested_procedure_fk,"
                    + " sps_id, sps_start, dataset, patient_id, issuer_of_patient_id) VALUES (?, ?, LOCALTIMESTAMP, ?, ?, 'HOSP')",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, rp);
                ps.setString(2, spsId);
                ps.setBytes(3, DatasetCodec.encode(item, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
                ps.setString(4, patientId);
                ps.executeUpdate();
                var keys = ps.getGeneratedKeys();
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    public static String stepStatus(DataSource ds, long stepId) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                var rs = st.executeQuery("SELECT status, dataset FROM scheduled_procedure_step WHERE id = " + stepId)) {
            rs.next();
            String column = rs.getString(1);
            Attributes item = DatasetCodec.decode(rs.getBytes(2), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            String inItem = item.getSequence(Tag.ScheduledProcedureStepSequence).get(0)
                    .getString(Tag.ScheduledProcedureStepStatus);
            if (!column.equals(inItem)) {
                throw new AssertionError("column " + column + " but item " + inItem);
            }
            return column;
        }
    }
}
