package org.orderly.broker.storage;

import java.util.LinkedHashMap;
import java.util.Map;
import org.orderly.camel.dicom.DicomConstants;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.ElementDictionary;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;

/**
 * The routing headers of an object, from its data set header (everything before the pixel data): the documented
 * ones ({@link DicomConstants}) and {@code Dicom<Keyword>} for every other top-level text attribute of at most
 * {@value #MAX_VALUE_LENGTH} characters (not group 0002, not private, not sequences or binary values).
 */
final class DatasetHeaders {
    static final int MAX_VALUE_LENGTH = 128;

    private DatasetHeaders() {
    }

    static Map<String, Object> of(Attributes ds, String callingAe, String calledAe, String cuid, String iuid,
            String ts) {
        Map<String, Object> h = new LinkedHashMap<>();
        for (int tag : ds.tags()) {
            if ((tag >>> 16) == 0x0002 || ((tag >>> 16) & 1) == 1) {
                continue;
            }
            VR vr = ds.getVR(tag);
            if (vr == null || !isText(vr)) {
                continue;
            }
            String keyword = ElementDictionary.keywordOf(tag);
            if (keyword == null || keyword.isEmpty()) {
                continue;
            }
            String[] values = ds.getStrings(tag);
            if (values == null || values.length == 0) {
                continue;
            }
            String v = String.join("\\", values).strip();
            if (!v.isEmpty() && v.length() <= MAX_VALUE_LENGTH) {
                h.put(DicomConstants.ATTRIBUTE_PREFIX + keyword, v);
            }
        }
        put(h, DicomConstants.CALLING_AE, callingAe);
        put(h, DicomConstants.CALLED_AE, calledAe);
        put(h, DicomConstants.SOP_CLASS_UID, cuid);
        put(h, DicomConstants.SOP_INSTANCE_UID, iuid);
        put(h, DicomConstants.TRANSFER_SYNTAX_UID, ts);
        put(h, DicomConstants.STUDY_INSTANCE_UID, ds.getString(Tag.StudyInstanceUID));
        put(h, DicomConstants.MODALITY, ds.getString(Tag.Modality));
        return h;
    }

    private static void put(Map<String, Object> h, String k, String v) {
        if (v != null && !v.isBlank()) {
            h.put(k, v.strip());
        }
    }

    private static boolean isText(VR vr) {
        return switch (vr) {
            case AE, AS, CS, DA, DS, DT, IS, LO, LT, PN, SH, ST, TM, UI, UC, UR -> true;
            default -> false;
        };
    }
}
