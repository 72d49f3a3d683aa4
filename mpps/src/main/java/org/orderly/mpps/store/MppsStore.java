package org.orderly.mpps.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.io.DatasetCodec;
import org.orderly.dicom.io.DicomStreamException;
import org.orderly.dicom.io.TransferSyntax;
import org.orderly.dicom.net.dimse.Status;
import org.orderly.dicom.net.service.DicomServiceException;
import org.orderly.mpps.MppsStatus;
import org.orderly.mwl.model.SpsStatus;

/**
 * MPPS instances, their link to the worklist, and the outbox, over the broker's database (tables of
 * {@code sql/V4__mpps.sql}; the worklist tables of V1/V2 are read and their step status written).
 *
 * <p>"An acknowledgement means durably committed": {@link #create} and {@link #set} store the instance, change the
 * status of the worklist steps it performs and append the outbox row ({@code mpps_event}) in ONE transaction, which
 * is committed before they return, i.e. before the DIMSE response is sent. A crash before the commit loses the
 * request and the modality gets no success (it retries); after it, the relay finds the outbox row.
 */
public final class MppsStore {

    private static final TransferSyntax TS = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;

    private final DataSource dataSource;

    public MppsStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** What a create or set committed. */
    public record Committed(MppsRecord instance, MppsEvent event) {
    }

    // ================================================================== N-CREATE / N-SET / N-GET

    /**
     * Stores a new instance (status IN PROGRESS, already validated), links it to the worklist steps its Scheduled
     * Step Attributes Sequence names, sets them STARTED and appends the outbox row.
     *
     * @throws DicomServiceException 0111 Duplicate SOP Instance (PS3.7 §C.5.x) when the UID exists
     */
    public Committed create(String iuid, Attributes attributes, String callingAe, MppsStatus status)
            throws SQLException, DicomServiceException {
        return tx(c -> {
            if (exists(c, iuid)) {
                throw new DicomServiceException(Status.DUPLICATE_SOP_INSTANCE, "MPPS instance exists already");
            }
            Attributes stored = new Attributes(attributes);
            stored.setString(Tag.SOPClassUID, VR.UI, org.orderly.dicom.data.UID.ModalityPerformedProcedureStep);
            stored.setString(Tag.SOPInstanceUID, VR.UI, iuid);
            List<StepMatch> steps = ScheduledStepMatcher.match(c, attributes.getSequence(Tag.ScheduledStepAttributesSequence));
            long now = System.currentTimeMillis();
            Attributes first = firstItem(attributes);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mpps (sop_instance_uid, status, pps_id,"
                    + " performed_station_ae, calling_ae, study_instance_uid, accession_number, unscheduled, dataset,"
                    + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, iuid);
                ps.setString(2, status.term());
                ps.setString(3, cut(attributes.getString(Tag.PerformedProcedureStepID), 16));
                ps.setString(4, cut(attributes.getString(Tag.PerformedStationAETitle), 16));
                ps.setString(5, cut(callingAe, 16));
                ps.setString(6, first == null ? null : cut(first.getString(Tag.StudyInstanceUID), 64));
                ps.setString(7, first == null ? null : cut(first.getString(Tag.AccessionNumber), 16));
                ps.setBoolean(8, steps.isEmpty());
                ps.setBytes(9, DatasetCodec.encode(stored, TS));
                ps.setLong(10, now);
                ps.setLong(11, now);
                ps.executeUpdate();
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) { // a concurrent N-CREATE of the same UID won the race
                    throw new DicomServiceException(Status.DUPLICATE_SOP_INSTANCE, "MPPS instance exists already");
                }
                throw e;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO mpps_step (mpps_uid, step_fk, requested_procedure_fk) VALUES (?, ?, ?)")) {
                for (StepMatch s : steps) {
                    ps.setString(1, iuid);
                    ps.setLong(2, s.stepId());
                    ps.setLong(3, s.requestedProcedureId());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            setStepStatus(c, steps, status.spsStatus());
            MppsEvent event = appendEvent(c, iuid, MppsEvent.N_CREATE, status, null, callingAe, attributes, now);
            return new Committed(new MppsRecord(iuid, status, callingAe, steps.isEmpty(), stored, now, now), event);
        });
    }

    /** The N-SET step: given the stored instance, returns the status after the modifications (validates them). */
    @FunctionalInterface
    public interface SetRule {
        MppsStatus apply(Attributes stored, Attributes modifications) throws DicomServiceException;
    }

    /**
     * Applies a Modification List under a row lock: validates it with {@code rule}, stores the merged instance,
     * moves the linked steps to the new status' SPS status if the status changed, and appends the outbox row.
     *
     * @throws DicomServiceException 0112 No Such SOP Instance, or whatever {@code rule} throws
     */
    public Committed set(String iuid, Attributes modifications, String callingAe, SetRule rule)
            throws SQLException, DicomServiceException {
        return tx(c -> {
            MppsRecord current = load(c, iuid, true)
                    .orElseThrow(() -> new DicomServiceException(Status.NO_SUCH_SOP_INSTANCE, "no such MPPS instance"));
            MppsStatus next = rule.apply(current.attributes(), modifications);
            Attributes merged = new Attributes(current.attributes());
            merged.addAll(modifications);
            // "The N-SET value for Specific Character Set does not replace the previous value" (PS3.4 F.7.2.2.3)
            String createCharset = current.attributes().getString(Tag.SpecificCharacterSet);
            if (createCharset == null) {
                merged.remove(Tag.SpecificCharacterSet);
            } else {
                merged.setString(Tag.SpecificCharacterSet, VR.CS, current.attributes().getStrings(Tag.SpecificCharacterSet));
            }
            long now = System.currentTimeMillis();
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE mpps SET status = ?, dataset = ?, updated_at = ? WHERE sop_instance_uid = ?")) {
                ps.setString(1, next.term());
                ps.setBytes(2, DatasetCodec.encode(merged, TS));
                ps.setLong(3, now);
                ps.setString(4, iuid);
                ps.executeUpdate();
            }
            if (next != current.status()) {
                setStepStatus(c, linkedSteps(c, iuid), next.spsStatus());
            }
            MppsEvent event = appendEvent(c, iuid, MppsEvent.N_SET, next, current.status(), callingAe, modifications, now);
            return new Committed(new MppsRecord(iuid, next, current.callingAe(), current.unscheduled(), merged,
                    current.createdAt(), now), event);
        });
    }

    public Optional<MppsRecord> get(String iuid) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return load(c, iuid, false);
        } catch (DicomServiceException e) {
            throw new SQLException(e.getMessage(), e);
        }
    }

    /** Unscheduled MPPS (no worklist step matched), newest first. */
    public List<MppsRecord> unscheduled(int limit) throws SQLException {
        List<MppsRecord> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT sop_instance_uid, status, calling_ae, unscheduled, dataset, created_at, updated_at FROM mpps"
                        + " WHERE unscheduled = TRUE ORDER BY created_at DESC LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(record(rs));
                }
            }
        }
        return out;
    }

    // ================================================================== outbox

    /** Outbox rows not yet published, oldest first. */
    public List<MppsEvent> unpublished(int limit) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, mpps_uid, operation, status, previous_status, calling_ae, attributes, created_at"
                        + " FROM mpps_event WHERE published_at IS NULL ORDER BY id LIMIT ?")) {
            ps.setInt(1, limit);
            return events(ps);
        }
    }

    public Optional<MppsEvent> event(long id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, mpps_uid, operation, status, previous_status, calling_ae, attributes, created_at"
                        + " FROM mpps_event WHERE id = ?")) {
            ps.setLong(1, id);
            return events(ps).stream().findFirst();
        }
    }

    public void markPublished(List<Long> ids) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE mpps_event SET published_at = ? WHERE id = ?")) {
            long now = System.currentTimeMillis();
            for (long id : ids) {
                ps.setLong(1, now);
                ps.setLong(2, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    // ================================================================== orders

    /**
     * The orders an MPPS performs, as the RIS sent them (one per requested procedure, in link order); for an
     * unscheduled MPPS one entry built from the MPPS itself.
     */
    public List<OrderIdentifiers> orders(String mppsUid) throws SQLException {
        Map<Long, OrderIdentifiers> byProcedure = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT r.id, r.placer_order_number, r.filler_order_number, r.accession_number,"
                        + " r.requested_procedure_id, r.study_instance_uid, s.sps_id, s.patient_id,"
                        + " s.issuer_of_patient_id, r.sender FROM mpps_step m"
                        + " JOIN scheduled_procedure_step s ON s.id = m.step_fk"
                        + " JOIN requested_procedure r ON r.id = m.requested_procedure_fk"
                        + " WHERE m.mpps_uid = ? ORDER BY r.id, s.id")) {
            ps.setString(1, mppsUid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long rp = rs.getLong(1);
                    byProcedure.putIfAbsent(rp, new OrderIdentifiers("rp:" + rp, rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.getString(9), rs.getString(10), true));
                }
            }
        }
        if (!byProcedure.isEmpty()) {
            return List.copyOf(byProcedure.values());
        }
        MppsRecord r = get(mppsUid).orElse(null);
        if (r == null) {
            return List.of();
        }
        Attributes a = r.attributes();
        Attributes item = firstItem(a);
        return List.of(new OrderIdentifiers("mpps:" + mppsUid,
                item == null ? null : blankToNull(item.getString(Tag.PlacerOrderNumberImagingServiceRequest)),
                item == null ? null : blankToNull(item.getString(Tag.FillerOrderNumberImagingServiceRequest)),
                item == null ? null : blankToNull(item.getString(Tag.AccessionNumber)),
                item == null ? null : blankToNull(item.getString(Tag.RequestedProcedureID)),
                item == null ? null : blankToNull(item.getString(Tag.StudyInstanceUID)),
                item == null ? null : blankToNull(item.getString(Tag.ScheduledProcedureStepID)),
                blankToNull(a.getString(Tag.PatientID)), blankToNull(a.getString(Tag.IssuerOfPatientID)), null, false));
    }

    /** A worklist step an MPPS is linked to: its SPS ID (0040,0009) and Scheduled Station AE Title (0040,0001). */
    public record LinkedStep(String spsId, String stationAe) {
    }

    /** The worklist steps an MPPS performs (empty when unscheduled), in link order. */
    public List<LinkedStep> linkedSteps(String mppsUid) throws SQLException {
        List<LinkedStep> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT s.sps_id, s.scheduled_station_ae_title FROM mpps_step m"
                        + " JOIN scheduled_procedure_step s ON s.id = m.step_fk WHERE m.mpps_uid = ? ORDER BY s.id")) {
            ps.setString(1, mppsUid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new LinkedStep(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return out;
    }

    /** SOP Instance UIDs the MPPS references in its Performed Series Sequence (images and other instances). */
    public static List<String> referencedInstances(Attributes mpps) {
        List<String> out = new ArrayList<>();
        Sequence series = mpps.getSequence(Tag.PerformedSeriesSequence);
        if (series != null) {
            for (Attributes s : series) {
                for (int seqTag : new int[] {Tag.ReferencedImageSequence,
                        Tag.ReferencedNonImageCompositeSOPInstanceSequence}) {
                    Sequence refs = s.getSequence(seqTag);
                    if (refs != null) {
                        for (Attributes ref : refs) {
                            String iuid = ref.getString(Tag.ReferencedSOPInstanceUID);
                            if (iuid != null && !iuid.isBlank()) {
                                out.add(iuid.strip());
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    // ================================================================== implementation

    private static Attributes firstItem(Attributes a) {
        Sequence ssas = a.getSequence(Tag.ScheduledStepAttributesSequence);
        return ssas == null || ssas.isEmpty() ? null : ssas.get(0);
    }

    private static boolean exists(Connection c, String iuid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM mpps WHERE sop_instance_uid = ?")) {
            ps.setString(1, iuid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Optional<MppsRecord> load(Connection c, String iuid, boolean forUpdate)
            throws SQLException, DicomServiceException {
        try (PreparedStatement ps = c.prepareStatement("SELECT sop_instance_uid, status, calling_ae, unscheduled,"
                + " dataset, created_at, updated_at FROM mpps WHERE sop_instance_uid = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, iuid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(record(rs)) : Optional.empty();
            }
        }
    }

    private static MppsRecord record(ResultSet rs) throws SQLException {
        return new MppsRecord(rs.getString(1), MppsStatus.of(rs.getString(2)).orElseThrow(), rs.getString(3),
                rs.getBoolean(4), decode(rs.getBytes(5)), rs.getLong(6), rs.getLong(7));
    }

    private static List<StepMatch> linkedSteps(Connection c, String iuid) throws SQLException {
        List<StepMatch> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT step_fk, requested_procedure_fk FROM mpps_step WHERE mpps_uid = ? ORDER BY step_fk")) {
            ps.setString(1, iuid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StepMatch(rs.getLong(1), rs.getLong(2)));
                }
            }
        }
        return out;
    }

    /**
     * Sets SPS Status (0040,0020) of steps in the column and in the stored item, inside the caller's transaction.
     * The same as WorklistStore's private setStatus; it belongs in mwl as a public, transaction-joining method.
     */
    private static void setStepStatus(Connection c, List<StepMatch> steps, SpsStatus status) throws SQLException {
        for (StepMatch s : steps) {
            byte[] bytes;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT dataset FROM scheduled_procedure_step WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, s.stepId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        continue; // purged meanwhile
                    }
                    bytes = rs.getBytes(1);
                }
            }
            Attributes item = decode(bytes);
            Sequence seq = item.getSequence(Tag.ScheduledProcedureStepSequence);
            if (seq != null) {
                for (Attributes sps : seq) {
                    sps.setString(Tag.ScheduledProcedureStepStatus, VR.CS, status.name());
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE scheduled_procedure_step SET status = ?,"
                    + " dataset = ?, updated_at = LOCALTIMESTAMP WHERE id = ?")) {
                ps.setString(1, status.name());
                ps.setBytes(2, DatasetCodec.encode(item, TS));
                ps.setLong(3, s.stepId());
                ps.executeUpdate();
            }
        }
    }

    private static MppsEvent appendEvent(Connection c, String iuid, String op, MppsStatus status, MppsStatus previous,
            String callingAe, Attributes attributes, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mpps_event (mpps_uid, operation, status,"
                + " previous_status, calling_ae, attributes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                java.sql.Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, iuid);
            ps.setString(2, op);
            ps.setString(3, status.term());
            ps.setString(4, previous == null ? null : previous.term());
            ps.setString(5, cut(callingAe, 16));
            ps.setBytes(6, DatasetCodec.encode(attributes, TS));
            ps.setLong(7, now);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return new MppsEvent(keys.getLong(1), iuid, op, status, previous, callingAe, attributes, now);
            }
        }
    }

    private static List<MppsEvent> events(PreparedStatement ps) throws SQLException {
        List<MppsEvent> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String prev = rs.getString(5);
                out.add(new MppsEvent(rs.getLong(1), rs.getString(2), rs.getString(3),
                        MppsStatus.of(rs.getString(4)).orElseThrow(),
                        prev == null ? null : MppsStatus.of(prev).orElseThrow(), rs.getString(6),
                        decode(rs.getBytes(7)), rs.getLong(8)));
            }
        }
        return out;
    }

    static Attributes decode(byte[] bytes) throws SQLException {
        try {
            return DatasetCodec.decode(bytes, TS);
        } catch (DicomStreamException e) {
            throw new SQLException("stored data set does not decode: " + e.getMessage(), e);
        }
    }

    private static String cut(String s, int max) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.length() <= max ? t : t.substring(0, max);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException, DicomServiceException;
    }

    /** One transaction, committed before returning; rolled back on any failure (a DIMSE failure included). */
    private <T> T tx(Work<T> work) throws SQLException, DicomServiceException {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | DicomServiceException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }
}
