package org.orderly.hl7;

import ca.uhn.hl7v2.parser.DefaultEscaping;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.Escaping;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * HL7 escape sequences, decoded once while HAPI parses each primitive (HL7 v2.5.1 §2.7).
 *
 * <p>HAPI's {@link DefaultEscaping} decodes {@code \F\ \S\ \T\ \R\ \E\} but leaves
 * {@code \Xhh..\} and the formatting commands in the text. This decodes all of them:
 * <ul>
 *   <li>{@code \F\ \S\ \T\ \R\ \E\}: the field, component, subcomponent, repetition and escape
 *       characters of MSH-2 (§2.7.1);</li>
 *   <li>{@code \Xhhhh..\}: hexadecimal data (§2.7.4). The bytes are decoded as UTF-8 when they
 *       form valid UTF-8, otherwise as ISO-8859-1: the escape cannot know the message charset
 *       because HAPI unescapes with one context-wide object;</li>
 *   <li>{@code \.br\} (and {@code \.sp\}): a line break, CR LF as DICOM text VRs use it
 *       (PS3.5 §6.1.3); other formatting commands ({@code \.fi\ \.nf\ \.in..\ \.ti..\ \.sk..\ \.ce\})
 *       are dropped (§2.7.6);</li>
 *   <li>{@code \H\ \N\} highlighting, {@code \Cxxyy\ \Mxxyyzz\} character set switches and
 *       {@code \Z..\} locally defined escapes are dropped (§2.7.2, §2.7.3, §2.7.5).</li>
 * </ul>
 * An unterminated escape is kept literally. Encoding (for ACKs) is HAPI's.
 */
public final class Hl7Escaping implements Escaping {

    private final DefaultEscaping encoder = new DefaultEscaping();

    @Override
    public String escape(String text, EncodingCharacters enc) {
        return encoder.escape(text, enc);
    }

    @Override
    public String unescape(String text, EncodingCharacters enc) {
        char esc = enc.getEscapeCharacter();
        if (text == null || text.indexOf(esc) < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int close = c == esc ? text.indexOf(esc, i + 1) : -1;
            if (close < 0) {
                out.append(c);
                i++;
                continue;
            }
            String seq = text.substring(i + 1, close);
            if (!decode(seq, enc, out)) {
                // Not a recognised escape: keep the escape character and go on after it.
                out.append(c);
                i++;
                continue;
            }
            i = close + 1;
        }
        return out.toString();
    }

    private static boolean decode(String seq, EncodingCharacters enc, StringBuilder out) {
        if (seq.isEmpty()) {
            return false;
        }
        switch (seq) {
            case "F" -> out.append(enc.getFieldSeparator());
            case "S" -> out.append(enc.getComponentSeparator());
            case "T" -> out.append(enc.getSubcomponentSeparator());
            case "R" -> out.append(enc.getRepetitionSeparator());
            case "E" -> out.append(enc.getEscapeCharacter());
            case "H", "N", ".fi", ".nf", ".ce" -> { /* formatting only */ }
            case ".br" -> out.append("\r\n");
            default -> {
                char kind = seq.charAt(0);
                if (kind == 'X' && seq.length() > 1 && (seq.length() - 1) % 2 == 0 && isHex(seq, 1)) {
                    out.append(hex(seq.substring(1)));
                } else if ((kind == 'C' || kind == 'M') && isHex(seq, 1) && seq.length() > 1) {
                    // character set switch: dropped, the text was already decoded with MSH-18
                } else if (kind == 'Z') {
                    // locally defined escape: dropped
                } else if (seq.startsWith(".sp")) {
                    out.append("\r\n");
                } else if (seq.startsWith(".in") || seq.startsWith(".ti") || seq.startsWith(".sk")) {
                    // indentation / skip: dropped
                } else {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isHex(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String hex(String digits) {
        byte[] bytes = new byte[digits.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
