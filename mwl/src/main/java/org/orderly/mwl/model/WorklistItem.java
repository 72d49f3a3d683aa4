package org.orderly.mwl.model;

import java.util.Arrays;
import java.util.Objects;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;

/**
 * A worklist item: a patient, a requested procedure and ONE of its scheduled procedure steps, as the complete
 * Modality Worklist C-FIND identifier (PS3.4 §K.6.1.2, Table K.6-1): patient, visit, imaging service request and
 * requested procedure attributes at the top level, and a Scheduled Procedure Step Sequence (0040,0100) holding
 * exactly one item.
 */
public record WorklistItem(Patient patient, RequestedProcedure procedure, ScheduledProcedureStep step) {

    public WorklistItem {
        Objects.requireNonNull(patient, "patient");
        Objects.requireNonNull(procedure, "procedure");
        Objects.requireNonNull(step, "step");
    }

    /**
     * The item as one data set. When the three parts carry different Specific Character Sets (0008,0005), the
     * text of all of them is re-encoded in UTF-8 (ISO_IR 192, PS3.3 §C.12.1.1.2) so that the item is one
     * consistently encoded data set.
     */
    public Attributes toAttributes() {
        byte[] cs = commonCharset(patient.attributes(), procedure.attributes(), step.attributes());
        boolean recode = cs == null;
        Attributes item = new Attributes();
        if (recode) {
            item.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
            copyText(patient.attributes(), item);
            copyText(procedure.attributes(), item);
        } else {
            item.addAll(patient.attributes());
            item.addAll(procedure.attributes());
            if (cs.length > 0) {
                item.setBytes(Tag.SpecificCharacterSet, VR.CS, cs.clone());
            }
        }
        item.remove(Tag.ScheduledProcedureStepSequence);
        Sequence seq = item.newSequence(Tag.ScheduledProcedureStepSequence);
        Attributes sps = seq.addNewItem();
        if (recode) {
            copyText(step.attributes(), sps);
        } else {
            sps.addAll(step.attributes());
            sps.remove(Tag.SpecificCharacterSet);
        }
        return item;
    }

    /** The shared (0008,0005) value (empty array when none has one), or null when they differ. */
    private static byte[] commonCharset(Attributes... parts) {
        byte[] found = null;
        for (Attributes a : parts) {
            byte[] v = a.getBytes(Tag.SpecificCharacterSet);
            byte[] norm = v == null ? new byte[0] : v;
            if (found == null) {
                found = norm;
            } else if (!Arrays.equals(found, norm)) {
                return null;
            }
        }
        return found;
    }

    /** Copies {@code from} into {@code to}, re-encoding charset-dependent text in {@code to}'s character set. */
    static void copyText(Attributes from, Attributes to) {
        for (int i = 0; i < from.size(); i++) {
            int tag = from.tagAt(i);
            VR vr = from.vrAt(i);
            Object v = from.valueAt(i);
            if (tag == Tag.SpecificCharacterSet) {
                continue;
            }
            if (v instanceof Sequence seq) {
                Sequence copy = to.newSequence(tag);
                for (Attributes it : seq) {
                    copyText(it, copy.addNewItem());
                }
            } else if (vr.isCharsetDependent() && v instanceof byte[] b && b.length > 0) {
                String[] values = from.getStrings(tag);
                to.setString(tag, vr, vr.isMultiValuedText() ? values : new String[] {String.join("\\", values)});
            } else {
                Attributes one = new Attributes();
                one.setValue(tag, vr, v instanceof byte[] b ? b.clone() : v);
                to.addAll(one);
            }
        }
    }
}
