package org.orderly.hl7.mapping;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * DICOM keywords the mapping may target, with their VR (PS3.6 §6, Table 6-1).
 *
 * <p>Read from {@code dicom-keywords.tsv}, generated from the PS3.6 2024d data dictionary
 * (non-retired elements; the generating command is in the file's header). To be replaced by the
 * dicom module's dictionary once that exists.
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

    private static final Map<String, Entry> BY_KEYWORD = load();

    private DicomDictionary() {
    }

    public static Optional<Entry> lookup(String keyword) {
        return Optional.ofNullable(BY_KEYWORD.get(keyword));
    }

    public static int size() {
        return BY_KEYWORD.size();
    }

    private static Map<String, Entry> load() {
        Map<String, Entry> map = new HashMap<>(8192);
        try (InputStream in = DicomDictionary.class.getResourceAsStream("dicom-keywords.tsv")) {
            if (in == null) {
                throw new IllegalStateException("dicom-keywords.tsv missing from the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                String vr = f[1].contains("|") ? f[1].substring(0, f[1].indexOf('|')) : f[1];
                map.put(f[0], new Entry(f[0], vr, (int) Long.parseLong(f[2], 16)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(map);
    }
}
