package org.orderly.broker.mwl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.orderly.dicom.data.ElementDictionary;
import org.orderly.dicom.data.Tag;
import org.orderly.mwl.access.CallingAeRule;
import org.orderly.mwl.access.MwlAccessPolicy;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads the per-calling-AE worklist rules file ({@code orderly.mwl.rules-file}, e.g. {@code mwl-rules.yaml}):
 * <pre>
 * callers:
 *   CT1:                                  # calling AE title of the modality
 *     station-ae-titles: [CT1, CT1B]      # it sees the steps scheduled on these stations
 *     modalities: [CT]                    # ... of these modalities
 *     worklist-labels: [RADIOLOGY]        # ... with these Worklist Labels (0074,1202)
 *     station-ae-from-calling-ae: true    # query without station AE = its own AE title
 *     ignore-keys: [PatientID]            # keys it sends wrongly: matched as universal, still returned
 *     answer-charset: ISO_IR 100          # Specific Character Set of its answers (transliterated)
 * default:                                # callers without an entry (when orderly.mwl.unknown-callers=all)
 *   answer-charset: ISO_IR 192
 * </pre>
 * Every problem is collected and reported as {@code file:line: problem}; a file with problems is not used.
 */
public final class MwlRulesFile {

    private static final Set<String> RULE_KEYS = Set.of("station-ae-titles", "modalities", "worklist-labels",
            "station-ae-from-calling-ae", "ignore-keys", "answer-charset");
    private static final Pattern AE = Pattern.compile("[\\x20-\\x5B\\x5D-\\x7E]{1,16}");
    private static final Pattern CS = Pattern.compile("[A-Z0-9_ ]{1,16}");
    /** PS3.3 §C.12.1.1.2, Tables C.12-2 to C.12-5: the defined terms Orderly can encode. */
    static final Set<String> CHARSETS = Set.of("ISO_IR 6", "ISO_IR 100", "ISO_IR 101", "ISO_IR 109", "ISO_IR 110",
            "ISO_IR 144", "ISO_IR 127", "ISO_IR 126", "ISO_IR 138", "ISO_IR 148", "ISO_IR 203", "ISO_IR 166",
            "ISO_IR 13", "ISO_IR 192", "GB18030", "GBK", "ISO 2022 IR 6", "ISO 2022 IR 100", "ISO 2022 IR 101",
            "ISO 2022 IR 109", "ISO 2022 IR 110", "ISO 2022 IR 144", "ISO 2022 IR 127", "ISO 2022 IR 126",
            "ISO 2022 IR 138", "ISO 2022 IR 148", "ISO 2022 IR 203", "ISO 2022 IR 166", "ISO 2022 IR 13",
            "ISO 2022 IR 87", "ISO 2022 IR 159", "ISO 2022 IR 149", "ISO 2022 IR 58");

    /** The result: the rules (when there is no problem) and the problems. */
    public record Result(Optional<MwlAccessPolicy> policy, List<String> problems) {
    }

    private MwlRulesFile() {
    }

    /** Reads {@code file}; a missing file gives no rules (everybody sees everything). */
    public static Result read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Result(Optional.of(MwlAccessPolicy.OPEN), List.of());
        } catch (IOException e) {
            return new Result(Optional.empty(), List.of(file + ":0: cannot read: " + e.getMessage()));
        }
        return parse(file.getFileName().toString(), bytes);
    }

    static Result parse(String name, byte[] bytes) {
        List<String> problems = new ArrayList<>();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new Result(Optional.empty(), List.of(name + ":0: not UTF-8 text"));
        }
        Optional<Node> root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(name).build()).composeString(text);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(0);
            return new Result(Optional.empty(), List.of(name + ":" + line + ": YAML syntax: " + e.getProblem()));
        } catch (YamlEngineException e) {
            return new Result(Optional.empty(), List.of(name + ":0: YAML syntax: " + e.getMessage()));
        }
        if (root.isEmpty()) {
            return new Result(Optional.of(MwlAccessPolicy.OPEN), List.of()); // empty file: no rules
        }
        if (!(root.get() instanceof MappingNode top)) {
            return new Result(Optional.empty(), List.of(name + ":" + line(root.get())
                    + ": expected a mapping with 'callers:' and/or 'default:'"));
        }
        Map<String, CallingAeRule> rules = new LinkedHashMap<>();
        CallingAeRule defaultRule = CallingAeRule.SEE_ALL;
        Set<String> seen = new HashSet<>();
        for (NodeTuple t : top.getValue()) {
            String key = scalar(t.getKeyNode());
            if (key == null || !seen.add(key)) {
                problems.add(name + ":" + line(t.getKeyNode()) + ": " + (key == null ? "keys must be names"
                        : "duplicate section '" + key + "'"));
                continue;
            }
            switch (key) {
                case "callers" -> {
                    if (!(t.getValueNode() instanceof MappingNode callers)) {
                        if (!isNull(t.getValueNode())) {
                            problems.add(name + ":" + line(t.getValueNode())
                                    + ": 'callers' must map calling AE titles to their rules");
                        }
                        continue;
                    }
                    for (NodeTuple c : callers.getValue()) {
                        String ae = scalar(c.getKeyNode());
                        if (ae == null || !AE.matcher(ae).matches() || ae.isBlank()) {
                            problems.add(name + ":" + line(c.getKeyNode()) + ": '" + ae
                                    + "' is not an AE title (PS3.5 §6.2: 1..16 characters, no backslash)");
                            continue;
                        }
                        if (rules.containsKey(ae.strip())) {
                            problems.add(name + ":" + line(c.getKeyNode()) + ": duplicate caller '" + ae + "'");
                            continue;
                        }
                        CallingAeRule r = rule(ae.strip(), c.getValueNode(), name, problems);
                        if (r != null) {
                            rules.put(ae.strip(), r);
                        }
                    }
                }
                case "default" -> {
                    CallingAeRule r = rule("default", t.getValueNode(), name, problems);
                    if (r != null) {
                        defaultRule = r;
                    }
                }
                default -> problems.add(name + ":" + line(t.getKeyNode()) + ": unknown section '" + key
                        + "'; expected callers or default");
            }
        }
        if (!problems.isEmpty()) {
            return new Result(Optional.empty(), List.copyOf(problems));
        }
        return new Result(Optional.of(new MwlAccessPolicy(rules, defaultRule, false)), List.of());
    }

    private static CallingAeRule rule(String ae, Node node, String file, List<String> problems) {
        String where = file + ":" + line(node);
        if (isNull(node)) {
            return new CallingAeRule(ae, Set.of(), Set.of(), Set.of(), false, Set.of(), null, where);
        }
        if (!(node instanceof MappingNode m)) {
            problems.add(where + ": the rule of '" + ae + "' must be a mapping (station-ae-titles:, modalities:, ...)");
            return null;
        }
        int before = problems.size();
        Set<String> stations = Set.of();
        Set<String> modalities = Set.of();
        Set<String> labels = Set.of();
        boolean fromCalling = false;
        Set<Integer> ignored = Set.of();
        String charset = null;
        for (NodeTuple t : m.getValue()) {
            String key = scalar(t.getKeyNode());
            String at = file + ":" + line(t.getKeyNode()) + ": ";
            if (key == null || !RULE_KEYS.contains(key)) {
                problems.add(at + "unknown setting '" + key + "' in the rule of '" + ae + "'; expected one of "
                        + new java.util.TreeSet<>(RULE_KEYS));
                continue;
            }
            Node v = t.getValueNode();
            switch (key) {
                case "station-ae-titles" -> stations = list(v, at, problems, AE, "an AE title (1..16 characters)");
                case "modalities" -> modalities = list(v, at, problems, CS,
                        "a Modality code (CS: upper case, digits, '_', up to 16)");
                case "worklist-labels" -> labels = list(v, at, problems, Pattern.compile("[^\\\\]{1,64}"),
                        "a Worklist Label (LO: up to 64 characters, no backslash)");
                case "station-ae-from-calling-ae" -> {
                    String b = scalar(v);
                    if (!"true".equals(b) && !"false".equals(b)) {
                        problems.add(at + "station-ae-from-calling-ae must be true or false");
                    }
                    fromCalling = "true".equals(b);
                }
                case "ignore-keys" -> {
                    Set<Integer> tags = new LinkedHashSet<>();
                    for (String kw : list(v, at, problems, Pattern.compile("[A-Za-z0-9]+"), "a DICOM keyword")) {
                        int tag = ElementDictionary.tagOf(kw);
                        if (tag == -1) {
                            problems.add(at + "'" + kw + "' is not a DICOM keyword (PS3.6), e.g. PatientID");
                        } else if (tag == Tag.ScheduledProcedureStepSequence || tag == Tag.SpecificCharacterSet) {
                            problems.add(at + kw + " cannot be ignored");
                        } else {
                            tags.add(tag);
                        }
                    }
                    ignored = tags;
                }
                case "answer-charset" -> {
                    String cs = scalar(v);
                    if (cs == null || !validCharset(cs)) {
                        problems.add(at + "'" + cs + "' is not a Specific Character Set Orderly can write, e.g. "
                                + "ISO_IR 100, ISO_IR 192, ISO 2022 IR 6\\ISO 2022 IR 87 (PS3.3 §C.12.1.1.2)");
                    }
                    charset = cs;
                }
                default -> throw new IllegalStateException(key);
            }
        }
        if (problems.size() > before) {
            return null;
        }
        return new CallingAeRule(ae, stations, modalities, labels, fromCalling, ignored, charset, file + ":"
                + line(node));
    }

    private static boolean validCharset(String value) {
        String[] terms = value.split("\\\\", -1);
        for (int i = 0; i < terms.length; i++) {
            String t = terms[i].strip();
            if (!(t.isEmpty() && i == 0 && terms.length > 1) && !CHARSETS.contains(t)) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> list(Node v, String at, List<String> problems, Pattern valid, String what) {
        List<Node> items = v instanceof SequenceNode s ? s.getValue() : List.of(v);
        Set<String> out = new LinkedHashSet<>();
        for (Node n : items) {
            String s = scalar(n);
            if (s == null || !valid.matcher(s).matches() || s.isBlank()) {
                problems.add(at + "'" + s + "' is not " + what);
            } else {
                out.add(s.strip());
            }
        }
        return out;
    }

    private static String scalar(Node n) {
        return n instanceof ScalarNode s && !isNull(n) ? s.getValue() : null;
    }

    private static boolean isNull(Node n) {
        return n == null || n.getTag().equals(org.snakeyaml.engine.v2.nodes.Tag.NULL)
                || n instanceof ScalarNode s && s.isPlain() && (s.getValue().isEmpty() || s.getValue().equals("~")
                || s.getValue().equals("null"));
    }

    private static int line(Node n) {
        return n == null ? 0 : n.getStartMark().map(Mark::getLine).map(l -> l + 1).orElse(0);
    }
}
