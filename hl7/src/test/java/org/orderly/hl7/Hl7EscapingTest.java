package org.orderly.hl7;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ca.uhn.hl7v2.parser.EncodingCharacters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Hl7EscapingTest {

    private static final EncodingCharacters ENC = new EncodingCharacters('|', "^~\\&");

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "a\\F\\b;a|b",
            "a\\S\\b\\T\\c\\R\\d\\E\\e;a^b&c~d\\e",
            "M\\XC3BC\\ller;Müller",          // UTF-8 bytes
            "M\\XFC\\ller;Müller",            // not UTF-8: ISO-8859-1
            "\\H\\bold\\N\\ text;bold text",
            "\\.in+4\\indented;indented",
            "\\C2842\\x;x",
            "\\Zcustom\\y;y",
            "open \\ escape;open \\ escape",   // unterminated: kept
            "\\Q\\;\\Q\\"})                   // unknown: kept
    void unescapes(String in, String out) {
        assertEquals(out, new Hl7Escaping().unescape(in, ENC));
    }

    @org.junit.jupiter.api.Test
    void lineBreakBecomesCrLf() {
        assertEquals("line1\r\nline2", new Hl7Escaping().unescape("line1\\.br\\line2", ENC));
    }
}
