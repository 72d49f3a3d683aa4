package org.orderly.hl7.mapping;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
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
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads and fully validates mapping files (YAML 1.2, see docs/hl7-interface.md for the format)
 * and compiles them into {@link Mapping}s.
 *
 * <p>Every problem is collected, not only the first, and reported as {@code file:line: problem}:
 * YAML syntax, unknown section or option, unknown DICOM keyword, a sequence path through a
 * non-sequence, malformed HL7 path, unknown transform or table, a reference to an attribute not
 * mapped above, a name transform on a single component, a generator without counter.
 *
 * <p>A directory holds {@code default.yaml} and optional site overlays in {@code sites/*.yaml}.
 * An overlay names the senders it applies to ({@code match:}) and replaces rules, table entries,
 * generators and order controls of the default by key; {@code ~} removes a rule.
 */
public final class MappingLoader {

    public static final String DEFAULT_FILE = "default.yaml";
    public static final String SITES_DIR = "sites";

    private static final Set<String> BASE_KEYS = Set.of("mapping", "order-controls", "patient", "order", "step", "merge", "tables", "generate");
    private static final Set<String> OVERLAY_KEYS = Set.of("site", "match", "worklist-label");
    private static final Set<String> RULE_KEYS = Set.of("from", "value", "transform", "table", "keep-unmatched", "default");
    private static final Set<String> ORDER_GENERATED = Set.of("AccessionNumber", "RequestedProcedureID", "StudyInstanceUID");
    private static final Map<String, OrderAction> DEFAULT_ORDER_CONTROLS = defaultOrderControls();

    private MappingLoader() {
    }

    /** Loads {@code dir/default.yaml} and every {@code dir/sites/*.yaml}; all or nothing. */
    public static MappingSet loadDirectory(Path dir) throws MappingLoadException {
        List<MappingProblem> problems = new ArrayList<>();
        Path baseFile = dir.resolve(DEFAULT_FILE);
        Spec base = parse(baseFile, false, problems);
        List<Spec> overlays = new ArrayList<>();
        Path sitesDir = dir.resolve(SITES_DIR);
        if (Files.isDirectory(sitesDir)) {
            try (Stream<Path> files = Files.list(sitesDir)) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".yaml")
                        || p.getFileName().toString().endsWith(".yml")).sorted().toList()) {
                    Spec s = parse(f, true, problems);
                    if (s != null) {
                        overlays.add(s);
                    }
                }
            } catch (IOException e) {
                problems.add(new MappingProblem(sitesDir.toString(), 0, "cannot list: " + e.getMessage()));
            }
        }
        if (base == null) {
            throw new MappingLoadException(problems);
        }
        Mapping baseMapping = compile(base, problems);
        List<Mapping> sites = new ArrayList<>();
        for (Spec overlay : overlays) {
            sites.add(compile(base.overlay(overlay), problems));
        }
        checkSiteConflicts(overlays, problems);
        if (!problems.isEmpty()) {
            throw new MappingLoadException(problems);
        }
        return new MappingSet(baseMapping, sites);
    }

    /** Loads one base mapping file alone (no overlays). */
    public static Mapping loadFile(Path file) throws MappingLoadException {
        List<MappingProblem> problems = new ArrayList<>();
        Spec spec = parse(file, false, problems);
        Mapping m = spec == null ? null : compile(spec, problems);
        if (!problems.isEmpty()) {
            throw new MappingLoadException(problems);
        }
        return m;
    }

    // ---------------------------------------------------------------- parsing

    /** A key/value pair of the YAML file, kept with its file for error positions. */
    private record Entry(String key, Node keyNode, Node value, String file, boolean constant) {
        Entry(String key, Node keyNode, Node value, String file) {
            this(key, keyNode, value, file, false);
        }
    }

    /** The raw content of one file, before compiling; overlays merge at this level. */
    private static final class Spec {
        final String file;
        final boolean isOverlay;
        String name = "default";
        String site;
        Set<String> facilities = new LinkedHashSet<>();
        Set<String> applications = new LinkedHashSet<>();
        Entry matchEntry;
        Entry worklistLabel;
        final Map<String, Entry> orderControls = new LinkedHashMap<>();
        final Map<String, Entry> patient = new LinkedHashMap<>();
        final Map<String, Entry> order = new LinkedHashMap<>();
        final Map<String, Entry> step = new LinkedHashMap<>();
        final Map<String, Entry> merge = new LinkedHashMap<>();
        final Map<String, Entry> generate = new LinkedHashMap<>();
        final Map<String, Map<String, Entry>> tables = new LinkedHashMap<>();

        Spec(String file, boolean isOverlay) {
            this.file = file;
            this.isOverlay = isOverlay;
        }

        Spec overlay(Spec o) {
            Spec m = new Spec(file + " + " + o.file, true);
            m.name = o.site;
            m.site = o.site;
            m.facilities = o.facilities;
            m.applications = o.applications;
            m.matchEntry = o.matchEntry;
            putAll(m.orderControls, orderControls, o.orderControls);
            putAll(m.patient, patient, o.patient);
            putAll(m.order, order, o.order);
            putAll(m.step, step, o.step);
            putAll(m.merge, merge, o.merge);
            putAll(m.generate, generate, o.generate);
            tables.forEach((k, v) -> m.tables.put(k, new LinkedHashMap<>(v)));
            o.tables.forEach((k, v) -> putAll(m.tables.computeIfAbsent(k, x -> new LinkedHashMap<>()), Map.of(), v));
            if (o.worklistLabel != null) {
                Entry w = o.worklistLabel;
                m.order.put("WorklistLabel", new Entry("WorklistLabel", w.keyNode(), w.value(), w.file(), true));
            }
            return m;
        }

        private static void putAll(Map<String, Entry> out, Map<String, Entry> base, Map<String, Entry> over) {
            out.putAll(base);
            over.forEach((k, e) -> {
                if (isNull(e.value())) {
                    out.remove(k);
                } else {
                    out.put(k, e);
                }
            });
        }
    }

    private static Spec parse(Path path, boolean overlay, List<MappingProblem> problems) {
        String file = path.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            problems.add(new MappingProblem(file, 0, "cannot read: " + e));
            return null;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            problems.add(new MappingProblem(file, 0, "not UTF-8 text"));
            return null;
        }
        Optional<Node> root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(file).setAllowDuplicateKeys(true).build();
            root = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(0);
            problems.add(new MappingProblem(file, line, "YAML syntax: " + e.getProblem()));
            return null;
        } catch (YamlEngineException e) {
            problems.add(new MappingProblem(file, 0, "YAML syntax: " + e.getMessage()));
            return null;
        }
        if (root.isEmpty() || !(root.get() instanceof MappingNode rootMap)) {
            problems.add(new MappingProblem(file, root.map(MappingLoader::line).orElse(1),
                    "expected a mapping with sections " + (overlay ? "site, match, " : "") + "patient, order, step, ..."));
            return null;
        }
        Spec spec = new Spec(file, overlay);
        for (Entry e : entries(rootMap, file, problems)) {
            String key = e.key();
            if (!BASE_KEYS.contains(key) && !(overlay && OVERLAY_KEYS.contains(key))) {
                problems.add(problem(e, "unknown section '" + key + "'; expected one of "
                        + String.join(", ", overlay ? union(BASE_KEYS, OVERLAY_KEYS) : new java.util.TreeSet<>(BASE_KEYS))));
                continue;
            }
            switch (key) {
                case "mapping" -> spec.name = scalar(e, problems).orElse(spec.name);
                case "site" -> spec.site = scalar(e, problems).orElse(null);
                case "worklist-label" -> spec.worklistLabel = e;
                case "match" -> readMatch(e, spec, problems);
                case "order-controls" -> section(e, problems).forEach(x -> spec.orderControls.put(x.key(), x));
                case "patient" -> section(e, problems).forEach(x -> spec.patient.put(x.key(), x));
                case "order" -> section(e, problems).forEach(x -> spec.order.put(x.key(), x));
                case "step" -> section(e, problems).forEach(x -> spec.step.put(x.key(), x));
                case "merge" -> section(e, problems).forEach(x -> spec.merge.put(x.key(), x));
                case "generate" -> section(e, problems).forEach(x -> spec.generate.put(x.key(), x));
                case "tables" -> {
                    for (Entry t : section(e, problems)) {
                        Map<String, Entry> table = new LinkedHashMap<>();
                        for (Entry row : section(t, problems)) {
                            if (!(row.value() instanceof ScalarNode) || isNull(row.value())) {
                                problems.add(problem(row, "table '" + t.key() + "': value of '" + row.key() + "' must be a single value"));
                            }
                            table.put(row.key(), row);
                        }
                        spec.tables.put(t.key(), table);
                    }
                }
                default -> throw new IllegalStateException(key);
            }
        }
        if (overlay) {
            if (spec.site == null || spec.site.isBlank()) {
                problems.add(new MappingProblem(file, line(rootMap), "site overlay needs 'site: <name>'"));
            }
            if (spec.matchEntry == null) {
                problems.add(new MappingProblem(file, line(rootMap), "site overlay needs 'match:' with sending-facility and/or sending-application"));
            }
        }
        return spec;
    }

    private static void readMatch(Entry e, Spec spec, List<MappingProblem> problems) {
        spec.matchEntry = e;
        for (Entry m : section(e, problems)) {
            Set<String> target = switch (m.key()) {
                case "sending-facility" -> spec.facilities;
                case "sending-application" -> spec.applications;
                default -> null;
            };
            if (target == null) {
                problems.add(problem(m, "unknown match key '" + m.key() + "'; expected sending-facility (MSH-4) or sending-application (MSH-3)"));
                continue;
            }
            for (Node n : listOrScalar(m.value())) {
                if (n instanceof ScalarNode s && !isNull(s)) {
                    target.add(s.getValue().trim().toUpperCase(Locale.ROOT));
                } else {
                    problems.add(new MappingProblem(m.file(), line(n), "match values must be names"));
                }
            }
        }
        if (spec.facilities.isEmpty() && spec.applications.isEmpty()) {
            problems.add(problem(e, "match: needs sending-facility and/or sending-application"));
        }
    }

    private static List<Entry> section(Entry e, List<MappingProblem> problems) {
        if (isNull(e.value())) {
            return List.of();
        }
        if (!(e.value() instanceof MappingNode m)) {
            problems.add(problem(e, "'" + e.key() + "' must be a mapping of key: value lines"));
            return List.of();
        }
        return entries(m, e.file(), problems);
    }

    private static List<Entry> entries(MappingNode m, String file, List<MappingProblem> problems) {
        List<Entry> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                problems.add(new MappingProblem(file, line(t.getKeyNode()), "keys must be plain names"));
                continue;
            }
            String key = k.getValue().trim();
            if (!seen.add(key)) {
                problems.add(new MappingProblem(file, line(k), "duplicate key '" + key + "'"));
                continue;
            }
            out.add(new Entry(key, k, t.getValueNode(), file));
        }
        return out;
    }

    private static Optional<String> scalar(Entry e, List<MappingProblem> problems) {
        if (e.value() instanceof ScalarNode s && !isNull(s)) {
            return Optional.of(s.getValue());
        }
        problems.add(problem(e, "'" + e.key() + "' must be a single value"));
        return Optional.empty();
    }

    // ---------------------------------------------------------------- compiling

    private static Mapping compile(Spec spec, List<MappingProblem> problems) {
        Map<String, OrderAction> controls = new LinkedHashMap<>();
        if (spec.orderControls.isEmpty()) {
            controls.putAll(DEFAULT_ORDER_CONTROLS);
        }
        for (Entry e : spec.orderControls.values()) {
            Optional<String> v = scalar(e, problems);
            if (v.isEmpty()) {
                continue;
            }
            try {
                controls.put(e.key(), OrderAction.valueOf(v.get().trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException x) {
                problems.add(problem(e, "unknown order action '" + v.get() + "' for ORC-1 " + e.key()
                        + "; expected new, change, cancel, discontinue or status"));
            }
        }
        Map<String, Map<String, String>> tables = new LinkedHashMap<>();
        spec.tables.forEach((name, rows) -> {
            Map<String, String> t = new LinkedHashMap<>();
            rows.forEach((k, e) -> {
                if (e.value() instanceof ScalarNode s) {
                    t.put(k, s.getValue());
                }
            });
            tables.put(name, Map.copyOf(t));
        });

        Set<String> known = new LinkedHashSet<>();
        Compiler c = new Compiler(tables, problems);
        List<Rule> patient = c.rules(spec.patient, "patient", known);
        List<Rule> order = c.rules(spec.order, "order", known);
        Map<String, Rule> generate = new LinkedHashMap<>();
        for (Entry e : spec.generate.values()) {
            if (!ORDER_GENERATED.contains(e.key()) && !e.key().equals("ScheduledProcedureStepID")) {
                problems.add(problem(e, "cannot generate '" + e.key() + "'; generators exist for AccessionNumber, "
                        + "RequestedProcedureID, StudyInstanceUID and ScheduledProcedureStepID"));
            }
        }
        // Same order as OrderMapper runs them, so a pattern may use @AccessionNumber in RequestedProcedureID.
        for (String key : List.of("AccessionNumber", "RequestedProcedureID", "StudyInstanceUID")) {
            Entry e = spec.generate.get(key);
            if (e != null) {
                Rule g = c.generator(e, known);
                if (g != null) {
                    generate.put(key, g);
                }
                known.add(key);
            }
        }
        known.addAll(generate.keySet());
        List<Rule> step = c.rules(spec.step, "step", known);
        Entry spsGen = spec.generate.get("ScheduledProcedureStepID");
        if (spsGen != null) {
            Rule g = c.generator(spsGen, known);
            if (g != null) {
                generate.put(spsGen.key(), g);
            }
        }
        List<Rule> merge = c.rules(spec.merge, "merge", new LinkedHashSet<>());
        SiteMatch site = spec.isOverlay ? new SiteMatch(spec.site, Set.copyOf(spec.facilities), Set.copyOf(spec.applications)) : null;
        return new Mapping(spec.name, spec.file, site, Map.copyOf(controls), patient, order, step, merge, Map.copyOf(generate));
    }

    /** Compiles rule nodes, reporting into {@code problems}. */
    private static final class Compiler {
        private final Map<String, Map<String, String>> tables;
        private final List<MappingProblem> problems;

        Compiler(Map<String, Map<String, String>> tables, List<MappingProblem> problems) {
            this.tables = tables;
            this.problems = problems;
        }

        List<Rule> rules(Map<String, Entry> entries, String section, Set<String> known) {
            List<Rule> out = new ArrayList<>();
            for (Entry e : entries.values()) {
                Optional<DicomDictionary.Entry> target = target(e, section);
                if (target.isEmpty()) {
                    continue;
                }
                String vr = target.get().vr();
                Expr expr;
                if (e.constant()) {
                    expr = e.value() instanceof ScalarNode s && !isNull(s)
                            ? new Expr.RuleExpr(List.of(new Expr.ConstExpr(s.getValue())), null, List.of(), null, false, null)
                            : null;
                    if (expr == null) {
                        problems.add(problem(e, "worklist-label must be a single value"));
                    }
                } else {
                    expr = rule(e.value(), e.file(), vr, known, true, e.key());
                }
                if (expr != null) {
                    out.add(new Rule(e.key(), vr, expr, e.file() + ":" + line(e.keyNode())));
                }
                known.add(e.key());
            }
            return List.copyOf(out);
        }

        /** Validates a keyword path; returns the entry of its last keyword. */
        private Optional<DicomDictionary.Entry> target(Entry e, String section) {
            String[] parts = e.key().split("\\.", -1);
            if (section.equals("order") && parts[0].equals("ScheduledProcedureStepSequence")) {
                problems.add(problem(e, "put Scheduled Procedure Step attributes under 'step:' without the "
                        + "ScheduledProcedureStepSequence. prefix"));
                return Optional.empty();
            }
            DicomDictionary.Entry last = null;
            for (int i = 0; i < parts.length; i++) {
                Optional<DicomDictionary.Entry> d = DicomDictionary.lookup(parts[i]);
                if (d.isEmpty()) {
                    problems.add(problem(e, "unknown DICOM keyword '" + parts[i] + "'" + (parts.length > 1 ? " in '" + e.key() + "'" : "")
                            + " (PS3.6 keywords, e.g. AccessionNumber)"));
                    return Optional.empty();
                }
                boolean isLast = i == parts.length - 1;
                if (!isLast && !d.get().isSequence()) {
                    problems.add(problem(e, "'" + parts[i] + "' is not a sequence (VR " + d.get().vr() + "), so '" + e.key() + "' is not a valid path"));
                    return Optional.empty();
                }
                if (isLast && d.get().isSequence()) {
                    problems.add(problem(e, "'" + parts[i] + "' is a sequence; map its item attributes, e.g. " + parts[i] + ".CodeValue"));
                    return Optional.empty();
                }
                last = d.get();
            }
            return Optional.ofNullable(last);
        }

        /** A rule value: a source, a list of sources, or a mapping with options. */
        Expr rule(Node node, String file, String vr, Set<String> known, boolean topLevel, String target) {
            List<Expr> sources = new ArrayList<>();
            List<Transform> transforms = new ArrayList<>();
            Transform nameTransform = null;
            Map<String, String> table = null;
            boolean keepUnmatched = false;
            String defaultValue = null;
            int errorsBefore = problems.size();
            if (node instanceof ScalarNode s && !isNull(s)) {
                addSource(sources, s, file, known);
            } else if (node instanceof SequenceNode seq) {
                for (Node n : seq.getValue()) {
                    addSourceNode(sources, n, file, vr, known);
                }
            } else if (node instanceof MappingNode m) {
                Node from = null;
                Node value = null;
                for (Entry o : entries(m, file, problems)) {
                    switch (o.key()) {
                        case "from" -> from = o.value();
                        case "value" -> value = o.value();
                        case "transform" -> {
                            for (Node t : listOrScalar(o.value())) {
                                String name = t instanceof ScalarNode ts ? ts.getValue() : "";
                                Optional<Transform> tr = Transform.byName(name);
                                if (tr.isEmpty()) {
                                    problems.add(new MappingProblem(file, line(t), "unknown transform '" + name + "'; expected one of " + Transform.names()));
                                } else if (tr.get().readsWholeField()) {
                                    nameTransform = tr.get();
                                } else {
                                    transforms.add(tr.get());
                                }
                            }
                        }
                        case "table" -> {
                            String name = o.value() instanceof ScalarNode ts ? ts.getValue() : "";
                            table = tables.get(name);
                            if (table == null) {
                                problems.add(problem(o, "unknown table '" + name + "'; tables: " + String.join(", ", tables.keySet())));
                            }
                        }
                        case "keep-unmatched" -> {
                            String b = o.value() instanceof ScalarNode ts ? ts.getValue() : "";
                            if (!b.equals("true") && !b.equals("false")) {
                                problems.add(problem(o, "keep-unmatched must be true or false"));
                            }
                            keepUnmatched = b.equals("true");
                        }
                        case "default" -> defaultValue = o.value() instanceof ScalarNode ts && !isNull(ts) ? ts.getValue() : null;
                        default -> problems.add(problem(o, "unknown option '" + o.key() + "'; expected one of " + String.join(", ", new java.util.TreeSet<>(RULE_KEYS))));
                    }
                }
                if (from != null && value != null) {
                    problems.add(new MappingProblem(file, line(m), "use either 'from' or 'value', not both"));
                } else if (value != null) {
                    if (value instanceof ScalarNode vs && !isNull(vs)) {
                        sources.add(new Expr.ConstExpr(vs.getValue()));
                    } else {
                        problems.add(new MappingProblem(file, line(value), "'value' must be a single value"));
                    }
                } else if (from instanceof ScalarNode fs && !isNull(fs)) {
                    addSource(sources, fs, file, known);
                } else if (from instanceof SequenceNode fseq) {
                    for (Node n : fseq.getValue()) {
                        addSourceNode(sources, n, file, vr, known);
                    }
                } else if (from instanceof MappingNode) {
                    addSourceNode(sources, from, file, vr, known);
                } else if (defaultValue == null) {
                    problems.add(new MappingProblem(file, line(m), "rule needs 'from', 'value' or 'default'"));
                }
            } else {
                problems.add(new MappingProblem(file, line(node), "rule must be an HL7 path, a list of sources or a mapping with 'from'"));
                return null;
            }
            if (nameTransform != null) {
                for (Expr s : sources) {
                    if (!(s instanceof Expr.PathExpr p) || !p.path().wholeField()) {
                        problems.add(new MappingProblem(file, line(node), "transform " + nameTransform.yamlName()
                                + " reads a whole name field: its sources must be paths like PID-5 or OBR-16, without component"));
                        break;
                    }
                }
            }
            if (topLevel) {
                boolean hasDateTime = transforms.contains(Transform.DATE) || transforms.contains(Transform.TIME) || transforms.contains(Transform.DATETIME);
                if (!hasDateTime) {
                    switch (vr) {
                        case "DA" -> transforms.add(Transform.DATE);
                        case "TM" -> transforms.add(Transform.TIME);
                        case "DT" -> transforms.add(Transform.DATETIME);
                        default -> { }
                    }
                }
                if (vr.equals("PN") && nameTransform == null) {
                    for (Expr s : sources) {
                        if (s instanceof Expr.PathExpr p && p.path().wholeField()) {
                            problems.add(new MappingProblem(file, line(node), target + " is a person name (PN): add 'transform: pn-from-xpn' "
                                    + "(PID-5 style) or 'pn-from-xcn' (OBR-16 style) to read " + p.path() + ", or pick one component"));
                            break;
                        }
                    }
                }
            }
            if (problems.size() > errorsBefore) {
                return null;
            }
            return new Expr.RuleExpr(List.copyOf(sources), nameTransform, List.copyOf(transforms), table, keepUnmatched, defaultValue);
        }

        private void addSourceNode(List<Expr> sources, Node n, String file, String vr, Set<String> known) {
            if (n instanceof ScalarNode s && !isNull(s)) {
                addSource(sources, s, file, known);
            } else if (n instanceof MappingNode) {
                Expr nested = rule(n, file, vr, known, false, "");
                if (nested != null) {
                    sources.add(nested);
                }
            } else {
                problems.add(new MappingProblem(file, line(n), "a source is an HL7 path, @Keyword, a \"{template}\" or a mapping with 'from'"));
            }
        }

        private void addSource(List<Expr> sources, ScalarNode s, String file, Set<String> known) {
            Expr e = source(s.getValue(), file, line(s), known, false);
            if (e != null) {
                sources.add(e);
            }
        }

        /** One source: {@code PID-3-1}, {@code @Keyword} or a template with {@code {...}}. */
        Expr source(String text, String file, int line, Set<String> known, boolean generator) {
            String t = text.trim();
            if (t.contains("{")) {
                return template(t, file, line, known, generator);
            }
            if (t.startsWith("@")) {
                return ref(t.substring(1), file, line, known);
            }
            Optional<FieldPath> p = FieldPath.parse(t);
            if (p.isEmpty()) {
                problems.add(new MappingProblem(file, line, "malformed HL7 path '" + t + "'; expected SEG-field[-component[-subcomponent]] "
                        + "like PID-3-1, OBR-4-2, ZDS-1, PID-3(1)-1 (use 'value:' for a constant)"));
                return null;
            }
            return new Expr.PathExpr(p.get());
        }

        private Expr ref(String keyword, String file, int line, Set<String> known) {
            if (DicomDictionary.lookup(keyword.contains(".") ? keyword.substring(keyword.lastIndexOf('.') + 1) : keyword).isEmpty()) {
                problems.add(new MappingProblem(file, line, "unknown DICOM keyword '@" + keyword + "'"));
                return null;
            }
            if (!known.contains(keyword)) {
                problems.add(new MappingProblem(file, line, "@" + keyword + " refers to an attribute not mapped above this line"));
                return null;
            }
            return new Expr.RefExpr(keyword);
        }

        private Expr template(String t, String file, int line, Set<String> known, boolean generator) {
            List<Object> parts = new ArrayList<>();
            int i = 0;
            while (i < t.length()) {
                int open = t.indexOf('{', i);
                if (open < 0) {
                    parts.add(t.substring(i));
                    break;
                }
                int close = t.indexOf('}', open);
                if (close < 0) {
                    problems.add(new MappingProblem(file, line, "unclosed '{' in \"" + t + "\""));
                    return null;
                }
                if (open > i) {
                    parts.add(t.substring(i, open));
                }
                String ph = t.substring(open + 1, close).trim();
                Expr e;
                if (generator && (ph.equals("counter") || ph.startsWith("counter:"))) {
                    int width = 0;
                    if (ph.startsWith("counter:")) {
                        try {
                            width = Integer.parseInt(ph.substring(8).trim());
                        } catch (NumberFormatException x) {
                            width = -1;
                        }
                        if (width < 1 || width > 16) {
                            problems.add(new MappingProblem(file, line, "{counter:N} needs N from 1 to 16"));
                            return null;
                        }
                    }
                    e = new Expr.CounterExpr("?", width);
                } else if (generator && ph.equals("step")) {
                    e = new Expr.StepExpr();
                } else if (ph.startsWith("@")) {
                    e = ref(ph.substring(1), file, line, known);
                } else {
                    e = source(ph, file, line, known, false);
                }
                if (e == null) {
                    return null;
                }
                parts.add(e);
                i = close + 1;
            }
            return new Expr.TemplateExpr(List.copyOf(parts));
        }

        /** A generator: {@code uuid} (StudyInstanceUID only) or a pattern with placeholders. */
        Rule generator(Entry e, Set<String> known) {
            String vr = DicomDictionary.lookup(e.key()).map(DicomDictionary.Entry::vr).orElse("SH");
            if (!(e.value() instanceof ScalarNode s) || isNull(s)) {
                problems.add(problem(e, "generator must be a pattern like \"A{counter:7}\"" + (e.key().equals("StudyInstanceUID") ? " or uuid" : "")));
                return null;
            }
            String v = s.getValue().trim();
            String origin = e.file() + ":" + line(e.keyNode());
            if (e.key().equals("StudyInstanceUID")) {
                if (!v.equals("uuid")) {
                    problems.add(problem(e, "StudyInstanceUID can only be generated as 'uuid' (2.25.<UUID>, PS3.5 §B.2)"));
                    return null;
                }
                return new Rule(e.key(), vr, new Expr.UidExpr(), origin);
            }
            if (!v.contains("{")) {
                problems.add(problem(e, "generator pattern \"" + v + "\" has no {counter}, {step} or {@Keyword}: every order would get the same "
                        + e.key()));
                return null;
            }
            Expr t = template(v, e.file(), line(s), known, true);
            if (t == null) {
                return null;
            }
            List<Object> parts = new ArrayList<>();
            for (Object p : ((Expr.TemplateExpr) t).parts()) {
                parts.add(p instanceof Expr.CounterExpr c ? new Expr.CounterExpr(e.key(), c.width()) : p);
            }
            return new Rule(e.key(), vr, new Expr.TemplateExpr(List.copyOf(parts)), origin);
        }
    }

    private static void checkSiteConflicts(List<Spec> overlays, List<MappingProblem> problems) {
        Map<String, String> seen = new LinkedHashMap<>();
        for (Spec s : overlays) {
            Set<String> facilities = s.facilities.isEmpty() ? Set.of("*") : s.facilities;
            Set<String> apps = s.applications.isEmpty() ? Set.of("*") : s.applications;
            for (String f : facilities) {
                for (String a : apps) {
                    String key = f + "|" + a;
                    String other = seen.putIfAbsent(key, s.file);
                    if (other != null) {
                        int ln = s.matchEntry == null ? 0 : line(s.matchEntry.keyNode());
                        problems.add(new MappingProblem(s.file, ln, "sending facility " + f + (a.equals("*") ? "" : " / application " + a)
                                + " is already matched by " + other));
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static List<Node> listOrScalar(Node n) {
        if (n instanceof SequenceNode s) {
            return s.getValue();
        }
        return List.of(n);
    }

    /** YAML null: {@code ~}, {@code null} or nothing, whatever schema the composer resolved with. */
    private static boolean isNull(Node n) {
        if (n == null || n.getTag().equals(Tag.NULL)) {
            return true;
        }
        if (n instanceof ScalarNode s && s.isPlain()) {
            String v = s.getValue();
            return v.isEmpty() || v.equals("~") || v.equals("null") || v.equals("Null") || v.equals("NULL");
        }
        return false;
    }

    private static int line(Node n) {
        return n == null ? 0 : n.getStartMark().map(Mark::getLine).map(l -> l + 1).orElse(0);
    }

    private static MappingProblem problem(Entry e, String text) {
        return new MappingProblem(e.file(), line(e.keyNode()), text);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new java.util.TreeSet<>(a);
        u.addAll(b);
        return u;
    }

    private static Map<String, OrderAction> defaultOrderControls() {
        Map<String, OrderAction> m = new LinkedHashMap<>();
        m.put("NW", OrderAction.NEW);
        m.put("XO", OrderAction.CHANGE);
        m.put("XX", OrderAction.CHANGE);
        m.put("CA", OrderAction.CANCEL);
        m.put("OC", OrderAction.CANCEL);
        m.put("DC", OrderAction.DISCONTINUE);
        m.put("SC", OrderAction.STATUS);
        return Map.copyOf(m);
    }
}
