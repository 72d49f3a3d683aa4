package org.orderly.hl7.ack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.orderly.hl7.Hl7ParseException;
import org.orderly.hl7.Hl7Parser;
import org.orderly.hl7.MshHeader;
import org.orderly.hl7.Samples;

class AckBuilderTest {

    private final AckBuilder acks = new AckBuilder(
            Clock.fixed(Instant.parse("2024-03-15T10:00:00Z"), ZoneOffset.UTC), () -> "ACK1");

    private static MshHeader header(String sample) {
        return Samples.parse(sample).header();
    }

    @Test
    void aaInV231EchoesControlIdAndSwapsApplications() {
        Ack ack = acks.accept(header("02-orm-o01-v231-ihe-zds-lf.hl7"));
        assertEquals("MSH|^~\\&|ORDERLY|IMAGING|IHE_RIS|EASTSIDE|20240315100000+0000||ACK^O01^ACK|ACK1|P|2.3.1\r"
                + "MSA|AA|ES000201\r", ack.text());
        assertEquals(AckCode.AA, ack.code());
    }

    @Test
    void aaInV23HasNoMessageStructure() {
        Ack ack = acks.accept(header("01-orm-o01-v23-multi-obr.hl7"));
        assertEquals("MSH|^~\\&|ORDERLY|IMAGING|RADIS|NORTHGATE|20240315100000+0000||ACK^O01|ACK1|P|2.3\r"
                + "MSA|AA|NG000101\r", ack.text());
    }

    @Test
    void aeInV231UsesErr1Eld() {
        Ack ack = acks.error(header("08-orm-o01-v231-cancel.hl7"), List.of(new Hl7Error(ErrorCode.UNKNOWN_KEY_IDENTIFIER,
                ErrorLocation.field("ORC", 1, 2), "cancel of unknown order")));
        assertEquals("MSH|^~\\&|ORDERLY|IMAGING|RADIS|NORTHGATE|20240315100000+0000||ACK^O01^ACK|ACK1|P|2.3.1\r"
                + "MSA|AE|NG000801|cancel of unknown order\r"
                + "ERR|ORC^1^2^204&Unknown key identifier&HL70357\r", ack.text());
    }

    @Test
    void aeInV251UsesErr2Err3Err4Err8AndEchoesCharset() {
        Ack ack = acks.error(header("04-omi-o23-v251-ipc.hl7"), List.of(
                new Hl7Error(ErrorCode.REQUIRED_FIELD_MISSING, new ErrorLocation("IPC", 2, 9, 1, 0, 0),
                        "Type 1 key ScheduledStationAETitle is empty"),
                new Hl7Error(ErrorCode.TABLE_VALUE_NOT_FOUND, new ErrorLocation("ORC", 1, 1, 1, 0, 0), "order control 'ZZ' not accepted")));
        assertEquals("MSH|^~\\&|ORDERLY|IMAGING|SYNAPSE_RIS|RIVERBEND|20240315100000+0000||ACK^O23^ACK|ACK1|P|2.5.1||||||UNICODE UTF-8\r"
                + "MSA|AE|RB000401\r"
                + "ERR||IPC^2^9^1|101^Required field missing^HL70357|E||||Type 1 key ScheduledStationAETitle is empty\r"
                + "ERR||ORC^1^1^1|103^Table value not found^HL70357|E||||order control 'ZZ' not accepted\r", ack.text());
        assertEquals(StandardCharsets.UTF_8, ack.charset());
    }

    @Test
    void arForOruOnTheOrderPortV251() {
        MshHeader oru = header("13-oru-r01-v251.hl7");
        Hl7Error refused = MessageAllowList.defaults().check(oru).orElseThrow();
        assertEquals(ErrorCode.UNSUPPORTED_MESSAGE_TYPE, refused.code());
        Ack ack = acks.reject(oru, refused);
        assertEquals("MSH|^~\\&|ORDERLY|IMAGING|LAB|NORTHGATE|20240315100000+0000||ACK^R01^ACK|ACK1|P|2.5.1\r"
                + "MSA|AR|NG001301\r"
                + "ERR||MSH^1^9^1^1|200^Unsupported message type^HL70357|E||||message type ORU not accepted on this port; "
                + "accepted: ORM\\S\\O01, OMI\\S\\O23, ADT\\S\\A08, ADT\\S\\A31, ADT\\S\\A40\r", ack.text());
    }

    @Test
    void allowListRefusesUnknownEventOfKnownTypeWith201() {
        MshHeader h = MshHeader.read("MSH|^~\\&|A|B|C|D|20240101||ORM^O02|X|P|2.3.1\r").orElseThrow();
        Hl7Error e = MessageAllowList.defaults().check(h).orElseThrow();
        assertEquals(ErrorCode.UNSUPPORTED_EVENT_CODE, e.code());
        assertEquals(2, e.location().component());
        assertEquals(true, MessageAllowList.defaults().check(header("11-adt-a08-v231.hl7")).isEmpty());
        assertEquals(true, new MessageAllowList(List.of("ORM^O01")).check(header("11-adt-a08-v231.hl7")).isPresent());
    }

    @Test
    void arForUnsupportedVersionInV231StyleErr() {
        Hl7ParseException e = assertThrows(Hl7ParseException.class,
                () -> new Hl7Parser().parse("MSH|^~\\&|A|B|C|D|20240101||ORM^O01|X9|P|2.2\rPID|1\r"));
        Ack ack = acks.reject(e);
        // 2.2 is answered with a v2.2 header and ELD-style ERR
        assertEquals("MSH|^~\\&|C|D|A|B|20240315100000+0000||ACK^O01^ACK|ACK1|P|2.2\r"
                + "MSA|AR|X9|unsupported HL7 version '2.2', supported 2.3, 2.3.1, 2.4, 2.5, 2.5.1\r"
                + "ERR|MSH^1^12^203&Unsupported version id&HL70357\r", ack.text());
    }

    @Test
    void arWithoutAnyReadableHeader() throws Exception {
        Hl7ParseException e = assertThrows(Hl7ParseException.class,
                () -> new Hl7Parser().parse("garbage".getBytes(StandardCharsets.US_ASCII)));
        Ack ack = acks.reject(e);
        assertEquals("MSH|^~\\&|||||20240315100000+0000||ACK|ACK1|P|2.5.1\r"
                + "MSA|AR|\r"
                + "ERR||MSH^1|100^Segment sequence error^HL70357|E||||message does not start with an MSH segment\r", ack.text());
    }

    @Test
    void ackTextIsEscapedAndParsesBackWithHapi() throws Exception {
        Ack ack = acks.error(header("05-orm-o01-v231-latin1.hl7"), List.of(new Hl7Error(ErrorCode.APPLICATION_INTERNAL_ERROR,
                null, "store said: a|b^c")));
        assertEquals(StandardCharsets.ISO_8859_1, ack.charset());
        var parsed = new Hl7Parser().parse(ack.bytes());
        assertEquals("ACK", parsed.header().messageType());
        assertEquals("8859/1", parsed.header().characterSet());
        assertEquals("ERR|^^^207&Application internal error&HL70357", parsed.text().split("\r")[2]);
        assertEquals("MSA|AE|KS000501|store said: a\\F\\b\\S\\c", parsed.text().split("\r")[1]);
    }
}
