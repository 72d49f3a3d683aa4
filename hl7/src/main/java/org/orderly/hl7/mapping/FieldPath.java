package org.orderly.hl7.mapping;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.util.Terser;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Terser-style HL7 field path: {@code SEG[(occurrence)]-field[(repetition)][-component[-subcomponent]]},
 * e.g. {@code PID-3-1}, {@code OBR-4-2}, {@code ZDS-1}, {@code ORC-7-4}, {@code PID-3(1)-1},
 * {@code OBX(2)-5}. A dot may stand for the dash before a component ({@code ORC-7.4}), as IHE
 * writes it. As in HAPI's Terser, field, component and subcomponent numbers are 1-based and the
 * occurrence and repetition indexes in parentheses are 0-based. A path without component means
 * component 1 (the whole value for a simple field); name transforms read all components of it.
 */
public record FieldPath(String segment, int occurrence, int field, int repetition, int component, int subcomponent,
                        boolean wholeField) {

    private static final Pattern SYNTAX = Pattern.compile(
            "([A-Z][A-Z0-9]{2})(?:\\((\\d{1,3})\\))?-(\\d{1,3})(?:\\((\\d{1,3})\\))?(?:[-.](\\d{1,3})(?:[-.](\\d{1,3}))?)?");

    /** Parses a path, or empty when it is malformed (the loader reports the problem). */
    public static Optional<FieldPath> parse(String text) {
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        int field = Integer.parseInt(m.group(3));
        int comp = m.group(5) == null ? 1 : Integer.parseInt(m.group(5));
        int sub = m.group(6) == null ? 1 : Integer.parseInt(m.group(6));
        if (field < 1 || comp < 1 || sub < 1) {
            return Optional.empty();
        }
        return Optional.of(new FieldPath(m.group(1),
                m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
                field,
                m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
                comp, sub, m.group(5) == null));
    }

    /** True when the text looks like it was meant as a path (for error messages). */
    static boolean looksLikePath(String text) {
        return text.trim().matches("[A-Za-z][A-Za-z0-9]{2}[-(.].*");
    }

    /** The value at this path in {@code seg} (the segment must have this path's name). */
    public String read(Segment seg) {
        return read(seg, component, subcomponent);
    }

    /** Component {@code comp}, subcomponent {@code sub} of this path's field repetition. */
    public String read(Segment seg, int comp, int sub) {
        return read(seg, field, repetition, comp, sub);
    }

    static String read(Segment seg, int field, int repetition, int comp, int sub) {
        try {
            if (field > seg.numFields()) {
                return "";
            }
            Type[] reps = seg.getField(field);
            if (repetition >= reps.length) {
                return "";
            }
            Primitive p = Terser.getPrimitive(reps[repetition], comp, sub);
            String v = p == null ? null : p.getValue();
            if (v == null || v.equals("\"\"")) {
                return ""; // HL7 null ("") clears a value; the mapping treats it as empty
            }
            return v;
        } catch (HL7Exception | RuntimeException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(segment);
        if (occurrence > 0) {
            sb.append('(').append(occurrence).append(')');
        }
        sb.append('-').append(field);
        if (repetition > 0) {
            sb.append('(').append(repetition).append(')');
        }
        if (!wholeField) {
            sb.append('-').append(component);
            if (subcomponent > 1) {
                sb.append('-').append(subcomponent);
            }
        }
        return sb.toString();
    }
}
