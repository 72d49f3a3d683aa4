package org.orderly.broker.storage;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;
import org.orderly.mwl.model.SpsStatus;
import org.orderly.mwl.query.InvalidQueryException;
import org.orderly.mwl.query.MatchOptions;
import org.orderly.mwl.query.WorklistCursor;
import org.orderly.mwl.query.WorklistQuery;
import org.orderly.mwl.store.WorklistStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the worklist item a received object belongs to and says which of its missing identifiers the item supplies.
 *
 * <p>Why: in IHE Scheduled Workflow (RAD TF-1 §3) the Acquisition Modality copies Accession Number and Study Instance
 * UID from the Modality Worklist item (RAD-5) into every image it stores (RAD-8 Modality Images Stored, RAD TF-2 §4.8;
 * the attribute mapping is RAD TF-2 Appendix A, attribute consistency between worklist, images and MPPS). A modality
 * used without the worklist (unscheduled case, worklist down) leaves Accession Number empty; the Image Manager /
 * Archive may then coerce the object's attributes to match the order. Orderly does it on the way, in a COPY.
 *
 * <p>The rule (documented in docs/admin-guide.md, "Filling identifiers from the worklist"):
 * <ol>
 *   <li>The object's Patient ID (0010,0020) must be present; it is always a matching key. Issuer of Patient ID is not
 *       used (modalities often leave it empty or put their own).</li>
 *   <li>A second identifier must match too, tried in this order, the first that finds items decides:
 *       Study Instance UID (0020,000D); Scheduled Procedure Step ID (0040,0009) of the Request Attributes Sequence
 *       (0040,0275); Accession Number (0008,0050) of the object or of that sequence's first item.</li>
 *   <li>Items of ANY Scheduled Procedure Step status match (the step is usually STARTED or COMPLETED by the time
 *       the images arrive, and may even be DISCONTINUED).</li>
 *   <li>The matches must agree on one (Accession Number, Study Instance UID) pair; several different pairs =
 *       ambiguous, nothing is filled.</li>
 *   <li>Only MISSING (absent or empty) Accession Number / Study Instance UID are filled; a value the modality sent
 *       is never overwritten.</li>
 *   <li>A value with a wildcard ({@code *}, {@code ?}) or a backslash is never used as a key (it would match other
 *       patients' items, PS3.4 §C.2.2.2.4): no lookup.</li>
 * </ol>
 */
final class WorklistMatch {
    private static final Logger LOG = LoggerFactory.getLogger(WorklistMatch.class);
    private static final MatchOptions ANY_STATUS = MatchOptions.DEFAULT
            .withDefaultStatuses(EnumSet.allOf(SpsStatus.class)).withMaxAnswers(100);

    private final WorklistStore store;

    WorklistMatch(WorklistStore store) {
        this.store = store;
    }

    /**
     * The identifiers the matching item supplies for {@code ds}: tag -> value, only for attributes {@code ds} lacks;
     * empty if there is no single matching item.
     *
     * @throws SQLException the worklist could not be read (the routing fails and is retried)
     */
    Map<Integer, String> missingFrom(Attributes ds) throws SQLException {
        String sopUid = text(ds, Tag.SOPInstanceUID);
        boolean needsAccession = text(ds, Tag.AccessionNumber) == null;
        boolean needsStudy = text(ds, Tag.StudyInstanceUID) == null;
        if (!needsAccession && !needsStudy) {
            return Map.of();
        }
        String patientId = text(ds, Tag.PatientID);
        if (!usableKey(patientId)) {
            LOG.info("storage: {} has no usable Patient ID, no worklist lookup", sopUid);
            return Map.of();
        }
        Attributes request = firstItem(ds.getSequence(Tag.RequestAttributesSequence));
        List<Attributes> candidates = new ArrayList<>();
        add(candidates, patientId, Tag.StudyInstanceUID, VR.UI, text(ds, Tag.StudyInstanceUID));
        add(candidates, patientId, Tag.ScheduledProcedureStepID, VR.SH,
                request == null ? null : text(request, Tag.ScheduledProcedureStepID));
        String accession = text(ds, Tag.AccessionNumber);
        add(candidates, patientId, Tag.AccessionNumber, VR.SH,
                accession != null ? accession : request == null ? null : text(request, Tag.AccessionNumber));
        for (Attributes keys : candidates) {
            Set<List<String>> pairs = find(keys);
            if (pairs.isEmpty()) {
                continue;
            }
            if (pairs.size() > 1) {
                LOG.info("storage: {} matches {} worklist orders, identifiers not filled (ambiguous)", sopUid,
                        pairs.size());
                return Map.of();
            }
            List<String> pair = pairs.iterator().next();
            Map<Integer, String> fill = new LinkedHashMap<>();
            if (needsAccession && pair.get(0) != null) {
                fill.put(Tag.AccessionNumber, pair.get(0));
            }
            if (needsStudy && pair.get(1) != null) {
                fill.put(Tag.StudyInstanceUID, pair.get(1));
            }
            LOG.info("storage: {} filled from the worklist: {}", sopUid, fill.isEmpty() ? "nothing missing there"
                    : "Study " + pair.get(1) + (fill.containsKey(Tag.AccessionNumber) ? ", Accession Number" : ""));
            return fill;
        }
        LOG.info("storage: {} matches no worklist item, identifiers not filled", sopUid);
        return Map.of();
    }

    private static void add(List<Attributes> candidates, String patientId, int tag, VR vr, String value) {
        if (!usableKey(value)) {
            return;
        }
        Attributes keys = new Attributes();
        keys.setString(Tag.PatientID, VR.LO, patientId);
        keys.setNull(Tag.AccessionNumber, VR.SH);
        keys.setNull(Tag.StudyInstanceUID, VR.UI);
        if (tag == Tag.ScheduledProcedureStepID) {
            keys.newSequence(Tag.ScheduledProcedureStepSequence).addNewItem().setString(tag, vr, value);
        } else {
            keys.setString(tag, vr, value);
        }
        candidates.add(keys);
    }

    /** Distinct (Accession Number, Study Instance UID) pairs of the matching items. */
    private Set<List<String>> find(Attributes keys) throws SQLException {
        WorklistQuery q;
        try {
            q = WorklistQuery.compile(keys, ANY_STATUS);
        } catch (InvalidQueryException e) {
            throw new IllegalStateException("worklist lookup keys refused: " + e.getMessage(), e);
        }
        Set<List<String>> pairs = new LinkedHashSet<>();
        try (WorklistCursor c = store.find(q)) {
            while (c.hasNext()) {
                Attributes item = c.next();
                pairs.add(java.util.Arrays.asList(text(item, Tag.AccessionNumber), text(item, Tag.StudyInstanceUID)));
            }
        }
        return pairs;
    }

    private static Attributes firstItem(Sequence s) {
        return s == null || s.isEmpty() ? null : s.get(0);
    }

    private static String text(Attributes a, int tag) {
        String v = a.getString(tag);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** PS3.4 §C.2.2.2.4: '*' and '?' are wildcards in SH/LO keys; a backslash would make several values. */
    private static boolean usableKey(String v) {
        return v != null && v.indexOf('*') < 0 && v.indexOf('?') < 0 && v.indexOf('\\') < 0;
    }
}
