package org.orderly.broker.http;

/** The little JSON the admin API writes by hand (RFC 8259 §7 string escaping). */
public final class Json {

    private Json() {
    }

    /** {@code s} escaped for use between JSON double quotes; null becomes the empty string. */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
