package org.orderly.hl7.mapping;

import java.util.Optional;
import org.orderly.dicom.data.ElementDictionary;

/**
 * DICOM keywords the mapping may target, with their VR: a view of the dicom module's
 * {@link ElementDictionary} (generated from PS3.6) restricted to current, exact-tag elements, in the
 * string form the mapping engine works with.
 */
public final class DicomDictionary {

    /** One data element: keyword, VR (first alternative when PS3.6 lists several), tag. */
    public record Entry(String keyword, String vr, int tag) {
        public boolean isSequence() {
            return vr.equals("SQ");
        }

        /** "(0008,0050)". */
        public String tagString() {
            return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
        }
    }

    private DicomDictionary() {
    }

    /** The element named {@code keyword}, unless it is unknown, retired or a repeating-group mask. */
    public static Optional<Entry> lookup(String keyword) {
        int tag = ElementDictionary.tagOf(keyword);
        if (tag == -1) {
            return Optional.empty();
        }
        ElementDictionary.Entry e = ElementDictionary.lookup(tag);
        if (e == null || e.retired() || e.tag() != tag) {
            return Optional.empty();
        }
        return Optional.of(new Entry(keyword, e.vr().name(), tag));
    }
}
