package org.orderly.hl7.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderly.hl7.Msg;
import org.orderly.hl7.ParsedMessage;
import org.orderly.hl7.Samples;

/** hl7-mappings/sites/example-site.yaml over default.yaml, selected by MSH-4. */
class SiteOverlayTest {

    private static MappingSet mappings;
    private final OrderMapper mapper = new OrderMapper(IdGenerator.inMemory());

    @BeforeAll
    static void load() throws Exception {
        mappings = MappingLoader.loadDirectory(Samples.MAPPINGS);
    }

    private static ParsedMessage order(String facility, String room, String obr5) {
        return Msg.msh("ORM^O01", "S1", "2.3.1").seg("PID", 1, "1", 3, "E1^^^EX", 5, "DOE^JOHN")
                .seg("PV1", 1, "1", 2, "O", 3, room)
                .seg("ORC", 1, "NW", 2, "EP1", 3, "EXF1")
                .seg("OBR", 1, "1", 2, "EP1", 3, "EXF1", 4, "CTHEAD^CT Head^L", 5, obr5, 19, "ER1", 20, "ES1", 24, "CT",
                        27, "^^^20240401080000^^S", 30, "WHEELCHAIR")
                .text().replace("|FAC|", "|" + facility + "|").transform(t -> {
                    try {
                        return new org.orderly.hl7.Hl7Parser().parse(t);
                    } catch (org.orderly.hl7.Hl7ParseException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    @Test
    void sendingFacilitySelectsTheOverlay() throws Exception {
        ParsedMessage m = order("EXAMPLE_HOSP", "CTROOM1", "");
        Mapping site = mappings.select(m.header());
        assertEquals("example-site", site.name());
        MappedOrder o = mapper.mapOrders(m, site).get(0);
        assertEquals("EXAMPLE_RADIOLOGY", o.get("WorklistLabel"));     // worklist-label
        assertEquals("EXF1", o.get("AccessionNumber"));                 // overridden: OBR-3
        assertEquals("ROUTINE", o.get("RequestedProcedurePriority"));   // OBR-5 empty -> default
        assertFalse(o.requestedProcedure().containsKey("PatientTransportArrangements")); // removed with ~
        assertEquals("EX_CT_MAIN", o.step(0, "ScheduledStationAETitle")); // table entry replaced
        assertEquals("CTROOM1", o.step(0, "ScheduledStationName"));
        assertEquals("SCHEDULED", o.step(0, "ScheduledProcedureStepStatus")); // inherited from default
    }

    @Test
    void roomSpecificStationAeTitle() throws Exception {
        ParsedMessage m = order("example-hospital", "CTROOM2", "S");
        MappedOrder o = mapper.mapOrders(m, mappings.select(m.header())).get(0);
        assertEquals("EX_CT_ER", o.step(0, "ScheduledStationAETitle"));
        assertEquals("STAT", o.get("RequestedProcedurePriority"));
    }

    @Test
    void otherSendersGetTheDefault() throws Exception {
        ParsedMessage m = order("ELSEWHERE", "CTROOM2", "");
        assertSame(mappings.base(), mappings.select(m.header()));
        MappedOrder o = mapper.mapOrders(m, mappings.base()).get(0);
        assertEquals("ELSEWHERE", o.get("WorklistLabel"));
        assertEquals("CT_1", o.step(0, "ScheduledStationAETitle"));
        assertEquals("WHEELCHAIR", o.get("PatientTransportArrangements"));
        assertEquals("STAT", o.get("RequestedProcedurePriority"));      // ORC-7.6 absent, OBR-27.6 S
        assertEquals("A000000001", o.get("AccessionNumber"));            // default generator
    }

    @Test
    void overlayGeneratorReplacesTheDefaultOne() throws Exception {
        ParsedMessage m = Msg.msh("ORM^O01", "S2", "2.3.1").seg("PID", 1, "1", 3, "E1", 5, "DOE^JOHN")
                .seg("ORC", 1, "NW", 2, "EP2").seg("OBR", 1, "1", 2, "EP2", 4, "CTHEAD^CT Head^L", 24, "CT", 27, "^^^20240401080000")
                .text().replace("|FAC|", "|EXAMPLE_HOSP|").transform(t -> {
                    try {
                        return new org.orderly.hl7.Hl7Parser().parse(t);
                    } catch (org.orderly.hl7.Hl7ParseException e) {
                        throw new AssertionError(e);
                    }
                });
        MappedOrder o = mapper.mapOrders(m, mappings.select(m.header())).get(0);
        assertEquals("EX00000001", o.get("AccessionNumber"));
        assertEquals("EX00000001", o.get("RequestedProcedureID"));
        assertEquals("EX00000001-1", o.step(0, "ScheduledProcedureStepID"));
    }
}
