package org.orderly.dicom.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The UID registry of PS3.6 Annex A (Tables ), loaded from the generated resource {@code uids.dic}. */
public final class UIDDictionary {

    /** One registry row; {@code type} is the Table A-1 UID Type, e.g. "SOP Class", "Transfer Syntax". */
    public record Entry(String uid, String name, String keyword, String type, boolean retired) {
    }

    private static final Map<String, Entry> BY_UID = new HashMap<>(1024);

    static {
        try (InputStream in = UIDDictionary.class.getResourceAsStream("uids.dic")) {
            if (in == null) {
                throw new IllegalStateException("uids.dic missing from class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty() || line.charAt(0) == '#') {
                    continue;
                }
                String[] c = line.split("\t", -1);
                BY_UID.put(c[0], new Entry(c[0], c[1], c[2], c[3], "Y".equals(c[4])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private UIDDictionary() {
    }

    /** The registry entry, or null for a UID not in PS3.6 Annex A. */
    public static Entry lookup(String uid) {
        return BY_UID.get(uid);
    }

    /** The UID's name, or the UID itself if it is not registered. */
    public static String nameOf(String uid) {
        Entry e = BY_UID.get(uid);
        return e == null || e.name().isEmpty() ? uid : e.name();
    }

    /** Every registry row (PS3.6 Annex A), e.g. to find all storage SOP classes. */
    public static java.util.Collection<Entry> entries() {
        return java.util.Collections.unmodifiableCollection(BY_UID.values());
    }

    static int size() {
        return BY_UID.size();
    }
}
