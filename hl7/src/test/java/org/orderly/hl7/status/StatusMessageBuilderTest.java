package org.orderly.hl7.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.orderly.hl7.Hl7Parser;
import org.orderly.hl7.ParsedMessage;

class StatusMessageBuilderTest {

    private static StatusUpdate update(String orderStatus, String resultStatus) {
        return new StatusUpdate("MPPS7-0", "20240101103000", "SC", orderStatus, resultStatus, "PL|1", "FI1", "ACC1",
                "RP1", "1.2.3", "SPS1", "P1", "HOSP", "O'NEIL^ANN", "CT", "CTHEAD^CT Head^L", "20240101101500", null);
    }

    private static String[] seg(String msg, String name) {
        for (String s : msg.split("\r")) {
            if (s.startsWith(name + "|")) {
                return s.split("\\|", -1);
            }
        }
        throw new AssertionError("no " + name + " in " + msg);
    }

    @Test
    void ormO01v231IsTheDefault() throws Exception {
        String m = new StatusMessageBuilder(StatusProfile.defaults()).build(update("IP", "I"));
        assertEquals("ORM^O01", seg(m, "MSH")[8]);
        assertEquals("MPPS7-0", seg(m, "MSH")[9]);
        assertEquals("2.3.1", seg(m, "MSH")[11]);
        assertEquals("SC", seg(m, "ORC")[1]);
        assertEquals("PL\\F\\1", seg(m, "ORC")[2]); // escaped (HL7 §2.7.4)
        assertEquals("IP", seg(m, "ORC")[5]);
        assertEquals("P1^^^HOSP", seg(m, "PID")[3]);
        assertEquals("ACC1", seg(m, "OBR")[18]);
        assertEquals("1.2.3^ORDERLY^Application^DICOM", seg(m, "ZDS")[1]);
        assertTrue(seg(m, "OBR").length < 26, "no OBR-25 outside ORU");
        ParsedMessage parsed = new Hl7Parser().parse(m); // HAPI reads what we write
        assertEquals("MPPS7-0", parsed.header().field(10));
    }

    @Test
    void omiHasIpcAndOruHasObr25() {
        String omi = new StatusMessageBuilder(new StatusProfile(StatusMessageType.OMI_O23, "ORDERLY", "", "", ""))
                .build(update("CM", "R"));
        assertEquals("OMI^O23^OMI_O23", seg(omi, "MSH")[8]);
        assertEquals("2.5.1", seg(omi, "MSH")[11]);
        assertEquals("ACC1", seg(omi, "IPC")[1]);
        assertEquals("1.2.3", seg(omi, "IPC")[3]);
        assertEquals("CM", seg(omi, "ORC")[5]);
        String oru = new StatusMessageBuilder(new StatusProfile(StatusMessageType.ORU_R01, "ORDERLY", "", "", ""))
                .build(update("DC", "X"));
        assertEquals("X", seg(oru, "OBR")[25]);
        assertEquals("ORU^R01^ORU_R01", seg(oru, "MSH")[8]);
    }

    @Test
    void profileFile() throws Exception {
        StatusProfile p = StatusProfile.parse(new ByteArrayInputStream(
                "message-type: OMG^O19\nreceiving-application: RIS\n".getBytes(StandardCharsets.UTF_8)), "status.yaml");
        assertEquals(StatusMessageType.OMG_O19, p.messageType());
        assertEquals("RIS", p.receivingApplication());
        IOException e = assertThrows(IOException.class, () -> StatusProfile.parse(new ByteArrayInputStream(
                "message-typ: ORM_O01\n".getBytes(StandardCharsets.UTF_8)), "status.yaml"));
        assertTrue(e.getMessage().contains("unknown key 'message-typ'"), e.getMessage());
    }
}
