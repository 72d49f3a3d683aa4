package org.orderly.dicom.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Generates {@code Tag.java}, {@code UID.java} and the runtime dictionary resources from the
 * committed TSV files in {@code dicom/src/main/dict/} (PS3.6 / PS3.7 2024d plus the 2024e-2026b
 * additions in {@code newer-editions/}, see {@code src/main/dict/README.md}).
 *
 * <p>Uses only the JDK so it can run without the module being compiled:
 * <pre>
 *   java dicom/src/test/java/org/orderly/dicom/data/DictionaryGenerator.java dicom
 * </pre>
 * {@code DictionaryGeneratorTest} regenerates in memory and fails when the committed output is
 * stale.
 */
public final class DictionaryGenerator {

    /** Human-readable provenance, written into every generated file. */
    public static final String EDITION =
            "DICOM PS3.6/PS3.7 2024d (pydicom export) + 2024e..2026b additions (DCMTK dicom.dic 2026b, dicom-rs uids.rs)";

    static final String TAG_JAVA = "src/main/java/org/orderly/dicom/data/Tag.java";
    static final String UID_JAVA = "src/main/java/org/orderly/dicom/data/UID.java";
    static final String ELEMENTS_RES = "src/main/resources/org/orderly/dicom/data/elements.dic";
    static final String UIDS_RES = "src/main/resources/org/orderly/dicom/data/uids.dic";

    private DictionaryGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Path module = Path.of(args.length > 0 ? args[0] : ".");
        for (Map.Entry<String, String> e : generate(module.resolve("src/main/dict")).entrySet()) {
            Path out = module.resolve(e.getKey());
            Files.createDirectories(out.getParent());
            Files.writeString(out, e.getValue(), StandardCharsets.UTF_8);
            System.out.println("wrote " + out);
        }
    }

    /** Returns module-relative path -> file content for every generated file. */
    public static Map<String, String> generate(Path dictDir) throws IOException {
        List<String[]> elements = mergedElements(dictDir);
        List<String[]> uids = mergedUids(dictDir);
        Map<String, String> out = new LinkedHashMap<>();
        out.put(TAG_JAVA, tagJava(elements));
        out.put(UID_JAVA, uidJava(uids));
        out.put(ELEMENTS_RES, resource(elements, "tag\tvr\tvm\tkeyword\tname\tretired"));
        out.put(UIDS_RES, resource(uids, "uid\tname\tkeyword\ttype\tretired"));
        return out;
    }

    static List<String[]> read(Path file, int columns) throws IOException {
        List<String[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            if (cells.length != columns) {
                throw new IOException(file + ": expected " + columns + " columns: " + line);
            }
            rows.add(cells);
        }
        return rows;
    }

    static List<String[]> mergedElements(Path dir) throws IOException {
        Map<String, String[]> byTag = new TreeMap<>(
                Comparator.comparingLong(DictionaryGenerator::tagSortKey).thenComparing(s -> s));
        for (String[] r : read(dir.resolve("elements.tsv"), 6)) {
            byTag.put(r[0], r);
        }
        for (String[] r : read(dir.resolve("newer-editions/elements-added.tsv"), 6)) {
            if (byTag.containsKey(r[0])) {
                throw new IOException("newer edition re-adds " + r[0]);
            }
            if (r[4].isEmpty()) {
                r[4] = nameFromKeyword(r[3]);
            }
            byTag.put(r[0], r);
        }
        for (String[] c : read(dir.resolve("newer-editions/elements-changed.tsv"), 5)) {
            String[] r = byTag.get(c[0]);
            if (r == null || !r[3].equals(c[1])) {
                throw new IOException("change to unknown element " + c[0]);
            }
            int col = switch (c[2]) {
                case "vr" -> 1;
                case "vm" -> 2;
                case "keyword" -> 3;
                case "name" -> 4;
                case "retired" -> 5;
                default -> throw new IOException("unknown field " + c[2]);
            };
            if (!r[col].equals(c[3])) {
                throw new IOException("change base value mismatch for " + c[0]);
            }
            r[col] = c[4];
        }
        return new ArrayList<>(byTag.values());
    }

    static List<String[]> mergedUids(Path dir) throws IOException {
        List<String[]> rows = read(dir.resolve("uids.tsv"), 5);
        rows.addAll(read(dir.resolve("newer-editions/uids-added.tsv"), 5));
        rows.sort(DictionaryGenerator::compareUid);
        return rows;
    }

    private static int compareUid(String[] a, String[] b) {
        String[] x = a[0].split("\\.");
        String[] y = b[0].split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = new java.math.BigInteger(x[i]).compareTo(new java.math.BigInteger(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    static long tagSortKey(String tag) {
        return Long.parseLong(tag.replace('x', '0'), 16);
    }

    /** "PersonNamesToUse" -> "Person Names To Use" (newer-edition rows have no display name). */
    static String nameFromKeyword(String keyword) {
        return keyword.replaceAll("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ");
    }

    private static String header() {
        return "// GENERATED by org.orderly.dicom.data.DictionaryGenerator from dicom/src/main/dict/*.tsv - do not edit.\n"
                + "// Source: " + EDITION + ".\n";
    }

    private static String resource(List<String[]> rows, String columns) {
        StringBuilder sb = new StringBuilder();
        sb.append("# GENERATED by org.orderly.dicom.data.DictionaryGenerator - do not edit.\n");
        sb.append("# Source: ").append(EDITION).append(".\n");
        sb.append("# ").append(columns).append('\n');
        for (String[] r : rows) {
            sb.append(String.join("\t", r)).append('\n');
        }
        return sb.toString();
    }

    private static String tagJava(List<String[]> rows) {
        StringBuilder sb = new StringBuilder(header());
        sb.append("package org.orderly.dicom.data;\n\n");
        sb.append("/**\n * Data element tags by PS3.6 / PS3.7 keyword, as {@code int} {@code 0xGGGGEEEE}.\n");
        sb.append(" * Repeating-group tags (PS3.5 §7.6, e.g. {@code 60xx3000}) are given with the x digits as 0.\n");
        sb.append(" *\n * <p>Source: ").append(EDITION).append(".\n */\n");
        sb.append("public final class Tag {\n\n    private Tag() {\n    }\n");
        for (String[] r : rows) {
            if (r[3].isEmpty()) {
                continue;
            }
            String t = r[0];
            sb.append("\n    /** (").append(t, 0, 4).append(',').append(t, 4, 8).append(") ")
                    .append(r[1]).append(' ').append(r[2]).append(' ').append(escapeJavadoc(r[4]))
                    .append("Y".equals(r[5]) ? " (retired)" : "").append(" */\n");
            sb.append("    public static final int ").append(r[3]).append(" = 0x")
                    .append(t.replace('x', '0')).append(";\n");
        }
        sb.append("}\n");
        return sb.toString();
    }

    private static String uidJava(List<String[]> rows) {
        StringBuilder sb = new StringBuilder(header());
        sb.append("package org.orderly.dicom.data;\n\n");
        sb.append("/**\n * UIDs of PS3.6 Annex A (Tables A-1, A-2) by keyword.\n");
        sb.append(" *\n * <p>Source: ").append(EDITION).append(".\n */\n");
        sb.append("public final class UID {\n\n    private UID() {\n    }\n");
        for (String[] r : rows) {
            if (r[2].isEmpty()) {
                continue;
            }
            sb.append("\n    /** ").append(escapeJavadoc(r[1])).append(", ").append(r[3])
                    .append("Y".equals(r[4]) ? " (retired)" : "").append(" */\n");
            sb.append("    public static final String ").append(r[2]).append(" = \"").append(r[0]).append("\";\n");
        }
        sb.append("}\n");
        return sb.toString();
    }

    private static String escapeJavadoc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("*/", "*&#47;")
                .replace("@", "&#64;");
    }
}
