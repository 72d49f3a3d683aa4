package org.orderly.mwl.access;

import java.util.Objects;
import java.util.Set;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;

/**
 * What one calling AE (a modality) may see of the worklist and how its queries are coerced (issue #5, per-calling-AE
 * behaviour). Empty sets mean "no restriction".
 *
 * @param name                   the calling AE title, or {@code default} for callers without their own rule
 * @param stationAeTitles        Scheduled Station AE Titles (0040,0001) whose steps it may see
 * @param modalities             Modalities (0008,0060) it may see
 * @param worklistLabels         Worklist Labels (0074,1202) it may see
 * @param stationAeFromCallingAe when the query's Scheduled Station AE Title is absent or zero-length, match it as if
 *                               the calling AE title had been sent (for modalities that cannot fill it in)
 * @param ignoredKeys            keys a vendor sends with wrong values: matched universally (as if zero-length),
 *                               still returned; tags, top level or inside the SPS item
 * @param answerCharset          Specific Character Set (0008,0005) terms to answer in, null = as stored
 * @param source                 where the rule was defined ({@code mwl-rules.yaml:12}), for messages
 */
public record CallingAeRule(String name, Set<String> stationAeTitles, Set<String> modalities,
                            Set<String> worklistLabels, boolean stationAeFromCallingAe, Set<Integer> ignoredKeys,
                            String answerCharset, String source) {

    /** The rule of a caller no rule names when unknown callers are let in: sees everything, nothing coerced. */
    public static final CallingAeRule SEE_ALL = new CallingAeRule("default", Set.of(), Set.of(), Set.of(), false,
            Set.of(), null, "built-in");

    public CallingAeRule {
        Objects.requireNonNull(name, "name");
        stationAeTitles = Set.copyOf(stationAeTitles);
        modalities = Set.copyOf(modalities);
        worklistLabels = Set.copyOf(worklistLabels);
        ignoredKeys = Set.copyOf(ignoredKeys);
    }

    /**
     * The query as this caller's modality should have sent it: each ignored key is made zero-length (universal
     * matching, PS3.4 §C.2.2.2.3) but kept as a return key. {@code keys} is not changed.
     */
    public Attributes coerce(Attributes keys) {
        if (ignoredKeys.isEmpty()) {
            return keys;
        }
        Attributes out = new Attributes(keys);
        blank(out);
        Sequence sps = out.getSequence(Tag.ScheduledProcedureStepSequence);
        if (sps != null) {
            for (Attributes item : sps) {
                blank(item);
            }
        }
        return out;
    }

    private void blank(Attributes a) {
        for (int tag : ignoredKeys) {
            int i = a.indexOf(tag);
            if (i >= 0 && !(a.valueAt(i) instanceof Sequence)) {
                a.setNull(tag, a.vrAt(i));
            }
        }
    }

    /**
     * The restriction this rule adds to a query from {@code callingAe} (see
     * {@code WorklistQuery.compile(keys, options, restriction)}), or null when there is none. With
     * {@link #stationAeFromCallingAe()} and a query without a station AE value, the station AE is the calling AE
     * (when {@link #stationAeTitles()} is set and lacks the calling AE, the allowed titles stay the restriction).
     */
    public Attributes restriction(Attributes keys, String callingAe) {
        Set<String> stations = stationAeTitles;
        if (stationAeFromCallingAe && !hasStationAe(keys)
                && (stations.isEmpty() || stations.contains(callingAe))) {
            stations = Set.of(callingAe);
        }
        if (stations.isEmpty() && modalities.isEmpty() && worklistLabels.isEmpty()) {
            return null;
        }
        Attributes r = new Attributes();
        if (!worklistLabels.isEmpty()) {
            r.setString(Tag.WorklistLabel, VR.LO, sorted(worklistLabels));
        }
        Attributes sps = r.newSequence(Tag.ScheduledProcedureStepSequence).addNewItem();
        if (!stations.isEmpty()) {
            sps.setString(Tag.ScheduledStationAETitle, VR.AE, sorted(stations));
        }
        if (!modalities.isEmpty()) {
            sps.setString(Tag.Modality, VR.CS, sorted(modalities));
        }
        return r;
    }

    private static boolean hasStationAe(Attributes keys) {
        Sequence sps = keys.getSequence(Tag.ScheduledProcedureStepSequence);
        if (sps == null || sps.isEmpty()) {
            return false;
        }
        for (String v : sps.get(0).getStrings(Tag.ScheduledStationAETitle)) {
            if (!v.isEmpty() && !v.chars().allMatch(c -> c == '*')) {
                return true;
            }
        }
        return false;
    }

    private static String[] sorted(Set<String> s) {
        return s.stream().sorted().toArray(String[]::new);
    }
}
