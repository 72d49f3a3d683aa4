package org.orderly.hl7.mapping;

import ca.uhn.hl7v2.model.Segment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orderly.hl7.ParsedMessage;
import org.orderly.hl7.ack.ErrorCode;
import org.orderly.hl7.ack.ErrorLocation;
import org.orderly.hl7.ack.Hl7Error;

/**
 * The mapping engine: applies a compiled {@link Mapping} to a parsed message. Stateless apart
 * from the {@link IdGenerator}; safe for concurrent use.
 *
 * <p>Order messages (ORM^O01, OMI^O23): the segments are split into order groups
 * ({@link OrderGroups}); per group the patient, order and generator rules run, then per step
 * the step rules and the SPS ID generator; groups that name the same Requested Procedure
 * (same action, Accession Number and Requested Procedure ID) become one requested procedure with
 * several steps (IHE RAD TF-2 §4.4.4.1.2.1: v2.3.1 sends one ORC/OBR per SPS).
 */
public final class OrderMapper {

    private final IdGenerator ids;

    public OrderMapper(IdGenerator ids) {
        this.ids = ids;
    }

    /**
     * Maps every order group of an ORM/OMI.
     *
     * @throws MappingRejectedException AE: unknown or missing ORC-1, no order group, or a Type 1
     *                                  key empty after mapping and generation
     */
    public List<MappedOrder> mapOrders(ParsedMessage msg, Mapping mapping) throws MappingRejectedException {
        OrderGroups.Split split = OrderGroups.split(msg.segments());
        if (split.groups().isEmpty()) {
            throw new MappingRejectedException(List.of(new Hl7Error(ErrorCode.SEGMENT_SEQUENCE_ERROR,
                    ErrorLocation.segment("ORC", 1), "order message without ORC/OBR segment")));
        }
        List<Hl7Error> errors = new ArrayList<>();
        List<MappedOrder> orders = new ArrayList<>();
        List<Integer> groupNumbers = new ArrayList<>();
        for (OrderGroup group : split.groups()) {
            // Patient rules see the group too: IHE takes Medical Alerts from OBR-13, Patient State from OBR-12.
            Map<String, String> patient = new LinkedHashMap<>();
            EvalContext patientCtx = context(msg, split.messageLevel(), group.segments(), List.of(), patient, null, null, 0);
            evalAll(mapping.patient(), patientCtx, patient);
            Segment orc = group.segments().get(0).getName().equals("ORC") ? group.segments().get(0) : null;
            String control = orc == null ? "" : FieldPath.read(orc, 1, 0, 1, 1).trim();
            int orcSeq = orc == null ? group.number() : patientCtx.sequenceOf(orc);
            if (control.isEmpty()) {
                errors.add(new Hl7Error(ErrorCode.REQUIRED_FIELD_MISSING, new ErrorLocation("ORC", orcSeq, 1, 1, 0, 0),
                        "order group " + group.number() + ": ORC-1 order control missing"));
                continue;
            }
            OrderAction action = mapping.orderControls().get(control);
            if (action == null) {
                errors.add(new Hl7Error(ErrorCode.TABLE_VALUE_NOT_FOUND, new ErrorLocation("ORC", orcSeq, 1, 1, 0, 0),
                        "order group " + group.number() + ": order control '" + control + "' not accepted; accepted: "
                                + String.join(", ", mapping.orderControls().keySet())));
                continue;
            }
            Map<String, String> order = new LinkedHashMap<>();
            Set<String> generated = new LinkedHashSet<>();
            EvalContext orderCtx = context(msg, split.messageLevel(), group.segments(), List.of(), patient, order, null, 0);
            evalAll(mapping.order(), orderCtx, order);
            if (action.carriesFullOrder()) {
                generate(mapping, "AccessionNumber", orderCtx, order, generated);
                generate(mapping, "RequestedProcedureID", orderCtx, order, generated);
                generate(mapping, "StudyInstanceUID", orderCtx, order, generated);
            }
            List<Map<String, String>> steps = new ArrayList<>();
            int stepNumber = 0;
            for (List<Segment> stepSegments : group.steps()) {
                stepNumber++;
                Map<String, String> step = new LinkedHashMap<>();
                EvalContext stepCtx = context(msg, split.messageLevel(), group.segments(), stepSegments, patient, order, step, stepNumber);
                evalAll(mapping.step(), stepCtx, step);
                if (action.carriesFullOrder()) {
                    generate(mapping, "ScheduledProcedureStepID", stepCtx, step, generated);
                    checkType1(mapping, "step", step, stepCtx, group, errors);
                }
                steps.add(step);
            }
            if (action.carriesFullOrder()) {
                checkType1(mapping, "patient", patient, orderCtx, group, errors);
                checkType1(mapping, "order", order, orderCtx, group, errors);
            }
            // OBR before ORC: each OBR is one requested procedure; in the ORC OBR OBR dialect the repeated
            // ORC names the first one (see OrderGroups)
            String placer = first(order.get("PlacerOrderNumberImagingServiceRequest"), orderCtx, "OBR-2-1", "ORC-2-1");
            String filler = first(order.get("FillerOrderNumberImagingServiceRequest"), orderCtx, "OBR-3-1", "ORC-3-1");
            orders.add(new MappedOrder(control, action, placer, filler, patient, order, steps, generated));
            groupNumbers.add(group.number());
        }
        if (!errors.isEmpty()) {
            throw new MappingRejectedException(dedupe(errors));
        }
        requireDistinctPlacerNumbers(orders, groupNumbers);
        return mergeSameProcedure(orders);
    }

    /**
     * The store keys an order on (sender, placer order number): two DIFFERENT requested procedures
     * created or changed by one message under the same placer order number would silently replace
     * each other ("order created ... order changed"). Such a message is refused as a whole with
     * AE 205 Duplicate key identifier (HL7 table 0357) instead; ERR-2 points at the OBR-2 of the
     * second group. Usually the cause is a mapping that reads ORC-2 before OBR-2 for a RIS that
     * repeats one ORC over several OBRs.
     */
    private static void requireDistinctPlacerNumbers(List<MappedOrder> groups, List<Integer> groupNumbers)
            throws MappingRejectedException {
        Map<String, Integer> firstByPlacer = new HashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            MappedOrder o = groups.get(i);
            if (!o.action().carriesFullOrder() || o.placerOrderNumber().isEmpty()) {
                continue;
            }
            Integer first = firstByPlacer.putIfAbsent(o.placerOrderNumber(), i);
            if (first == null) {
                continue;
            }
            String key = mergeKey(o);
            if (key != null && key.equals(mergeKey(groups.get(first)))) {
                continue; // two steps of one requested procedure (IHE v2.3.1: one ORC/OBR per step)
            }
            throw new MappingRejectedException(List.of(new Hl7Error(ErrorCode.DUPLICATE_KEY_IDENTIFIER,
                    new ErrorLocation("OBR", groupNumbers.get(i), 2, 1, 1, 0),
                    "order groups " + groupNumbers.get(first) + " and " + groupNumbers.get(i) + " are different requested"
                            + " procedures with the same placer order number; each needs its own OBR-2")));
        }
    }

    /**
     * Maps the patient of an ADT^A08 / ADT^A31.
     *
     * @throws MappingRejectedException AE 101 when PatientID is empty
     */
    public MappedPatient mapPatient(ParsedMessage msg, Mapping mapping) throws MappingRejectedException {
        Map<String, String> patient = new LinkedHashMap<>();
        EvalContext ctx = context(msg, msg.segments(), List.of(), List.of(), patient, null, null, 0);
        evalAll(mapping.patient(), ctx, patient);
        requirePatientId(mapping.patient(), patient, ctx, "patient");
        return new MappedPatient(patient);
    }

    /**
     * Maps an ADT^A40: surviving patient (section {@code patient:}) and prior patient (section
     * {@code merge:}).
     *
     * @throws MappingRejectedException AE 101 when either PatientID is empty
     */
    public MappedMerge mapMerge(ParsedMessage msg, Mapping mapping) throws MappingRejectedException {
        Map<String, String> surviving = new LinkedHashMap<>();
        EvalContext ctx = context(msg, msg.segments(), List.of(), List.of(), surviving, null, null, 0);
        evalAll(mapping.patient(), ctx, surviving);
        Map<String, String> prior = new LinkedHashMap<>();
        EvalContext priorCtx = context(msg, msg.segments(), List.of(), List.of(), surviving, prior, null, 0);
        evalAll(mapping.merge(), priorCtx, prior);
        requirePatientId(mapping.patient(), surviving, ctx, "surviving patient");
        requirePatientId(mapping.merge(), prior, priorCtx, "prior patient");
        return new MappedMerge(surviving, prior);
    }

    private void requirePatientId(List<Rule> rules, Map<String, String> attrs, EvalContext ctx, String who)
            throws MappingRejectedException {
        if (!attrs.getOrDefault("PatientID", "").isEmpty()) {
            return;
        }
        Rule rule = rules.stream().filter(r -> r.target().equals("PatientID")).findFirst().orElse(null);
        throw new MappingRejectedException(List.of(new Hl7Error(ErrorCode.REQUIRED_FIELD_MISSING,
                location(rule, ctx), who + ": PatientID (0010,0020) is empty" + from(rule))));
    }

    private EvalContext context(ParsedMessage msg, List<Segment> messageLevel, List<Segment> group, List<Segment> step,
                                Map<String, String> patient, Map<String, String> order, Map<String, String> stepAttrs,
                                int stepNumber) {
        return new EvalContext(msg.segments(), messageLevel, group, step, patient, order, stepAttrs, stepNumber, ids);
    }

    private static void evalAll(List<Rule> rules, EvalContext ctx, Map<String, String> out) {
        for (Rule r : rules) {
            String v = r.eval(ctx);
            if (!v.isEmpty()) {
                out.put(r.target(), v);
            }
        }
    }

    private static void generate(Mapping mapping, String keyword, EvalContext ctx, Map<String, String> out, Set<String> generated) {
        if (!out.getOrDefault(keyword, "").isEmpty()) {
            return;
        }
        Rule g = mapping.generate().get(keyword);
        if (g == null) {
            return;
        }
        String v = g.eval(ctx);
        if (!v.isEmpty()) {
            out.put(keyword, v);
            generated.add(keyword);
        }
    }

    private static void checkType1(Mapping mapping, String section, Map<String, String> attrs, EvalContext ctx,
                                   OrderGroup group, List<Hl7Error> errors) {
        List<Rule> rules = switch (section) {
            case "patient" -> mapping.patient();
            case "order" -> mapping.order();
            default -> mapping.step();
        };
        for (Type1Keys.Key key : Type1Keys.ORDER_KEYS) {
            if (!key.section().equals(section)) {
                continue;
            }
            boolean present = key.anyOf().stream().anyMatch(k -> !attrs.getOrDefault(k, "").isEmpty());
            if (present) {
                continue;
            }
            String keyword = key.anyOf().get(0);
            Rule rule = mapping.rule(rules, keyword);
            if (rule == null && key.anyOf().size() > 1) {
                rule = mapping.rule(rules, key.anyOf().get(1));
            }
            String what = String.join(" or ", key.anyOf().stream().map(k -> describe(section, k)).toList());
            String tail = mapping.generate().containsKey(keyword) ? " and its generator gave no value" : "";
            errors.add(new Hl7Error(ErrorCode.REQUIRED_FIELD_MISSING, location(rule, ctx),
                    "order group " + group.number() + ": Type 1 key " + what + " is empty" + from(rule) + tail
                            + " (PS3.4 Table K.6-1)"));
        }
    }

    private static String describe(String section, String keyword) {
        String last = keyword.contains(".") ? keyword.substring(keyword.lastIndexOf('.') + 1) : keyword;
        String tag = DicomDictionary.lookup(last).map(DicomDictionary.Entry::tagString).orElse("");
        String path = section.equals("step") ? "ScheduledProcedureStepSequence." + keyword : keyword;
        return path + " " + tag;
    }

    private static String from(Rule rule) {
        if (rule == null) {
            return ", no mapping rule for it";
        }
        FieldPath p = rule.expr().firstPath();
        return p == null ? " (rule at " + rule.origin() + ")" : ", mapped from " + p;
    }

    /** ERR-2 for a rule: the first HL7 path it reads, in the segment occurrence this group used. */
    private static ErrorLocation location(Rule rule, EvalContext ctx) {
        if (rule == null) {
            return null;
        }
        FieldPath p = rule.expr().firstPath();
        if (p == null) {
            return null;
        }
        Segment seg = ctx.find(p.segment(), p.occurrence());
        int seq = seg == null ? 1 : ctx.sequenceOf(seg);
        return new ErrorLocation(p.segment(), seq, p.field(), p.repetition() + 1,
                p.wholeField() ? 0 : p.component(), p.wholeField() || p.subcomponent() == 1 ? 0 : p.subcomponent());
    }

    private static String first(String mapped, EvalContext ctx, String... paths) {
        if (mapped != null && !mapped.isEmpty()) {
            return mapped;
        }
        for (String p : paths) {
            FieldPath fp = FieldPath.parse(p).orElseThrow();
            Segment seg = ctx.find(fp.segment(), 0);
            if (seg != null) {
                String v = fp.read(seg);
                if (!v.isEmpty()) {
                    return v;
                }
            }
        }
        return "";
    }

    private static List<Hl7Error> dedupe(List<Hl7Error> errors) {
        return new ArrayList<>(new LinkedHashSet<>(errors));
    }

    /** Action, Accession Number and received Requested Procedure ID; null when the RP ID was not received. */
    private static String mergeKey(MappedOrder o) {
        String rpId = o.get("RequestedProcedureID");
        if (rpId.isEmpty() || o.generated().contains("RequestedProcedureID")) {
            return null;
        }
        return o.action() + "\u0000" + o.get("AccessionNumber") + "\u0000" + rpId;
    }

    /** Groups naming the same requested procedure become one order with all their steps. */
    private static List<MappedOrder> mergeSameProcedure(List<MappedOrder> orders) {
        Map<String, Integer> index = new HashMap<>();
        List<MappedOrder> out = new ArrayList<>();
        for (MappedOrder o : orders) {
            String key = mergeKey(o);
            if (key == null) {
                out.add(o);
                continue;
            }
            Integer at = index.get(key);
            if (at == null) {
                index.put(key, out.size());
                out.add(o);
                continue;
            }
            MappedOrder prev = out.get(at);
            List<Map<String, String>> steps = new ArrayList<>(prev.steps());
            steps.addAll(o.steps());
            Set<String> generated = new LinkedHashSet<>(prev.generated());
            generated.addAll(o.generated());
            out.set(at, new MappedOrder(prev.orderControl(), prev.action(), prev.placerOrderNumber(),
                    prev.fillerOrderNumber(), prev.patient(), prev.requestedProcedure(), steps, generated));
        }
        return List.copyOf(out);
    }
}
