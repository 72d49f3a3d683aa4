package org.orderly.hl7.mapping;

import ca.uhn.hl7v2.model.Segment;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a flat segment list into message-level segments and order groups by walking the
 * segments in wire order.
 *
 * <p>Why a walk and not HAPI group paths: the typed structures put an order's OBR at
 * {@code ORDER(n)/ORDER_DETAIL/OBR} in v2.3.1 ORM_O01 and at {@code ORDER(n)/OBR} in v2.5.1
 * OMI_O23, with TQ1 under {@code TIMING}, IPC repeating, and Z-segments attached wherever the
 * parser stood. HL7 itself defines the grouping by segment order - an ORC opens an order
 * (HL7 v2.5.1 §4.5.1: "the ORC must precede any order detail segment") - so a walk is exact for
 * every version and needs no per-version table. Rules:
 * <ul>
 *   <li>Segments before the first ORC (or OBR) are message-level: MSH, EVN, PID, PD1, PV1,
 *       PV2, AL1, ... Everything after belongs to the current group.</li>
 *   <li>ORC opens a group.</li>
 *   <li>An OBR in a group that already has an OBR opens a new group that repeats the previous
 *       group's ORC: older RIS send {@code ORC OBR OBR} for several procedures of one order.</li>
 *   <li>An OBR with no ORC before it opens a group without ORC.</li>
 *   <li>Within a group, each IPC opens a new step; segments after an IPC up to the next IPC
 *       (or the end) belong to that step.</li>
 * </ul>
 */
public final class OrderGroups {

    /** Message-level segments and the order groups. */
    public record Split(List<Segment> messageLevel, List<OrderGroup> groups) {
    }

    private OrderGroups() {
    }

    public static Split split(List<Segment> segments) {
        List<Segment> messageLevel = new ArrayList<>();
        List<OrderGroup> groups = new ArrayList<>();
        List<Segment> current = null;
        Segment currentOrc = null;
        boolean hasObr = false;
        for (Segment s : segments) {
            String name = s.getName();
            if (name.equals("ORC")) {
                close(current, groups);
                current = new ArrayList<>();
                current.add(s);
                currentOrc = s;
                hasObr = false;
            } else if (name.equals("OBR")) {
                if (current == null || hasObr) {
                    close(current, groups);
                    current = new ArrayList<>();
                    if (currentOrc != null) {
                        current.add(currentOrc);
                    }
                }
                current.add(s);
                hasObr = true;
            } else if (current == null) {
                messageLevel.add(s);
            } else {
                current.add(s);
            }
        }
        close(current, groups);
        return new Split(List.copyOf(messageLevel), List.copyOf(groups));
    }

    private static void close(List<Segment> group, List<OrderGroup> out) {
        if (group == null) {
            return;
        }
        List<List<Segment>> steps = new ArrayList<>();
        List<Segment> step = null;
        for (Segment s : group) {
            if (s.getName().equals("IPC")) {
                step = new ArrayList<>();
                steps.add(step);
            }
            if (step != null) {
                step.add(s);
            }
        }
        if (steps.isEmpty()) {
            steps.add(List.of());
        }
        out.add(new OrderGroup(out.size() + 1, List.copyOf(group), steps.stream().map(List::copyOf).toList()));
    }
}
