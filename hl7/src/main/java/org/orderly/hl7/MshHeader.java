package org.orderly.hl7;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The MSH fields Orderly needs, read from the raw text without HAPI so that a message HAPI
 * cannot parse still gets an ACK addressed to its sender (HL7 v2.5.1 §2.9.2).
 *
 * <p>Fields hold the encoded text exactly as sent (components and escapes intact), so the ACK
 * can echo MSH-3..6 unchanged. {@code fields.get(n)} is MSH-n; MSH-1 is the field separator.
 */
public final class MshHeader {

    private final List<String> fields;
    private final char componentSeparator;
    private final char repetitionSeparator;

    private MshHeader(List<String> fields, char componentSeparator, char repetitionSeparator) {
        this.fields = fields;
        this.componentSeparator = componentSeparator;
        this.repetitionSeparator = repetitionSeparator;
    }

    /** Reads the MSH segment at the start of {@code text}, or empty when there is none. */
    public static Optional<MshHeader> read(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int start = 0;
        while (start < text.length() && (text.charAt(start) < 0x20 || text.charAt(start) == '\uFEFF')) {
            start++; // MLLP start block (0x0B), stray line breaks, a UTF-8 byte order mark
        }
        if (!text.startsWith("MSH", start) || text.length() < start + 8) {
            return Optional.empty();
        }
        int end = start;
        while (end < text.length() && text.charAt(end) != '\r' && text.charAt(end) != '\n') {
            end++;
        }
        String msh = text.substring(start, end);
        if (msh.length() < 8) {
            return Optional.empty(); // "MSH" then a line break: no field separator and encoding characters
        }
        char fieldSep = msh.charAt(3);
        if (Character.isLetterOrDigit(fieldSep) || Character.isWhitespace(fieldSep)) {
            return Optional.empty();
        }
        List<String> fields = new ArrayList<>();
        fields.add("MSH");
        fields.add(String.valueOf(fieldSep));
        int pos = 4;
        while (true) {
            int next = msh.indexOf(fieldSep, pos);
            if (next < 0) {
                fields.add(msh.substring(pos));
                break;
            }
            fields.add(msh.substring(pos, next));
            pos = next + 1;
        }
        String enc = fields.size() > 2 ? fields.get(2) : "";
        char comp = enc.length() > 0 ? enc.charAt(0) : '^';
        char rep = enc.length() > 1 ? enc.charAt(1) : '~';
        return Optional.of(new MshHeader(List.copyOf(fields), comp, rep));
    }

    /** Reads the MSH from raw bytes: MSH-1..MSH-18 are ASCII in every charset HL7 allows. */
    public static Optional<MshHeader> read(byte[] raw) {
        int len = Math.min(raw.length, 4096);
        return read(new String(raw, 0, len, StandardCharsets.ISO_8859_1));
    }

    /** MSH-n as sent, or "" when absent. */
    public String field(int n) {
        return n < fields.size() ? fields.get(n) : "";
    }

    /** First component of the first repetition of MSH-n. */
    public String component(int n, int component) {
        String field = field(n);
        int repEnd = field.indexOf(repetitionSeparator);
        if (repEnd >= 0) {
            field = field.substring(0, repEnd);
        }
        String[] parts = field.split(java.util.regex.Pattern.quote(String.valueOf(componentSeparator)), -1);
        return component <= parts.length ? parts[component - 1] : "";
    }

    public String encodingCharacters() {
        return field(2);
    }

    public String sendingApplication() {
        return field(3);
    }

    public String sendingFacility() {
        return field(4);
    }

    public String receivingApplication() {
        return field(5);
    }

    public String receivingFacility() {
        return field(6);
    }

    /** MSH-9.1, e.g. ORM. */
    public String messageType() {
        return component(9, 1);
    }

    /** MSH-9.2, e.g. O01. */
    public String triggerEvent() {
        return component(9, 2);
    }

    /** MSH-10. */
    public String controlId() {
        return field(10);
    }

    /** MSH-11.1, e.g. P. */
    public String processingId() {
        return component(11, 1);
    }

    /** MSH-12.1, e.g. 2.3.1. */
    public String version() {
        return component(12, 1);
    }

    /** MSH-15 accept acknowledgment type (enhanced mode), "" in original mode. */
    public String acceptAckType() {
        return field(15);
    }

    /** MSH-16 application acknowledgment type (enhanced mode). */
    public String applicationAckType() {
        return field(16);
    }

    /** First repetition of MSH-18, the message character set. */
    public String characterSet() {
        String f = field(18);
        int rep = f.indexOf(repetitionSeparator);
        return rep >= 0 ? f.substring(0, rep) : f;
    }

    /** "ORM^O01", for logs and allow-lists. */
    public String typeAndEvent() {
        return messageType() + "^" + triggerEvent();
    }

    @Override
    public String toString() {
        return typeAndEvent() + " " + controlId() + " from " + component(3, 1) + "@" + component(4, 1) + " v" + version();
    }
}
