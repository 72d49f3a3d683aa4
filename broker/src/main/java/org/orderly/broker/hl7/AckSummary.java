package org.orderly.broker.hl7;

import java.util.ArrayList;
import java.util.List;

/**
 * MSA-1, MSA-2 and the ERR segments of an acknowledgment, read from its text for one line of
 * output ({@code orderly hl7 send}). Reads the field separator from MSH-1; tolerates CR, LF or
 * CR LF between segments.
 *
 * @param code      MSA-1 (AA, AE, AR, CA, CE, CR), "" when there is no MSA
 * @param controlId MSA-2
 * @param errors    each ERR segment without its "ERR|" prefix
 */
public record AckSummary(String code, String controlId, List<String> errors) {

    public static AckSummary parse(String ack) {
        char sep = ack.startsWith("MSH") && ack.length() > 3 ? ack.charAt(3) : '|';
        String code = "";
        String control = "";
        List<String> errors = new ArrayList<>();
        for (String seg : ack.split("[\r\n]+")) {
            if (seg.startsWith("MSA" + sep)) {
                String[] f = seg.split(java.util.regex.Pattern.quote(String.valueOf(sep)), -1);
                code = f.length > 1 ? f[1] : "";
                control = f.length > 2 ? f[2] : "";
            } else if (seg.startsWith("ERR" + sep)) {
                errors.add(seg.substring(4));
            }
        }
        return new AckSummary(code, control, List.copyOf(errors));
    }

    public boolean accepted() {
        return code.equals("AA") || code.equals("CA");
    }

    /** {@code AA 12345} or {@code AE 12345 ERR ||ORC^1^1|204^Unknown key identifier^HL70357|E||||...}. */
    public String line() {
        StringBuilder sb = new StringBuilder(code.isEmpty() ? "(no MSA)" : code).append(' ').append(controlId);
        for (String e : errors) {
            sb.append(" ERR ").append(e);
        }
        return sb.toString();
    }
}
