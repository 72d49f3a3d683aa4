package org.orderly.hl7.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ca.uhn.hl7v2.model.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.orderly.hl7.Msg;
import org.orderly.hl7.ParsedMessage;
import org.orderly.hl7.Samples;

class OrderGroupsTest {

    private static List<String> names(List<Segment> s) {
        return s.stream().map(Segment::getName).toList();
    }

    @Test
    void repeatedObrAfterOneOrcSharesTheOrc() {
        ParsedMessage m = Samples.parse("01-orm-o01-v23-multi-obr.hl7");
        OrderGroups.Split split = OrderGroups.split(m.segments());
        assertEquals(List.of("MSH", "PID", "PV1"), names(split.messageLevel()));
        assertEquals(2, split.groups().size());
        assertEquals(List.of("ORC", "OBR"), names(split.groups().get(0).segments()));
        assertEquals(List.of("ORC", "OBR"), names(split.groups().get(1).segments()));
        assertSame(split.groups().get(0).segments().get(0), split.groups().get(1).segments().get(0));
    }

    @Test
    void eachIpcIsAStep() {
        OrderGroups.Split split = OrderGroups.split(Samples.parse("04-omi-o23-v251-ipc.hl7").segments());
        assertEquals(1, split.groups().size());
        OrderGroup g = split.groups().get(0);
        assertEquals(List.of("ORC", "TQ1", "OBR", "IPC", "IPC"), names(g.segments()));
        assertEquals(2, g.steps().size());
        assertEquals(List.of("IPC"), names(g.steps().get(1)));
    }

    @Test
    void zSegmentsStayWithTheirGroup() {
        OrderGroups.Split split = OrderGroups.split(Samples.parse("02-orm-o01-v231-ihe-zds-lf.hl7").segments());
        assertEquals(2, split.groups().size());
        assertEquals(List.of("ORC", "OBR", "ZDS"), names(split.groups().get(1).segments()));
        assertEquals(1, split.groups().get(1).steps().size());
        assertEquals(List.of(), split.groups().get(1).steps().get(0));
    }

    @Test
    void obrWithoutOrcOpensAGroup() {
        ParsedMessage m = Msg.msh("ORM^O01", "G1", "2.3").seg("PID", 1, "1").seg("OBR", 1, "1").seg("NTE", 1, "1").seg("OBR", 1, "2").parse();
        OrderGroups.Split split = OrderGroups.split(m.segments());
        assertEquals(2, split.groups().size());
        assertEquals(List.of("OBR", "NTE"), names(split.groups().get(0).segments()));
        assertEquals(List.of("OBR"), names(split.groups().get(1).segments()));
    }
}
