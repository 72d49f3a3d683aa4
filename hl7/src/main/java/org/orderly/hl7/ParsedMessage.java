package org.orderly.hl7;

import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import java.nio.charset.Charset;
import java.util.List;

/**
 * One parsed inbound message.
 *
 * @param header   MSH fields as sent
 * @param message  the HAPI message (generic model: a flat list of segments)
 * @param segments every segment in wire order, Z-segments included
 * @param charset  the charset the bytes were decoded with (from MSH-18)
 * @param text     the decoded text with {@code \r} segment separators
 */
public record ParsedMessage(MshHeader header, Message message, List<Segment> segments, Charset charset, String text) {

    public ParsedMessage {
        segments = List.copyOf(segments);
    }

    /** The first segment with this name, or null. */
    public Segment first(String name) {
        for (Segment s : segments) {
            if (s.getName().equals(name)) {
                return s;
            }
        }
        return null;
    }
}
