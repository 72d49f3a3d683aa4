package org.orderly.mwl.importer;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;
import org.orderly.mwl.model.Patient;
import org.orderly.mwl.model.RequestedProcedure;
import org.orderly.mwl.model.ScheduledProcedureStep;
import org.orderly.mwl.model.WorklistOrder;
import org.orderly.mwl.store.OrderRef;
import org.orderly.mwl.store.Results;
import org.orderly.mwl.store.WorklistStore;

/**
 * Imports worklist items as file-based worklist servers keep them (dcmtk wlmscpfs and Orthanc {@code .wl} files: one
 * complete C-FIND answer per file, PS3.4 Table K.6-1), so that a site can move to Orderly.
 *
 * <p>An item becomes an order of sender {@value #SENDER}: patient = the group 0010 attributes (with the Specific
 * Character Set), requested procedure = every other top-level attribute, step = the one Scheduled Procedure Step
 * Sequence item. Items of one requested procedure (same Accession Number, or same Placer Order Number) become steps
 * of one order: a later file ADDS its step (or replaces the step with the same SPS ID) instead of replacing the
 * order's steps. An item without Placer Order Number and Accession Number gets its SPS ID as Placer Order Number
 * (0040,2016), the only attribute the import adds (besides SPS Status SCHEDULED when it has none).
 *
 * <p>Refused, with the reason in {@link ImportRefusedException#getMessage()}: no Patient ID (0010,0020); no or more
 * than one Scheduled Procedure Step Sequence item; no valid SPS Start Date (0040,0002); no Placer Order Number,
 * Accession Number or SPS ID.
 */
public final class WorklistImport {
    /** The order namespace of imported items. */
    public static final String SENDER = "import";

    private final WorklistStore store;

    public WorklistImport(WorklistStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The outcome: the order's study and the SPS ID of the imported step. */
    public record Imported(boolean newOrder, String studyInstanceUid, String spsId) {
    }

    /** Creates (or extends) the order of one worklist item; one transaction per store call. */
    public synchronized Imported importItem(Attributes item) throws ImportRefusedException, SQLException {
        WorklistOrder order = toOrder(item);
        RequestedProcedure rp = order.procedure();
        OrderRef ref = rp.placerOrderNumber() != null ? OrderRef.byPlacer(SENDER, rp.placerOrderNumber())
                : OrderRef.byAccession(SENDER, rp.accessionNumber());
        ScheduledProcedureStep step = order.steps().get(0);
        List<ScheduledProcedureStep> steps = new ArrayList<>();
        for (Attributes stored : store.items(ref)) {
            Sequence sps = stored.getSequence(Tag.ScheduledProcedureStepSequence);
            if (sps == null || sps.isEmpty()) {
                continue;
            }
            ScheduledProcedureStep s = new ScheduledProcedureStep(new Attributes(sps.get(0)));
            if (step.spsId() == null || !step.spsId().equals(s.spsId())) {
                steps.add(s);
            }
        }
        steps.add(step);
        try {
            Results.Upsert r = store.upsertOrder(new WorklistOrder(order.patient(), rp, steps));
            return new Imported(r.created(), r.studyInstanceUid(), step.spsId());
        } catch (IllegalArgumentException e) {
            throw new ImportRefusedException(e.getMessage());
        }
    }

    /** The order of one item (see class comment); nothing is stored. */
    public static WorklistOrder toOrder(Attributes item) throws ImportRefusedException {
        if (item.getString(Tag.PatientID) == null) {
            throw new ImportRefusedException("no Patient ID (0010,0020)");
        }
        Sequence seq = item.getSequence(Tag.ScheduledProcedureStepSequence);
        if (seq == null || seq.isEmpty()) {
            throw new ImportRefusedException("no Scheduled Procedure Step Sequence (0040,0100) item");
        }
        if (seq.size() > 1) {
            throw new ImportRefusedException("more than one Scheduled Procedure Step Sequence (0040,0100) item");
        }
        byte[] cs = item.getBytes(Tag.SpecificCharacterSet);
        Attributes patient = new Attributes();
        Attributes procedure = new Attributes();
        if (cs != null) {
            patient.setBytes(Tag.SpecificCharacterSet, VR.CS, cs);
            procedure.setBytes(Tag.SpecificCharacterSet, VR.CS, cs.clone());
        }
        for (int i = 0; i < item.size(); i++) {
            int tag = item.tagAt(i);
            if (tag == Tag.SpecificCharacterSet || tag == Tag.ScheduledProcedureStepSequence
                    || (tag & 0xFFFF) == 0 /* group length */) {
                continue;
            }
            Attributes target = (tag >>> 16) == 0x0010 ? patient : procedure;
            copy(item, i, target);
        }
        Attributes sps = new Attributes();
        if (cs != null) {
            sps.setBytes(Tag.SpecificCharacterSet, VR.CS, cs.clone());
        }
        Attributes spsItem = seq.get(0);
        for (int i = 0; i < spsItem.size(); i++) {
            copy(spsItem, i, sps);
        }
        ScheduledProcedureStep step = new ScheduledProcedureStep(sps);
        try {
            step.start();
        } catch (IllegalArgumentException e) {
            throw new ImportRefusedException(e.getMessage());
        }
        if (procedure.getString(Tag.PlacerOrderNumberImagingServiceRequest) == null
                && procedure.getString(Tag.AccessionNumber) == null) {
            if (step.spsId() == null) {
                throw new ImportRefusedException("no Placer Order Number (0040,2016), Accession Number (0008,0050) "
                        + "or Scheduled Procedure Step ID (0040,0009) to identify the order");
            }
            procedure.setString(Tag.PlacerOrderNumberImagingServiceRequest, VR.LO, step.spsId());
        }
        try {
            return new WorklistOrder(new Patient(patient), new RequestedProcedure(SENDER, procedure), List.of(step));
        } catch (IllegalArgumentException e) {
            throw new ImportRefusedException(e.getMessage());
        }
    }

    /** Copies element {@code i} of {@code from} (a deep copy of a sequence). */
    private static void copy(Attributes from, int i, Attributes to) {
        int tag = from.tagAt(i);
        Object v = from.valueAt(i);
        if (v instanceof Sequence s) {
            Sequence copy = to.newSequence(tag);
            for (Attributes it : s) {
                copy.add(new Attributes(it));
            }
        } else {
            Attributes one = new Attributes();
            one.setValue(tag, from.vrAt(i), v instanceof byte[] b ? b.clone() : v);
            to.addAll(one);
        }
    }
}
