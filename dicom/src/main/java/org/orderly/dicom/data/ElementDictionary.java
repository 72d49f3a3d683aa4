package org.orderly.dicom.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The PS3.6 / PS3.7 data dictionary: tag -> VR(s), VM, keyword, name, retired.
 *
 * <p>Loaded once from the generated resource {@code elements.dic} (see {@code DictionaryGenerator}).
 * Lookup order: exact tag, repeating-group masks ({@code 60xx3000}, PS3.5 §7.6: only even groups, overlays
 * 6000-601E, curves 5000-501E), group length (gggg,0000) UL (PS3.5 §7.2), private creator
 * (gggg,0010-00FF) LO in odd groups (PS3.5 §7.8.1), anything else UN.
 */
public final class ElementDictionary {

    /** One dictionary row. {@code vrs} has one or more alternatives, the first is the default. */
    public record Entry(int tag, List<VR> vrs, String vm, String keyword, String name, boolean retired) {
        public VR vr() {
            return vrs.isEmpty() ? VR.UN : vrs.get(0);
        }
    }

    private record Mask(int mask, int value, Entry entry) {
    }

    private static final Map<Integer, Entry> EXACT = new HashMap<>(8192);
    private static final Map<String, Integer> BY_KEYWORD = new HashMap<>(8192);
    private static final List<Mask> MASKS = new ArrayList<>();
    private static final Entry PRIVATE_CREATOR_TEMPLATE =
            new Entry(0, List.of(VR.LO), "1", "PrivateCreator", "Private Creator", false);

    static {
        try (InputStream in = ElementDictionary.class.getResourceAsStream("elements.dic")) {
            if (in == null) {
                throw new IllegalStateException("elements.dic missing from class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty() || line.charAt(0) == '#') {
                    continue;
                }
                String[] c = line.split("\t", -1);
                String pattern = c[0];
                List<VR> vrs = new ArrayList<>();
                if (!"NONE".equals(c[1])) {
                    for (String v : c[1].split("\\|")) {
                        vrs.add(VR.valueOf(v));
                    }
                }
                int value = (int) Long.parseLong(pattern.replace('x', '0'), 16);
                Entry e = new Entry(value, Collections.unmodifiableList(vrs), c[2], c[3], c[4], "Y".equals(c[5]));
                if (pattern.indexOf('x') < 0) {
                    EXACT.put(value, e);
                } else {
                    int mask = 0;
                    for (int i = 0; i < 8; i++) {
                        mask = (mask << 4) | (pattern.charAt(i) == 'x' ? 0 : 0xF);
                    }
                    MASKS.add(new Mask(mask, value, e));
                }
                if (!c[3].isEmpty()) {
                    BY_KEYWORD.put(c[3], value);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ElementDictionary() {
    }

    /** The entry for {@code tag}, or null if the tag is neither standard nor a known private/group-length form. */
    public static Entry lookup(int tag) {
        Entry e = EXACT.get(tag);
        if (e != null) {
            return e;
        }
        int group = Tags.group(tag);
        if (Tags.isGroupLength(tag)) {
            return new Entry(tag, List.of(VR.UL), "1", "", "Group Length", false);
        }
        if (Tags.isPrivate(tag)) {
            return Tags.isPrivateCreator(tag)
                    ? new Entry(tag, PRIVATE_CREATOR_TEMPLATE.vrs(), "1", "", "Private Creator", false)
                    : null;
        }
        if ((group & 1) != 0) {
            return null;
        }
        for (Mask m : MASKS) {
            if ((tag & m.mask) == m.value && repeatingGroupAllowed(group, m.value >>> 16)) {
                return m.entry;
            }
        }
        return null;
    }

    /** PS3.5 §7.6: overlays 6000-601E and curves 5000-501E, even groups only. */
    private static boolean repeatingGroupAllowed(int group, int base) {
        if (base == 0x6000 || base == 0x5000) {
            return group <= base + 0x1E;
        }
        return true;
    }

    /**
     * The VR for implicit-VR decoding (PS3.5 §7.1.3): the dictionary's first VR, UL for group
     * lengths, LO for private creators, UN for anything unknown. Where the dictionary allows
     * alternatives the first listed is used (e.g. US for US|SS, OB for OB|OW), except pixel data and
     * other OB|OW elements, which are OW in implicit VR (PS3.5 §A.1 c).
     */
    public static VR implicitVR(int tag) {
        Entry e = lookup(tag);
        if (e == null) {
            return VR.UN;
        }
        if (e.vrs().size() > 1 && e.vrs().contains(VR.OW)) {
            return VR.OW;
        }
        return e.vr();
    }

    public static String keywordOf(int tag) {
        Entry e = lookup(tag);
        return e == null ? "" : e.keyword();
    }

    /** The tag of a keyword (repeating groups as their x=0 base), or -1. */
    public static int tagOf(String keyword) {
        Integer t = BY_KEYWORD.get(keyword);
        return t == null ? -1 : t;
    }

    /** Number of exact entries plus masks; for tests. */
    static int size() {
        return EXACT.size() + MASKS.size();
    }
}
