package org.orderly.mpps;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.net.dimse.Status;
import org.orderly.dicom.net.service.DicomServiceException;

/**
 * Checks N-CREATE and N-SET requests against {@link MppsAttributeRules} (PS3.4 §F.7.2, Table F.7.2-1) and the state
 * table {@link MppsStatus}. Every failure is a {@link DicomServiceException} carrying the status of PS3.7 Annex C
 * and the offending elements (0000,0901):
 * <ul>
 *   <li>0120 Missing Attribute: a Type 1 or 2 attribute is absent (PS3.7 §C.5.13);</li>
 *   <li>0121 Missing Attribute Value: a Type 1 attribute has no value (PS3.7 §C.5.14);</li>
 *   <li>0106 Invalid Attribute Value: a status that is not an Enumerated Value or not allowed here, or an N-SET
 *       of an attribute whose N-SET column is "Not allowed" (PS3.7 §C.4.2);</li>
 *   <li>0110 Processing Failure: an N-SET of an instance already COMPLETED or DISCONTINUED (PS3.4 §F.7.2.2).</li>
 * </ul>
 * Nested attributes are reported as the sequence tag followed by the item's tag.
 */
public final class MppsValidator {

    /** PS3.4 §F.7.2.2: the Error Comment for an N-SET after a final state. */
    public static final String NO_LONGER_UPDATABLE = "Performed Procedure Step Object may no longer be updated";

    private MppsValidator() {
    }

    /** N-CREATE: the Attribute List of a new instance; returns its status (always IN PROGRESS). */
    public static MppsStatus validateCreate(Attributes a) throws DicomServiceException {
        Problems p = new Problems();
        p.check(a, MppsAttributeRules.CREATE, null);
        Sequence ssas = a.getSequence(Tag.ScheduledStepAttributesSequence);
        if (ssas != null && ssas.isEmpty()) {
            p.empty.add(Tag.ScheduledStepAttributesSequence); // Type 1 sequence: one or more items
        }
        checkItems(a, p);
        p.throwIfAny();
        String status = a.getString(Tag.PerformedProcedureStepStatus);
        if (MppsStatus.of(status).orElse(null) != MppsStatus.IN_PROGRESS) {
            // PS3.4 §F.7.2.1: "The value shall be IN PROGRESS" at N-CREATE
            throw new DicomServiceException(Status.INVALID_ATTRIBUTE_VALUE,
                    "Performed Procedure Step Status must be IN PROGRESS at N-CREATE", Tag.PerformedProcedureStepStatus);
        }
        return MppsStatus.IN_PROGRESS;
    }

    /**
     * N-SET: the Modification List against the stored instance; returns the status after the change.
     *
     * @param stored the instance as stored (its status is the current one)
     */
    public static MppsStatus validateSet(Attributes stored, Attributes modifications) throws DicomServiceException {
        MppsStatus current = MppsStatus.of(stored.getString(Tag.PerformedProcedureStepStatus))
                .orElse(MppsStatus.IN_PROGRESS);
        if (current.isFinal()) {
            throw new DicomServiceException(Status.PROCESSING_FAILURE, NO_LONGER_UPDATABLE);
        }
        List<Integer> notAllowed = new ArrayList<>();
        for (int tag : modifications.tags()) {
            if (MppsAttributeRules.NOT_SETTABLE.contains(tag) && !sameValue(stored, modifications, tag)) {
                notAllowed.add(tag);
            }
        }
        if (!notAllowed.isEmpty()) {
            throw new DicomServiceException(Status.INVALID_ATTRIBUTE_VALUE, "attribute may not be changed by N-SET",
                    notAllowed.stream().mapToInt(Integer::intValue).toArray());
        }
        MppsStatus next = current;
        if (modifications.contains(Tag.PerformedProcedureStepStatus)) {
            String v = modifications.getString(Tag.PerformedProcedureStepStatus);
            next = MppsStatus.of(v).filter(current.next()::contains).orElseThrow(() -> new DicomServiceException(
                    Status.INVALID_ATTRIBUTE_VALUE, "Performed Procedure Step Status not one of IN PROGRESS,"
                            + " COMPLETED, DISCONTINUED", Tag.PerformedProcedureStepStatus));
        }
        Attributes merged = new Attributes(stored);
        merged.addAll(modifications);
        Problems p = new Problems();
        checkItems(modifications, p);
        if (next.isFinal()) {
            for (int tag : MppsAttributeRules.FINAL_STATE) {
                p.requireValue(merged, tag, null);
            }
            Sequence series = merged.getSequence(MppsAttributeRules.FINAL_NEEDS_ITEMS);
            if (series == null) {
                p.missing.add(MppsAttributeRules.FINAL_NEEDS_ITEMS);
            } else if (series.isEmpty()) {
                p.empty.add(MppsAttributeRules.FINAL_NEEDS_ITEMS);
            }
        }
        p.throwIfAny();
        return next;
    }

    /** The items of every sequence in {@code a}, at any depth, against {@link MppsAttributeRules#ITEMS}. */
    private static void checkItems(Attributes a, Problems p) {
        for (int tag : a.tags()) {
            if (!(a.getValue(tag) instanceof Sequence seq)) {
                continue;
            }
            List<MppsAttributeRules.Requirement> rules = MppsAttributeRules.ITEMS.get(tag);
            for (Attributes item : seq) {
                if (rules != null) {
                    p.check(item, rules, tag);
                }
                if (MppsAttributeRules.CODE_SEQUENCES.contains(tag) && !hasCodeValue(item)) {
                    Problems.add(p.missing, tag, Tag.CodeValue);
                }
                checkItems(item, p);
            }
        }
    }

    private static boolean hasCodeValue(Attributes code) {
        return !Problems.isEmpty(code, Tag.CodeValue) || !Problems.isEmpty(code, Tag.LongCodeValue)
                || !Problems.isEmpty(code, Tag.URNCodeValue);
    }

    private static boolean sameValue(Attributes stored, Attributes mods, int tag) {
        Object a = stored.getValue(tag);
        Object b = mods.getValue(tag);
        if (a instanceof byte[] || b instanceof byte[] || a instanceof Sequence || b instanceof Sequence) {
            return false; // a sequence is never "set to itself"
        }
        String x = stored.getString(tag);
        String y = mods.getString(tag);
        return x == null ? y == null : x.equals(y);
    }

    /** Missing and empty attributes found so far, in the order found. */
    private static final class Problems {
        final Set<Integer> missing = new LinkedHashSet<>();
        final Set<Integer> empty = new LinkedHashSet<>();

        void check(Attributes a, List<MppsAttributeRules.Requirement> rules, Integer parent) {
            for (MppsAttributeRules.Requirement r : rules) {
                if (!a.contains(r.tag())) {
                    add(missing, parent, r.tag());
                } else if (r.createType() == 1 && isEmpty(a, r.tag())) {
                    add(empty, parent, r.tag());
                }
            }
        }

        void requireValue(Attributes a, int tag, Integer parent) {
            if (!a.contains(tag)) {
                add(missing, parent, tag);
            } else if (isEmpty(a, tag)) {
                add(empty, parent, tag);
            }
        }

        private static void add(Set<Integer> set, Integer parent, int tag) {
            if (parent != null) {
                set.add(parent);
            }
            set.add(tag);
        }

        private static boolean isEmpty(Attributes a, int tag) {
            Object v = a.getValue(tag);
            if (v instanceof Sequence s) {
                return s.isEmpty();
            }
            String s = a.getString(tag);
            return s == null || s.isBlank();
        }

        void throwIfAny() throws DicomServiceException {
            if (!missing.isEmpty()) {
                throw new DicomServiceException(Status.MISSING_ATTRIBUTE, "missing attribute(s) "
                        + tags(missing), missing.stream().mapToInt(Integer::intValue).toArray());
            }
            if (!empty.isEmpty()) {
                throw new DicomServiceException(Status.MISSING_ATTRIBUTE_VALUE, "Type 1 attribute(s) without value "
                        + tags(empty), empty.stream().mapToInt(Integer::intValue).toArray());
            }
        }

        private static String tags(Set<Integer> tags) {
            StringBuilder b = new StringBuilder();
            for (int t : tags) {
                b.append(String.format("(%04X,%04X)", t >>> 16, t & 0xFFFF));
            }
            return b.toString();
        }
    }
}
