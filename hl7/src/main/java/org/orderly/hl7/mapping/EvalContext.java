package org.orderly.hl7.mapping;

import ca.uhn.hl7v2.model.Segment;
import java.util.List;
import java.util.Map;

/**
 * What a rule sees while one order group (or one step of it) is mapped: segments by scope
 * (step, then group, then message level) and the attributes mapped so far.
 */
final class EvalContext {

    final List<Segment> allSegments;
    final List<Segment> messageLevel;
    final List<Segment> group;
    final List<Segment> step;
    final Map<String, String> patient;
    final Map<String, String> order;
    final Map<String, String> stepAttrs;
    final int stepNumber;
    final IdGenerator ids;

    EvalContext(List<Segment> allSegments, List<Segment> messageLevel, List<Segment> group, List<Segment> step,
                Map<String, String> patient, Map<String, String> order, Map<String, String> stepAttrs,
                int stepNumber, IdGenerator ids) {
        this.allSegments = allSegments;
        this.messageLevel = messageLevel;
        this.group = group;
        this.step = step;
        this.patient = patient;
        this.order = order;
        this.stepAttrs = stepAttrs;
        this.stepNumber = stepNumber;
        this.ids = ids;
    }

    /** The segment a path names: searched in the step, then the group, then message level. */
    Segment find(String name, int occurrence) {
        Segment s = find(step, name, occurrence);
        if (s == null) {
            s = find(group, name, occurrence);
        }
        if (s == null) {
            s = find(messageLevel, name, occurrence);
        }
        return s;
    }

    private static Segment find(List<Segment> segments, String name, int occurrence) {
        int seen = 0;
        for (Segment s : segments) {
            if (s.getName().equals(name)) {
                if (seen == occurrence) {
                    return s;
                }
                seen++;
            }
        }
        return null;
    }

    /** 1-based occurrence of {@code seg} among the message's segments of its name (ERR-2.2). */
    int sequenceOf(Segment seg) {
        int n = 0;
        for (Segment s : allSegments) {
            if (s.getName().equals(seg.getName())) {
                n++;
                if (s == seg) {
                    return n;
                }
            }
        }
        return 1;
    }

    /** An attribute mapped earlier: step, then order, then patient. */
    String attribute(String keyword) {
        String v = stepAttrs == null ? null : stepAttrs.get(keyword);
        if (v == null && order != null) {
            v = order.get(keyword);
        }
        if (v == null && patient != null) {
            v = patient.get(keyword);
        }
        return v == null ? "" : v;
    }
}
