package org.orderly.hl7.ack;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.orderly.hl7.MshHeader;

/**
 * The message types the order port accepts; everything else is refused with AR, never turned
 * into an order (an ORU^R01 sent to the order port is a misrouted result, not an order).
 *
 * <p>Unknown MSH-9.1 -> 200 Unsupported message type; a known type with another MSH-9.2 ->
 * 201 Unsupported event code (HL7 Table 0357). ERR-2 points at MSH-9.
 */
public final class MessageAllowList {

    /** ORM^O01 and OMI^O23 orders (IHE RAD-4/RAD-13), ADT^A08/A31 updates, ADT^A40 merge. */
    public static final List<String> DEFAULT = List.of("ORM^O01", "OMI^O23", "ADT^A08", "ADT^A31", "ADT^A40");

    private final Set<String> allowed;
    private final Set<String> types;

    /** @param typeAndEvents entries like "ORM^O01" */
    public MessageAllowList(List<String> typeAndEvents) {
        Set<String> a = new LinkedHashSet<>();
        Set<String> t = new LinkedHashSet<>();
        for (String e : typeAndEvents) {
            String norm = e.trim().toUpperCase(Locale.ROOT);
            int caret = norm.indexOf('^');
            if (caret <= 0 || caret == norm.length() - 1) {
                throw new IllegalArgumentException("allow-list entry must look like ORM^O01: " + e);
            }
            a.add(norm);
            t.add(norm.substring(0, caret));
        }
        this.allowed = java.util.Collections.unmodifiableSet(a);
        this.types = java.util.Collections.unmodifiableSet(t);
    }

    public static MessageAllowList defaults() {
        return new MessageAllowList(DEFAULT);
    }

    /** Empty when allowed, else the error for an AR. */
    public Optional<Hl7Error> check(MshHeader header) {
        String type = header.messageType().toUpperCase(Locale.ROOT);
        String event = header.triggerEvent().toUpperCase(Locale.ROOT);
        if (allowed.contains(type + "^" + event)) {
            return Optional.empty();
        }
        if (!types.contains(type)) {
            return Optional.of(new Hl7Error(ErrorCode.UNSUPPORTED_MESSAGE_TYPE,
                    new ErrorLocation("MSH", 1, 9, 1, 1, 0),
                    "message type " + type + " not accepted on this port; accepted: " + String.join(", ", allowed)));
        }
        return Optional.of(new Hl7Error(ErrorCode.UNSUPPORTED_EVENT_CODE,
                new ErrorLocation("MSH", 1, 9, 1, 2, 0),
                "event " + type + "^" + event + " not accepted on this port; accepted: " + String.join(", ", allowed)));
    }

    public Set<String> allowed() {
        return allowed;
    }
}
