package org.orderly.hl7;

import java.util.Map;
import java.util.TreeMap;

/** Builds test messages field by field, so field positions are explicit. */
public final class Msg {

    private final StringBuilder sb = new StringBuilder();

    public static Msg msh(String type, String control, String version) {
        Msg m = new Msg();
        m.sb.append("MSH|^~\\&|RIS|FAC|ORDERLY|IMG|20240101120000||").append(type).append('|').append(control)
                .append("|P|").append(version).append('\r');
        return m;
    }

    /** @param fields alternating field number (Integer) and value (String) */
    public Msg seg(String name, Object... fields) {
        Map<Integer, String> f = new TreeMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            f.put((Integer) fields[i], (String) fields[i + 1]);
        }
        int max = f.isEmpty() ? 0 : ((TreeMap<Integer, String>) f).lastKey();
        sb.append(name);
        for (int i = 1; i <= max; i++) {
            sb.append('|').append(f.getOrDefault(i, ""));
        }
        sb.append('\r');
        return this;
    }

    public String text() {
        return sb.toString();
    }

    public ParsedMessage parse() {
        try {
            return new Hl7Parser().parse(text());
        } catch (Hl7ParseException e) {
            throw new AssertionError(e);
        }
    }
}
