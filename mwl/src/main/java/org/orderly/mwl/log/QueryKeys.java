package org.orderly.mwl.log;

import java.util.ArrayList;
import java.util.List;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.ElementDictionary;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tags;

/**
 * An Identifier as findscu-style {@code -k} keys, one per element: {@code PatientName=DOE*},
 * {@code ScheduledProcedureStepSequence[0].ScheduledStationAETitle=CT1}, a zero-length key as the bare keyword
 * ({@code PatientID}). The same syntax {@code orderly find -k} and dcmtk's findscu accept, so a logged query can be
 * repeated as it is. Values are decoded with the Identifier's Specific Character Set.
 */
public final class QueryKeys {

    private QueryKeys() {
    }

    public static List<String> format(Attributes keys) {
        List<String> out = new ArrayList<>();
        format(keys, "", out);
        return out;
    }

    private static void format(Attributes ds, String prefix, List<String> out) {
        for (int i = 0; i < ds.size(); i++) {
            int tag = ds.tagAt(i);
            if (Tags.isGroupLength(tag)) {
                continue;
            }
            String name = prefix + name(tag);
            Object v = ds.valueAt(i);
            if (v instanceof Sequence seq) {
                if (seq.isEmpty() || seq.get(0).isEmpty()) {
                    out.add(name);
                } else {
                    for (int k = 0; k < seq.size(); k++) {
                        format(seq.get(k), name + "[" + k + "].", out);
                    }
                }
                continue;
            }
            String value = String.join("\\", ds.getStrings(tag));
            out.add(value.isEmpty() ? name : name + "=" + value);
        }
    }

    private static String name(int tag) {
        String kw = ElementDictionary.keywordOf(tag);
        return kw != null && !kw.isEmpty() ? kw
                : String.format("%04X,%04X", tag >>> 16, tag & 0xFFFF);
    }

    /** The keys on one line, separated by spaces; keys with spaces are quoted. */
    public static String line(Attributes keys) {
        StringBuilder sb = new StringBuilder();
        for (String k : format(keys)) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(k.indexOf(' ') >= 0 ? "\"" + k.replace("\"", "\\\"") + "\"" : k);
        }
        return sb.toString();
    }
}
