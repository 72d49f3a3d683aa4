package org.orderly.hl7.intake;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.ElementDictionary;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;
import org.orderly.hl7.ack.ErrorLocation;
import org.orderly.hl7.mapping.MappedMerge;
import org.orderly.hl7.mapping.MappedOrder;
import org.orderly.hl7.mapping.MappedPatient;
import org.orderly.mwl.model.Patient;
import org.orderly.mwl.model.PatientKey;
import org.orderly.mwl.model.RequestedProcedure;
import org.orderly.mwl.model.ScheduledProcedureStep;
import org.orderly.mwl.model.SpsStatus;
import org.orderly.mwl.model.WorklistOrder;
import org.orderly.mwl.store.OrderRef;
import org.orderly.mwl.store.WorklistStore;

/**
 * {@link WorklistWriter} over the module mwl's {@link WorklistStore}: turns the mapping's DICOM
 * keyword paths into {@link Attributes} and runs each store call inside the intake's transaction
 * through a {@link TransactionBoundDataSource} (the store commits per call; joined, its commit is
 * the intake's one commit).
 *
 * <p>Answers AE 204 Unknown key identifier (HL7 table 0357) for a change, cancel, discontinue or
 * status of an order the store does not know (ERR-2 at ORC-2, the placer order number), an
 * ADT^A08/A31 of an unknown patient (PID-3) and an A40 whose prior patient is unknown (MRG-1).
 */
public final class MwlWorklistWriter implements WorklistWriter {

    private final TransactionBoundDataSource dataSource;
    private final WorklistStore store;
    /** Keyword path to tag path, filled on first use: no dictionary lookups per message after warm-up. */
    private final Map<String, int[]> paths = new ConcurrentHashMap<>();

    /** @param pool the broker's connection pool; the store gets a {@link TransactionBoundDataSource} over it */
    public MwlWorklistWriter(DataSource pool) {
        this.dataSource = new TransactionBoundDataSource(pool);
        this.store = new WorklistStore(dataSource);
    }

    /** The store this writer writes to (its queries run on the plain pool outside the intake). */
    public WorklistStore store() {
        return store;
    }

    @Override
    public void applyOrder(Connection tx, MappedOrder order, Origin origin) throws NotApplicableException, SQLException {
        OrderRef ref = ref(order, origin);
        switch (order.action()) {
            case NEW -> join(tx, () -> store.upsertOrder(worklistOrder(order, origin)));
            case CHANGE -> {
                requireKnown(tx, ref, order);
                join(tx, () -> store.upsertOrder(worklistOrder(order, origin)));
            }
            case CANCEL -> {
                if (!join(tx, () -> store.cancelOrder(ref))) {
                    throw unknownOrder(order);
                }
            }
            case DISCONTINUE -> {
                if (!join(tx, () -> store.discontinueOrder(ref))) {
                    throw unknownOrder(order);
                }
            }
            case STATUS -> {
                List<Attributes> items = join(tx, () -> store.items(ref));
                if (items.isEmpty()) {
                    throw unknownOrder(order);
                }
                String status = order.steps().isEmpty() ? "" : order.step(0, "ScheduledProcedureStepStatus");
                if (!status.isEmpty()) {
                    SpsStatus s = SpsStatus.of(status);
                    for (Attributes item : items) {
                        String uid = item.getString(Tag.StudyInstanceUID);
                        Sequence seq = item.getSequence(Tag.ScheduledProcedureStepSequence);
                        String spsId = seq == null || seq.isEmpty() ? null : seq.get(0).getString(Tag.ScheduledProcedureStepID);
                        if (spsId != null) {
                            join(tx, () -> store.updateStepStatus(uid, spsId, s));
                        }
                    }
                }
            }
            default -> throw new IllegalStateException("unhandled action " + order.action());
        }
    }

    @Override
    public void updatePatient(Connection tx, MappedPatient patient, Origin origin) throws NotApplicableException, SQLException {
        PatientKey key = new PatientKey(patient.patientId(), patient.issuerOfPatientId());
        Attributes attrs = attributes(patient.attributes());
        boolean known = join(tx, () -> store.updatePatient(key, attrs)).patientKnown();
        if (!known) {
            throw NotApplicableException.unknownKey(new ErrorLocation("PID", 1, 3, 1, 1, 0),
                    "patient update: no patient with this PID-3 patient ID is known (HL7 table 0357: 204)");
        }
    }

    @Override
    public void mergePatient(Connection tx, MappedMerge merge, Origin origin) throws NotApplicableException, SQLException {
        PatientKey surviving = new PatientKey(merge.survivingPatientId(), merge.surviving().getOrDefault("IssuerOfPatientID", ""));
        PatientKey prior = new PatientKey(merge.priorPatientId(), merge.prior().getOrDefault("IssuerOfPatientID", ""));
        Attributes attrs = attributes(merge.surviving());
        boolean priorKnown = join(tx, () -> store.mergePatient(surviving, prior, attrs)).priorKnown();
        if (!priorKnown) {
            throw NotApplicableException.unknownKey(new ErrorLocation("MRG", 1, 1, 1, 1, 0),
                    "merge: the prior patient (MRG-1) is not known (HL7 table 0357: 204)");
        }
    }

    private void requireKnown(Connection tx, OrderRef ref, MappedOrder order) throws NotApplicableException, SQLException {
        if (join(tx, () -> store.items(ref)).isEmpty()) {
            throw unknownOrder(order);
        }
    }

    private static NotApplicableException unknownOrder(MappedOrder order) {
        return NotApplicableException.unknownKey(new ErrorLocation("ORC", 1, 2, 1, 1, 0),
                "order control " + order.orderControl() + ": no order with this placer order number (ORC-2) "
                        + "or accession number from this sender (HL7 table 0357: 204)");
    }

    private static OrderRef ref(MappedOrder order, Origin origin) {
        String placer = order.placerOrderNumber();
        return placer.isEmpty() ? OrderRef.byAccession(origin.sender(), order.get("AccessionNumber"))
                : OrderRef.byPlacer(origin.sender(), placer);
    }

    private WorklistOrder worklistOrder(MappedOrder order, Origin origin) {
        List<Map<String, String>> all = new ArrayList<>(order.steps());
        all.add(order.patient());
        all.add(order.requestedProcedure());
        String charset = specificCharacterSet(all); // one (0008,0005) for the whole item
        Patient patient = new Patient(attributes(order.patient(), charset));
        Attributes rp = attributes(order.requestedProcedure(), charset);
        if (!order.placerOrderNumber().isEmpty() && rp.getString(Tag.PlacerOrderNumberImagingServiceRequest) == null) {
            rp.setString(Tag.PlacerOrderNumberImagingServiceRequest, VR.LO, order.placerOrderNumber());
        }
        if (!order.fillerOrderNumber().isEmpty() && rp.getString(Tag.FillerOrderNumberImagingServiceRequest) == null) {
            rp.setString(Tag.FillerOrderNumberImagingServiceRequest, VR.LO, order.fillerOrderNumber());
        }
        List<ScheduledProcedureStep> steps = new ArrayList<>();
        for (Map<String, String> s : order.steps()) {
            steps.add(new ScheduledProcedureStep(attributes(s, charset)));
        }
        Set<Integer> generated = new HashSet<>();
        for (String k : order.generated()) {
            int tag = ElementDictionary.tagOf(k);
            if (tag != -1) {
                generated.add(tag);
            }
        }
        return new WorklistOrder(patient, new RequestedProcedure(origin.sender(), rp), steps, generated);
    }

    /** Keyword paths ({@code Seq.Keyword}, one item per sequence) to a data set; {@code \} separates values. */
    Attributes attributes(Map<String, String> values) {
        return attributes(values, specificCharacterSet(List.of(values)));
    }

    Attributes attributes(Map<String, String> values, String charset) {
        Attributes a = new Attributes();
        if (charset != null) {
            a.setString(Tag.SpecificCharacterSet, VR.CS, charset);
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            int[] tags = paths.computeIfAbsent(e.getKey(), MwlWorklistWriter::tagPath);
            if (tags.length == 0) {
                continue; // not a DICOM keyword: the mapping loader refuses those, so never in practice
            }
            Attributes item = a;
            for (int i = 0; i < tags.length - 1; i++) {
                Sequence seq = item.getSequence(tags[i]);
                if (seq == null) {
                    seq = item.newSequence(tags[i]);
                }
                item = seq.isEmpty() ? seq.addNewItem() : seq.get(0);
            }
            int tag = tags[tags.length - 1];
            VR vr = ElementDictionary.implicitVR(tag);
            String v = e.getValue();
            try {
                switch (vr) {
                    case ST, LT, UT -> item.setString(tag, vr, v);
                    case US, SS, UL, SL -> item.setInt(tag, vr, Integer.parseInt(v.trim()));
                    case UV, SV -> item.setLong(tag, vr, Long.parseLong(v.trim()));
                    case FL, FD -> item.setDouble(tag, vr, Double.parseDouble(v.trim()));
                    default -> item.setString(tag, vr, v.split("\\\\", -1));
                }
            } catch (NumberFormatException ex) {
                // a binary VR whose mapped value is not a number: left out rather than stored wrong
            }
        }
        return a;
    }

    /**
     * (0008,0005) for the values: none when all are ASCII (the default repertoire), ISO_IR 100
     * when Latin-1 covers them, else ISO_IR 192 (UTF-8) (PS3.3 §C.12.1.1.2, Table C.12-2).
     */
    static String specificCharacterSet(List<Map<String, String>> maps) {
        int max = 0;
        for (Map<String, String> values : maps) {
            for (String v : values.values()) {
                for (int i = 0; i < v.length(); i++) {
                    max = Math.max(max, v.charAt(i));
                }
            }
        }
        return max < 0x80 ? null : max <= 0xFF ? "ISO_IR 100" : "ISO_IR 192";
    }

    private static int[] tagPath(String path) {
        String[] parts = path.split("\\.");
        int[] tags = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            tags[i] = ElementDictionary.tagOf(parts[i]);
            if (tags[i] == -1) {
                return new int[0];
            }
        }
        return tags;
    }

    @FunctionalInterface
    private interface StoreCall<T> {
        T call() throws SQLException;
    }

    /** Runs one store call inside {@code tx}. */
    private <T> T join(Connection tx, StoreCall<T> call) throws SQLException {
        try {
            return dataSource.joined(tx, call::call);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException(e);
        }
    }
}
