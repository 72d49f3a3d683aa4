package org.orderly.mwl.store;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.io.DatasetCodec;
import org.orderly.dicom.io.DicomStreamException;
import org.orderly.dicom.io.TransferSyntax;
import org.orderly.mwl.model.Datasets;
import org.orderly.mwl.model.Patient;
import org.orderly.mwl.model.PatientKey;
import org.orderly.mwl.model.RequestedProcedure;
import org.orderly.mwl.model.ScheduledProcedureStep;
import org.orderly.mwl.model.SpsStatus;
import org.orderly.mwl.model.WorklistItem;
import org.orderly.mwl.model.WorklistOrder;
import org.orderly.mwl.query.PersonNames;
import org.orderly.mwl.query.WorklistCursor;
import org.orderly.mwl.query.WorklistQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Modality Worklist store: orders in, worklist items out, over any JDBC {@link DataSource} (H2 embedded in
 * the broker; plain SQL so that PostgreSQL works too). Schema: {@code sql/V1__worklist.sql} and
 * {@code sql/V2__worklist_matching.sql}.
 *
 * <p>Every write method is ONE transaction, committed before it returns: the HL7 intake may send its ACK as soon
 * as a method returned normally (on an exception nothing was written). A transaction that fails on a uniqueness or
 * serialization conflict (two messages for the same new order or patient at once) is retried once.
 *
 * <p>Each step row holds the complete worklist item (PS3.4 Table K.6-1) as an Explicit VR Little Endian data set,
 * plus copies of its matching keys in indexed columns; {@link #find} streams the items a {@link WorklistQuery}
 * selects. No PHI is logged at INFO.
 */
public final class WorklistStore {
    private static final Logger LOG = LoggerFactory.getLogger(WorklistStore.class);
    private static final TransferSyntax TS = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
    private static final String OPEN_STATUSES = "('SCHEDULED', 'ARRIVED', 'READY', 'STARTED', 'DEPARTED')";

    private final DataSource dataSource;

    public WorklistStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    // ================================================================== orders

    /**
     * Creates an order, or replaces a known one (HL7 ORC-1 NW / XO). The order is found by (sender, placer order
     * number), else by (sender, accession number). On a change:
     * <ul>
     *   <li>the Study Instance UID stays the one stored first unless the message carries one of its own (not
     *       generated); a new order without one gets {@code 2.25.<UUID as decimal>} (PS3.5 §B.2);</li>
     *   <li>Accession Number, Requested Procedure ID and SPS ID that the intake generated
     *       ({@link WorklistOrder#generatedTags()}) keep their stored values;</li>
     *   <li>steps are paired by SPS ID (by position when the SPS IDs are generated); a paired step gets the new
     *       attributes and keeps its status unless the message sets (0040,0020); a stored step the message no
     *       longer has is set to DISCONTINUED, never deleted.</li>
     * </ul>
     */
    public Results.Upsert upsertOrder(WorklistOrder order) throws SQLException {
        Objects.requireNonNull(order, "order");
        return tx(c -> upsert(c, order));
    }

    /** Cancels an order (ORC-1 CA/OC): its open steps become CANCELED. False if the order is unknown. */
    public boolean cancelOrder(OrderRef ref) throws SQLException {
        return tx(c -> closeOrder(c, ref, SpsStatus.CANCELED));
    }

    /** Discontinues an order (ORC-1 DC): its open steps become DISCONTINUED. False if the order is unknown. */
    public boolean discontinueOrder(OrderRef ref) throws SQLException {
        return tx(c -> closeOrder(c, ref, SpsStatus.DISCONTINUED));
    }

    /**
     * Sets the status of steps (e.g. from MPPS: STARTED, COMPLETED, DISCONTINUED), in the column and in the stored
     * item.
     *
     * @param studyInstanceUid restricts to one requested procedure; null = any
     * @return the number of steps changed (0 = unknown step)
     */
    public int updateStepStatus(String studyInstanceUid, String spsId, SpsStatus status) throws SQLException {
        Objects.requireNonNull(spsId, "spsId");
        Objects.requireNonNull(status, "status");
        return tx(c -> {
            String sql = "SELECT s.id, s.dataset FROM scheduled_procedure_step s"
                    + (studyInstanceUid == null ? " WHERE s.sps_id = ?"
                    : " JOIN requested_procedure r ON r.id = s.requested_procedure_fk"
                            + " WHERE s.sps_id = ? AND r.study_instance_uid = ?")
                    + " ORDER BY s.id FOR UPDATE";
            List<StepRow> steps = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, spsId);
                if (studyInstanceUid != null) {
                    ps.setString(2, studyInstanceUid);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        steps.add(new StepRow(rs.getLong(1), null, null, rs.getBytes(2)));
                    }
                }
            }
            for (StepRow s : steps) {
                setStatus(c, s.id, decode(s.dataset), status);
            }
            return steps.size();
        });
    }

    // ================================================================== patients

    /**
     * Changes the patient attributes of a patient's OPEN worklist items (ADT A08/A31), and of the patient record.
     * Every element of {@code attributes} is set (a zero-length one clears the value); elements it lacks are
     * kept. Closed items (COMPLETED, DISCONTINUED, CANCELED) keep the demographics they were performed with.
     *
     * @throws IllegalArgumentException if {@code attributes} carries another Patient ID or issuer (use
     *                                  {@link #mergePatient})
     */
    public Results.PatientUpdate updatePatient(PatientKey patient, Attributes attributes) throws SQLException {
        Objects.requireNonNull(patient, "patient");
        Attributes update = new Attributes(attributes);
        checkSameIdentity(patient, update);
        update.remove(Tag.PatientID);
        update.remove(Tag.IssuerOfPatientID);
        return tx(c -> {
            PatientRow row = findPatient(c, patient);
            if (row == null) {
                return new Results.PatientUpdate(false, 0);
            }
            Attributes merged = Datasets.overlay(row.attributes(patient), update);
            writePatient(c, row.id, merged);
            int n = 0;
            for (StepRow s : stepsOfPatient(c, row.id, true)) {
                Attributes item = Datasets.overlay(decode(s.dataset), update);
                rewriteItem(c, s.id, item);
                n++;
            }
            return new Results.PatientUpdate(true, n);
        });
    }

    /** {@link #mergePatient(PatientKey, PatientKey, Attributes)} for two IDs of one issuer. */
    public Results.Merge mergePatient(String survivingId, String priorId, String issuer) throws SQLException {
        return mergePatient(new PatientKey(survivingId, issuer), new PatientKey(priorId, issuer), null);
    }

    /**
     * Merges the prior patient into the surviving one (ADT A40): every requested procedure of the prior patient, and
     * so every worklist item whatever its status, moves to the surviving patient and gets its patient attributes.
     * Nothing is deleted: the prior patient record stays, marked as merged. Idempotent and safe against inversion:
     * repeating a merge moves nothing more; merging A into B after B into A moves everything to B. An unknown
     * surviving patient is created (from {@code survivingAttributes}, else from the prior patient's attributes
     * with the surviving ID).
     *
     * @param survivingAttributes the surviving patient's attributes from the message (PID), or null
     */
    public Results.Merge mergePatient(PatientKey surviving, PatientKey prior, Attributes survivingAttributes)
            throws SQLException {
        Objects.requireNonNull(surviving, "surviving");
        Objects.requireNonNull(prior, "prior");
        if (survivingAttributes != null) {
            checkSameIdentity(surviving, survivingAttributes);
        }
        if (surviving.equals(prior)) {
            throw new IllegalArgumentException("a patient cannot be merged into itself");
        }
        return tx(c -> {
            PatientRow from = findPatient(c, prior);
            PatientRow to = findPatient(c, surviving);
            if (from == null) {
                return new Results.Merge(false, false, 0);
            }
            boolean created = false;
            Attributes survivorAttrs;
            if (to == null) {
                Attributes base = survivingAttributes != null ? new Attributes(survivingAttributes)
                        : new Attributes(from.attributes(prior));
                base.setString(Tag.PatientID, VR.LO, surviving.patientId());
                if (surviving.issuer().isEmpty()) {
                    base.remove(Tag.IssuerOfPatientID);
                } else {
                    base.setString(Tag.IssuerOfPatientID, VR.LO, surviving.issuer());
                }
                to = insertPatient(c, base);
                survivorAttrs = base;
                created = true;
            } else {
                survivorAttrs = survivingAttributes == null ? to.attributes(surviving)
                        : Datasets.overlay(to.attributes(surviving), survivingAttributes);
                writePatient(c, to.id, survivorAttrs);
            }
            Attributes priorAttrs = from.attributes(prior);
            List<StepRow> moving = stepsOfPatient(c, from.id, false);
            try (PreparedStatement ps = c.prepareStatement("UPDATE requested_procedure SET patient_fk = ?, "
                    + "updated_at = LOCALTIMESTAMP WHERE patient_fk = ?")) {
                ps.setLong(1, to.id);
                ps.setLong(2, from.id);
                ps.executeUpdate();
            }
            for (StepRow s : moving) {
                Attributes item = decode(s.dataset);
                for (int tag : priorAttrs.tags()) {
                    if (tag != Tag.SpecificCharacterSet) {
                        item.remove(tag);
                    }
                }
                rewriteItem(c, s.id, Datasets.overlay(item, survivorAttrs));
            }
            if (survivingAttributes != null) {
                for (StepRow s : stepsOfPatient(c, to.id, true)) {
                    if (moving.stream().noneMatch(m -> m.id == s.id)) {
                        rewriteItem(c, s.id, Datasets.overlay(decode(s.dataset), survivorAttrs));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE patient SET merged_into_fk = ?, updated_at = LOCALTIMESTAMP WHERE id = ?")) {
                ps.setLong(1, to.id);
                ps.setLong(2, from.id);
                ps.executeUpdate();
                ps.setNull(1, Types.BIGINT);
                ps.setLong(2, to.id);
                ps.executeUpdate();
            }
            LOG.info("worklist: patient merge moved {} item(s) (prior row {}, surviving row {})",
                    moving.size(), from.id, to.id);
            return new Results.Merge(true, created, moving.size());
        });
    }

    /**
     * Loads NEW orders in one transaction, without looking for existing orders: for initial loads and benchmarks
     * (a million items), not for HL7 traffic. A patient already stored (same ID and issuer) is reused and gets the
     * attributes of the last order naming it. Each order's steps get SPS Status as they carry it (SCHEDULED when
     * absent) and a Study Instance UID is generated when the order has none. Fails (and writes nothing) on any
     * constraint violation, e.g. an existing Study Instance UID. Rows are written with JDBC batches, one per table
     * (pass a few thousand orders per call).
     *
     * @return the number of steps written
     */
    public int loadNewOrders(List<WorklistOrder> orders) throws SQLException {
        Objects.requireNonNull(orders, "orders");
        return tx(c -> {
            // patients: the last order naming a patient gives its attributes (as one upsert per order would)
            Map<PatientKey, Patient> patients = new LinkedHashMap<>();
            for (WorklistOrder order : orders) {
                patients.put(order.patient().key(), order.patient());
            }
            Map<PatientKey, Long> patientIds = new HashMap<>();
            List<Patient> newPatients = new ArrayList<>();
            for (Patient p : patients.values()) {
                PatientRow row = findPatient(c, p.key());
                if (row == null) {
                    newPatients.add(p);
                } else {
                    writePatient(c, row.id, p.attributes());
                    patientIds.put(p.key(), row.id);
                }
            }
            if (!newPatients.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(INSERT_PATIENT, Statement.RETURN_GENERATED_KEYS)) {
                    for (Patient p : newPatients) {
                        bindNewPatient(ps, p.attributes());
                        ps.addBatch();
                    }
                    long[] ids = executeBatchForIds(ps, newPatients.size());
                    for (int i = 0; i < ids.length; i++) {
                        patientIds.put(newPatients.get(i).key(), ids[i]);
                    }
                }
            }
            // requested procedures
            List<RequestedProcedure> procedures = new ArrayList<>(orders.size());
            long[] rpIds;
            try (PreparedStatement ps = c.prepareStatement(INSERT_PROCEDURE, Statement.RETURN_GENERATED_KEYS)) {
                for (WorklistOrder order : orders) {
                    Attributes rpAttrs = new Attributes(order.procedure().attributes());
                    if (rpAttrs.getString(Tag.StudyInstanceUID) == null) {
                        rpAttrs.setString(Tag.StudyInstanceUID, VR.UI, newUid());
                    }
                    RequestedProcedure rp = new RequestedProcedure(order.procedure().sender(), rpAttrs);
                    procedures.add(rp);
                    bindProcedure(ps, patientIds.get(order.patient().key()), rp);
                    ps.addBatch();
                }
                rpIds = executeBatchForIds(ps, orders.size());
            }
            // steps, then their station AE rows
            List<StepColumns> steps = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(INSERT_STEP, Statement.RETURN_GENERATED_KEYS)) {
                for (int i = 0; i < orders.size(); i++) {
                    WorklistOrder order = orders.get(i);
                    for (ScheduledProcedureStep step : order.steps()) {
                        Attributes stepAttrs = new Attributes(step.attributes());
                        stepAttrs.setString(Tag.ScheduledProcedureStepStatus, VR.CS, step.status().name());
                        Attributes item = new WorklistItem(order.patient(), procedures.get(i),
                                new ScheduledProcedureStep(stepAttrs)).toAttributes();
                        steps.add(bindStep(ps, item, rpIds[i]));
                        ps.addBatch();
                    }
                }
                if (steps.isEmpty()) {
                    return 0;
                }
                long[] stepIds = executeBatchForIds(ps, steps.size());
                try (PreparedStatement ae = c.prepareStatement(INSERT_STATION_AE)) {
                    for (int i = 0; i < stepIds.length; i++) {
                        addStationAes(ae, stepIds[i], steps.get(i));
                    }
                    ae.executeBatch();
                }
            }
            return steps.size();
        });
    }

    /** Runs a batch of single-row inserts and returns the generated keys, in batch order. */
    private static long[] executeBatchForIds(PreparedStatement ps, int rows) throws SQLException {
        ps.executeBatch();
        long[] ids = new long[rows];
        int n = 0;
        try (ResultSet keys = ps.getGeneratedKeys()) {
            while (keys.next() && n < rows) {
                ids[n++] = keys.getLong(1);
            }
        }
        if (n != rows) {
            throw new SQLException("batch insert returned " + n + " generated keys for " + rows + " rows");
        }
        return ids;
    }

    // ================================================================== queries and housekeeping

    /**
     * Runs a worklist query; the answers stream from the database. Close the cursor (try-with-resources, or on
     * C-CANCEL): it holds a connection.
     */
    public WorklistCursor find(WorklistQuery query) throws SQLException {
        return WorklistCursor.open(dataSource.getConnection(), query, query.options().maxAnswers());
    }

    /** The complete stored items of an order, any status, in step order (empty if unknown). */
    public List<Attributes> items(OrderRef ref) throws SQLException {
        return tx(c -> {
            OrderRow o = findOrder(c, ref, false);
            List<Attributes> out = new ArrayList<>();
            if (o != null) {
                for (StepRow s : stepsOfOrder(c, o.id, false)) {
                    out.add(decode(s.dataset));
                }
            }
            return out;
        });
    }

    /** {@link #purgeScheduledBefore(LocalDateTime)} with the cutoff as local time in {@code zone}. */
    public Results.Purge purgeOlderThan(Instant cutoff, ZoneId zone) throws SQLException {
        return purgeScheduledBefore(LocalDateTime.ofInstant(cutoff, zone));
    }

    /**
     * Deletes steps scheduled before {@code cutoff} (SPS start is local time), then requested procedures left
     * without steps and patients left without procedures, both only if created before the cutoff; one transaction.
     * The same rule as the broker's {@code WorklistPurge}; station AE rows go with their step (ON DELETE CASCADE).
     */
    public Results.Purge purgeScheduledBefore(LocalDateTime cutoff) throws SQLException {
        Timestamp ts = Timestamp.valueOf(cutoff);
        return tx(c -> {
            int steps = update(c, "DELETE FROM scheduled_procedure_step WHERE sps_start < ?", ts);
            int procs = update(c, "DELETE FROM requested_procedure WHERE created_at < ? AND NOT EXISTS "
                    + "(SELECT 1 FROM scheduled_procedure_step s WHERE s.requested_procedure_fk = requested_procedure.id)",
                    ts);
            int patients = update(c, "DELETE FROM patient WHERE created_at < ? AND NOT EXISTS "
                    + "(SELECT 1 FROM requested_procedure r WHERE r.patient_fk = patient.id)", ts);
            return new Results.Purge(steps, procs, patients);
        });
    }

    // ================================================================== implementation: orders

    private Results.Upsert upsert(Connection c, WorklistOrder order) throws SQLException {
        RequestedProcedure rp = order.procedure();
        OrderRow existing = rp.placerOrderNumber() != null
                ? findOrder(c, OrderRef.byPlacer(rp.sender(), rp.placerOrderNumber()), true) : null;
        if (existing == null && rp.accessionNumber() != null && !order.generatedTags().contains(Tag.AccessionNumber)) {
            existing = findOrder(c, OrderRef.byAccession(rp.sender(), rp.accessionNumber()), true);
        }
        PatientRow patient = ensurePatient(c, order.patient());

        Attributes rpAttrs = new Attributes(rp.attributes());
        if (existing != null) {
            keep(rpAttrs, Tag.AccessionNumber, VR.SH, existing.accession, order);
            keep(rpAttrs, Tag.RequestedProcedureID, VR.SH, existing.requestedProcedureId, order);
            keep(rpAttrs, Tag.StudyInstanceUID, VR.UI, existing.studyInstanceUid, order);
        }
        if (rpAttrs.getString(Tag.StudyInstanceUID) == null) {
            rpAttrs.setString(Tag.StudyInstanceUID, VR.UI, newUid());
        }
        RequestedProcedure finalRp = new RequestedProcedure(rp.sender(), rpAttrs);
        long rpId = writeProcedure(c, existing == null ? null : existing.id, patient.id, finalRp);

        List<StepRow> stored = existing == null ? List.of() : stepsOfOrder(c, rpId, false);
        boolean[] used = new boolean[stored.size()];
        boolean generatedSpsIds = order.generatedTags().contains(Tag.ScheduledProcedureStepID);
        List<String> spsIds = new ArrayList<>();
        List<ScheduledProcedureStep> steps = order.steps();
        for (int i = 0; i < steps.size(); i++) {
            ScheduledProcedureStep step = steps.get(i);
            int match = -1;
            if (!generatedSpsIds && step.spsId() != null) {
                for (int k = 0; k < stored.size() && match < 0; k++) {
                    if (!used[k] && step.spsId().equals(stored.get(k).spsId)) {
                        match = k;
                    }
                }
            } else if (i < stored.size() && !used[i]) {
                match = i;
            }
            Attributes stepAttrs = new Attributes(step.attributes());
            SpsStatus status = step.status();
            if (match >= 0) {
                used[match] = true;
                StepRow old = stored.get(match);
                if (generatedSpsIds && old.spsId != null) {
                    stepAttrs.setString(Tag.ScheduledProcedureStepID, VR.SH, old.spsId);
                }
                if (step.attributes().getString(Tag.ScheduledProcedureStepStatus) == null) {
                    status = SpsStatus.of(old.status);
                }
            }
            stepAttrs.setString(Tag.ScheduledProcedureStepStatus, VR.CS, status.name());
            ScheduledProcedureStep finalStep = new ScheduledProcedureStep(stepAttrs);
            Attributes item = new WorklistItem(order.patient(), finalRp, finalStep).toAttributes();
            writeStep(c, match >= 0 ? stored.get(match).id : null, rpId, item);
            spsIds.add(finalStep.spsId());
        }
        int retired = 0;
        for (int k = 0; k < stored.size(); k++) {
            StepRow old = stored.get(k);
            if (!used[k] && SpsStatus.of(old.status).isOpen()) {
                setStatus(c, old.id, decode(old.dataset), SpsStatus.DISCONTINUED);
                retired++;
            }
        }
        String uid = finalRp.studyInstanceUid();
        LOG.info("worklist: order {} (study {}, {} step(s){})", existing == null ? "created" : "changed", uid,
                steps.size(), retired > 0 ? ", " + retired + " retired" : "");
        return new Results.Upsert(existing == null, uid, List.copyOf(spsIds), retired);
    }

    /** Keeps the stored value of {@code tag} when the message lacks it or generated it. */
    private static void keep(Attributes rp, int tag, VR vr, String stored, WorklistOrder order) {
        if (stored != null && (rp.getString(tag) == null || order.generatedTags().contains(tag))) {
            rp.setString(tag, vr, stored);
        }
    }

    /** A UID from a UUID, PS3.5 §B.2: "2.25." and the UUID as one unsigned decimal integer. */
    static String newUid() {
        UUID u = UUID.randomUUID();
        ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }

    private boolean closeOrder(Connection c, OrderRef ref, SpsStatus status) throws SQLException {
        OrderRow o = findOrder(c, ref, true);
        if (o == null) {
            return false;
        }
        int n = 0;
        for (StepRow s : stepsOfOrder(c, o.id, true)) {
            setStatus(c, s.id, decode(s.dataset), status);
            n++;
        }
        LOG.info("worklist: order {} (study {}): {} open step(s) set to {}", ref.usesPlacer() ? "by placer" : "by accession",
                o.studyInstanceUid, n, status);
        return true;
    }

    private record OrderRow(long id, String accession, String requestedProcedureId, String studyInstanceUid) {
    }

    private static OrderRow findOrder(Connection c, OrderRef ref, boolean lock) throws SQLException {
        String sql = "SELECT id, accession_number, requested_procedure_id, study_instance_uid FROM requested_procedure"
                + " WHERE sender = ? AND " + (ref.usesPlacer() ? "placer_order_number" : "accession_number") + " = ?"
                + " ORDER BY id" + (lock ? " FOR UPDATE" : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, ref.sender());
            ps.setString(2, ref.usesPlacer() ? ref.placerOrderNumber() : ref.accessionNumber());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new OrderRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4))
                        : null;
            }
        }
    }

    private static final String INSERT_PROCEDURE = "INSERT INTO requested_procedure (patient_fk, accession_number,"
            + " requested_procedure_id, study_instance_uid, placer_order_number, filler_order_number,"
            + " requested_procedure_description, sender, worklist_label) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_PROCEDURE = "UPDATE requested_procedure SET patient_fk = ?,"
            + " accession_number = ?, requested_procedure_id = ?, study_instance_uid = ?, placer_order_number = ?,"
            + " filler_order_number = ?, requested_procedure_description = ?, sender = ?, worklist_label = ?,"
            + " updated_at = LOCALTIMESTAMP WHERE id = ?";

    private static long writeProcedure(Connection c, Long id, long patientId, RequestedProcedure rp)
            throws SQLException {
        try (PreparedStatement ps = id == null ? c.prepareStatement(INSERT_PROCEDURE, Statement.RETURN_GENERATED_KEYS)
                : c.prepareStatement(UPDATE_PROCEDURE)) {
            bindProcedure(ps, patientId, rp);
            if (id != null) {
                ps.setLong(10, id);
                ps.executeUpdate();
                return id;
            }
            ps.executeUpdate();
            return generatedId(ps);
        }
    }

    /** Parameters 1-9 of {@link #INSERT_PROCEDURE} and {@link #UPDATE_PROCEDURE}. */
    private static void bindProcedure(PreparedStatement ps, long patientId, RequestedProcedure rp)
            throws SQLException {
        ps.setLong(1, patientId);
        ps.setString(2, rp.accessionNumber());
        ps.setString(3, rp.requestedProcedureId());
        ps.setString(4, rp.studyInstanceUid());
        ps.setString(5, rp.placerOrderNumber());
        ps.setString(6, rp.fillerOrderNumber());
        ps.setString(7, cut(rp.description(), 64));
        ps.setString(8, rp.sender());
        ps.setString(9, rp.worklistLabel());
    }

    // ================================================================== implementation: steps

    private record StepRow(long id, String spsId, String status, byte[] dataset) {
    }

    private static List<StepRow> stepsOfOrder(Connection c, long rpId, boolean openOnly) throws SQLException {
        return steps(c, "SELECT s.id, s.sps_id, s.status, s.dataset FROM scheduled_procedure_step s"
                + " WHERE s.requested_procedure_fk = ?" + (openOnly ? " AND s.status IN " + OPEN_STATUSES : "")
                + " ORDER BY s.id FOR UPDATE", rpId);
    }

    private static List<StepRow> stepsOfPatient(Connection c, long patientRowId, boolean openOnly)
            throws SQLException {
        return steps(c, "SELECT s.id, s.sps_id, s.status, s.dataset FROM scheduled_procedure_step s"
                + " WHERE s.requested_procedure_fk IN (SELECT r.id FROM requested_procedure r WHERE r.patient_fk = ?)"
                + (openOnly ? " AND s.status IN " + OPEN_STATUSES : "") + " ORDER BY s.id FOR UPDATE", patientRowId);
    }

    private static List<StepRow> steps(Connection c, String sql, long key) throws SQLException {
        List<StepRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StepRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4)));
                }
            }
        }
        return out;
    }

    private static final String INSERT_STEP = "INSERT INTO scheduled_procedure_step (sps_id, modality,"
            + " scheduled_station_ae_title, scheduled_station_name, sps_start, sps_description,"
            + " performing_physician_name, status, dataset, patient_id, issuer_of_patient_id, patient_name,"
            + " patient_name_norm, sps_location, requested_procedure_fk) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?)";
    private static final String UPDATE_STEP = "UPDATE scheduled_procedure_step SET sps_id = ?, modality = ?,"
            + " scheduled_station_ae_title = ?, scheduled_station_name = ?, sps_start = ?, sps_description = ?,"
            + " performing_physician_name = ?, status = ?, dataset = ?, patient_id = ?, issuer_of_patient_id = ?,"
            + " patient_name = ?, patient_name_norm = ?, sps_location = ?, requested_procedure_fk = ?,"
            + " updated_at = LOCALTIMESTAMP WHERE id = ?";
    private static final String INSERT_STATION_AE =
            "INSERT INTO step_station_ae (step_fk, ae_title, sps_start) VALUES (?, ?, ?)";

    /** What the station AE rows of a step need once the step has its id. */
    private record StepColumns(List<String> stationAes, Timestamp start) {
    }

    /** Inserts or updates a step row from its complete item, and its station AE rows. */
    private static void writeStep(Connection c, Long id, long rpId, Attributes item) throws SQLException {
        StepColumns cols;
        long stepId;
        try (PreparedStatement ps = id == null ? c.prepareStatement(INSERT_STEP, Statement.RETURN_GENERATED_KEYS)
                : c.prepareStatement(UPDATE_STEP)) {
            cols = bindStep(ps, item, rpId);
            if (id != null) {
                ps.setLong(16, id);
                ps.executeUpdate();
                stepId = id;
            } else {
                ps.executeUpdate();
                stepId = generatedId(ps);
            }
        }
        if (id != null) {
            update(c, "DELETE FROM step_station_ae WHERE step_fk = ?", stepId);
        }
        if (!cols.stationAes().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(INSERT_STATION_AE)) {
                addStationAes(ps, stepId, cols);
                ps.executeBatch();
            }
        }
    }

    /** Parameters 1-15 of {@link #INSERT_STEP} and {@link #UPDATE_STEP} from the complete item. */
    private static StepColumns bindStep(PreparedStatement ps, Attributes item, long rpId) throws SQLException {
        Attributes sps = item.getSequence(Tag.ScheduledProcedureStepSequence).get(0);
        ScheduledProcedureStep step = new ScheduledProcedureStep(sps);
        Timestamp start = Timestamp.valueOf(step.start());
        List<String> aes = step.stationAeTitles();
        ps.setString(1, step.spsId());
        ps.setString(2, step.modality());
        ps.setString(3, aes.isEmpty() ? null : aes.get(0));
        ps.setString(4, cut(step.stationName(), 16));
        ps.setTimestamp(5, start);
        ps.setString(6, cut(sps.getString(Tag.ScheduledProcedureStepDescription), 64));
        ps.setString(7, cut(step.performingPhysician(), 194));
        ps.setString(8, step.status().name());
        ps.setBytes(9, DatasetCodec.encode(item, TS));
        setPatientColumns(ps, 10, item);
        ps.setString(14, step.location());
        ps.setLong(15, rpId);
        return new StepColumns(aes, start);
    }

    /** Adds one {@link #INSERT_STATION_AE} row per station AE title of a step to the batch. */
    private static void addStationAes(PreparedStatement ps, long stepId, StepColumns cols) throws SQLException {
        for (String ae : cols.stationAes()) {
            ps.setLong(1, stepId);
            ps.setString(2, ae);
            ps.setTimestamp(3, cols.start());
            ps.addBatch();
        }
    }

    /** Columns patient_id, issuer_of_patient_id, patient_name, patient_name_norm from the item. */
    private static void setPatientColumns(PreparedStatement ps, int first, Attributes item) throws SQLException {
        String issuer = item.getString(Tag.IssuerOfPatientID);
        String[] names = item.getStrings(Tag.PatientName);
        String name = names.length == 0 || names[0].isEmpty() ? null : names[0];
        ps.setString(first, item.getString(Tag.PatientID));
        ps.setString(first + 1, issuer == null ? "" : issuer);
        ps.setString(first + 2, name);
        ps.setString(first + 3, name == null ? null : PersonNames.normalized(name));
    }

    /** Rewrites a step's item after a patient change: dataset and patient columns. */
    private static void rewriteItem(Connection c, long stepId, Attributes item) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE scheduled_procedure_step SET dataset = ?,"
                + " patient_id = ?, issuer_of_patient_id = ?, patient_name = ?, patient_name_norm = ?,"
                + " updated_at = LOCALTIMESTAMP WHERE id = ?")) {
            ps.setBytes(1, DatasetCodec.encode(item, TS));
            setPatientColumns(ps, 2, item);
            ps.setLong(6, stepId);
            ps.executeUpdate();
        }
    }

    /** Sets SPS Status (0040,0020) in the item and the status column. */
    private static void setStatus(Connection c, long stepId, Attributes item, SpsStatus status) throws SQLException {
        Sequence seq = item.getSequence(Tag.ScheduledProcedureStepSequence);
        if (seq != null) {
            for (Attributes sps : seq) {
                sps.setString(Tag.ScheduledProcedureStepStatus, VR.CS, status.name());
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE scheduled_procedure_step SET status = ?, dataset = ?,"
                + " updated_at = LOCALTIMESTAMP WHERE id = ?")) {
            ps.setString(1, status.name());
            ps.setBytes(2, DatasetCodec.encode(item, TS));
            ps.setLong(3, stepId);
            ps.executeUpdate();
        }
    }

    // ================================================================== implementation: patients

    private record PatientRow(long id, byte[] dataset) {
        /** The stored patient attributes (a minimal set for rows written before V2). */
        Attributes attributes(PatientKey key) throws SQLException {
            if (dataset != null) {
                return decode(dataset);
            }
            Attributes a = new Attributes();
            a.setString(Tag.PatientID, VR.LO, key.patientId());
            if (!key.issuer().isEmpty()) {
                a.setString(Tag.IssuerOfPatientID, VR.LO, key.issuer());
            }
            return a;
        }
    }

    private static PatientRow findPatient(Connection c, PatientKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, dataset FROM patient"
                + " WHERE patient_id = ? AND issuer_of_patient_id = ? FOR UPDATE")) {
            ps.setString(1, key.patientId());
            ps.setString(2, key.issuer());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new PatientRow(rs.getLong(1), rs.getBytes(2)) : null;
            }
        }
    }

    /** Finds or creates the patient of an order and records its attributes as received. */
    private static PatientRow ensurePatient(Connection c, Patient p) throws SQLException {
        PatientRow row = findPatient(c, p.key());
        if (row == null) {
            return insertPatient(c, p.attributes());
        }
        writePatient(c, row.id, p.attributes());
        return row;
    }

    private static final String INSERT_PATIENT = "INSERT INTO patient (patient_id, issuer_of_patient_id,"
            + " patient_name, patient_birth_date, patient_sex, dataset) VALUES (?, ?, ?, ?, ?, ?)";

    private static PatientRow insertPatient(Connection c, Attributes attrs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_PATIENT, Statement.RETURN_GENERATED_KEYS)) {
            bindNewPatient(ps, attrs);
            ps.executeUpdate();
            return new PatientRow(generatedId(ps), null);
        }
    }

    /** Parameters of {@link #INSERT_PATIENT}. */
    private static void bindNewPatient(PreparedStatement ps, Attributes attrs) throws SQLException {
        Patient p = new Patient(attrs);
        ps.setString(1, p.patientId());
        ps.setString(2, p.issuer());
        setDemographics(ps, 3, attrs);
    }

    private static void writePatient(Connection c, long id, Attributes attrs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE patient SET patient_name = ?, patient_birth_date = ?,"
                + " patient_sex = ?, dataset = ?, updated_at = LOCALTIMESTAMP WHERE id = ?")) {
            setDemographics(ps, 1, attrs);
            ps.setLong(5, id);
            ps.executeUpdate();
        }
    }

    private static void setDemographics(PreparedStatement ps, int first, Attributes attrs) throws SQLException {
        String[] names = attrs.getStrings(Tag.PatientName);
        String birth = attrs.getString(Tag.PatientBirthDate);
        ps.setString(first, names.length == 0 || names[0].isEmpty() ? null : cut(names[0], 194));
        ps.setString(first + 1, birth != null && birth.length() == 8 ? birth : null);
        ps.setString(first + 2, cut(attrs.getString(Tag.PatientSex), 16));
        ps.setBytes(first + 3, DatasetCodec.encode(attrs, TS));
    }

    private static void checkSameIdentity(PatientKey key, Attributes attrs) {
        String id = attrs.getString(Tag.PatientID);
        String issuer = attrs.getString(Tag.IssuerOfPatientID);
        if (id != null && !id.equals(key.patientId()) || issuer != null && !issuer.equals(key.issuer())) {
            throw new IllegalArgumentException("attributes name another patient; a change of ID is a merge");
        }
    }

    // ================================================================== plumbing

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction, committed before returning; retried once on a conflict. */
    private <T> T tx(Work<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                boolean auto = c.getAutoCommit();
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    if (attempt == 1 && e instanceof SQLException se && isConflict(se)) {
                        LOG.info("worklist: transaction conflict ({}), retrying once", se.getSQLState());
                        continue;
                    }
                    throw e;
                } finally {
                    c.setAutoCommit(auto);
                }
            }
        }
    }

    private static boolean isConflict(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.equals("23505") || state.equals("40001") || state.startsWith("40P"));
    }

    private static int update(Connection c, String sql, Object param) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            return ps.executeUpdate();
        }
    }

    private static long generatedId(PreparedStatement ps) throws SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("no generated key");
            }
            return keys.getLong(1);
        }
    }

    static Attributes decode(byte[] dataset) throws SQLException {
        try {
            return DatasetCodec.decode(dataset, TS);
        } catch (DicomStreamException e) {
            throw new SQLException("undecodable worklist data set: " + e.getMessage(), e);
        }
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
