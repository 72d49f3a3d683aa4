package org.orderly.hl7.mapping;

import ca.uhn.hl7v2.model.Segment;
import java.util.List;

/**
 * One order group of an order message: the ORC and the segments that belong to it (TQ1, OBR,
 * NTE, OBX, IPC, ZDS, ...), in wire order.
 *
 * @param number   1-based position of the group in the message
 * @param segments the group's segments; the ORC first when there is one
 * @param steps    one list of segments per Scheduled Procedure Step: each IPC segment (with
 *                 the segments following it up to the next IPC) is one step (IHE RAD TF-2
 *                 §4.4.4.1.2.2, OMI^O23); a group without IPC is one step with no
 *                 step-specific segments (IHE RAD TF-2 §4.4.4.1.2.1, ORM^O01: one ORC/OBR
 *                 per SPS)
 */
public record OrderGroup(int number, List<Segment> segments, List<List<Segment>> steps) {
}
