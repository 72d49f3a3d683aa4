package org.orderly.hl7.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderly.hl7.Samples;

class MappingLoaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, yaml, StandardCharsets.UTF_8);
        return p;
    }

    private List<String> problems(Path file) {
        MappingLoadException e = assertThrows(MappingLoadException.class, () -> MappingLoader.loadFile(file));
        return e.problems().stream().map(MappingProblem::toString).toList();
    }

    @Test
    void theShippedDefaultLoads() throws Exception {
        Mapping m = MappingLoader.loadFile(Samples.MAPPINGS.resolve("default.yaml"));
        assertEquals("default", m.name());
        assertTrue(m.step().size() >= 10);
        assertEquals(OrderAction.CANCEL, m.orderControls().get("OC"));
    }

    @Test
    void yamlSyntaxErrorReportsFileAndLine() throws Exception {
        Path f = write("bad.yaml", "patient:\n  PatientID: PID-3-1\n  PatientName: { from: PID-5, transform: pn-from-xpn\norder:\n");
        List<String> p = problems(f);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith(f + ":4: YAML syntax"), p.get(0));
    }

    @Test
    void everySemanticProblemIsReportedWithItsLine() throws Exception {
        Path f = write("bad.yaml", String.join("\n",
                "patient:",                                              // 1
                "  PatientID: PID-3-1",                                  // 2
                "  PatientNmae: PID-5-1",                                // 3 unknown keyword
                "  PatientName: PID-5",                                  // 4 PN needs name transform
                "order:",                                                // 5
                "  AccessionNumber: OBR18",                              // 6 malformed path
                "  RequestedProcedureID: { from: OBR-19, transform: reverse }",   // 7 unknown transform
                "  RequestedProcedurePriority: { from: OBR-5, table: prio }",     // 8 unknown table
                "  StudyInstanceUID: \"@Modality\"",                      // 9 not mapped above
                "  AccessionNumber.CodeValue: OBR-4-1",                  // 10 not a sequence
                "  RequestedProcedureDescription: { from: OBR-4-2, colour: red }", // 11 unknown option
                "colours: {}",                                           // 12 unknown section
                "generate:",                                             // 13
                "  AccessionNumber: FIXED",                              // 14 no counter
                "step:",                                                 // 15
                "  ScheduledPerformingPhysicianName: { from: OBR-34-2, transform: pn-from-xcn }", // 16 component path
                ""));
        List<String> p = problems(f);
        String all = String.join("\n", p);
        assertTrue(all.contains(f + ":3: unknown DICOM keyword 'PatientNmae'"), all);
        assertTrue(all.contains(f + ":4: PatientName is a person name (PN)"), all);
        assertTrue(all.contains(f + ":6: malformed HL7 path 'OBR18'"), all);
        assertTrue(all.contains(f + ":7: unknown transform 'reverse'"), all);
        assertTrue(all.contains(f + ":8: unknown table 'prio'"), all);
        assertTrue(all.contains(f + ":9: @Modality refers to an attribute not mapped above"), all);
        assertTrue(all.contains(f + ":10: 'AccessionNumber' is not a sequence"), all);
        assertTrue(all.contains(f + ":11: unknown option 'colour'"), all);
        assertTrue(all.contains(f + ":12: unknown section 'colours'"), all);
        assertTrue(all.contains(f + ":14: generator pattern \"FIXED\" has no {counter}"), all);
        assertTrue(all.contains(f + ":16: transform pn-from-xcn reads a whole name field"), all);
        assertEquals(11, p.size(), all);
    }

    @Test
    void registryKeepsThePreviousMappingWhenAReloadFails() throws Exception {
        Path defaultFile = write("default.yaml", "patient:\n  PatientID: PID-3-1\n");
        MappingRegistry registry = new MappingRegistry(dir);
        MappingSet before = registry.current();
        assertEquals("PID-3-1", before.base().patient().get(0).expr().firstPath().toString());

        Files.writeString(defaultFile, "patient:\n  PatientID: PID-3-1\n  PatientBirthDate: PID-77-x\n");
        MappingRegistry.ReloadResult r = registry.reload(defaultFile);
        assertFalse(r.applied());
        assertEquals(List.of(defaultFile + ":3: malformed HL7 path 'PID-77-x'; expected SEG-field[-component[-subcomponent]] "
                + "like PID-3-1, OBR-4-2, ZDS-1, PID-3(1)-1 (use 'value:' for a constant)"),
                r.problems().stream().map(MappingProblem::toString).toList());
        assertSame(before, registry.current());

        Files.writeString(defaultFile, "patient:\n  PatientID: PID-2-1\n");
        assertTrue(registry.reload(defaultFile).applied());
        assertEquals("PID-2-1", registry.current().base().patient().get(0).expr().firstPath().toString());
    }

    @Test
    void aBrokenSiteOverlayRejectsTheWholeReload() throws Exception {
        write("default.yaml", "patient:\n  PatientID: PID-3-1\n");
        MappingRegistry registry = new MappingRegistry(dir);
        MappingSet before = registry.current();
        Path site = write("sites/a.yaml", "site: a\nmatch:\n  sending-facility: A\npatient:\n  PatientID: { from: PID-3-1, table: nope }\n");
        MappingRegistry.ReloadResult r = registry.reload(site);
        assertFalse(r.applied());
        assertTrue(r.problems().get(0).toString().startsWith(site + ":5: unknown table 'nope'"), r.problems().toString());
        assertSame(before, registry.current());
    }

    @Test
    void overlaysClaimingTheSameSenderAreRefused() throws Exception {
        write("default.yaml", "patient:\n  PatientID: PID-3-1\n");
        write("sites/a.yaml", "site: a\nmatch:\n  sending-facility: [HOSP]\n");
        Path b = write("sites/b.yaml", "site: b\nmatch:\n  sending-facility: hosp\n");
        MappingLoadException e = assertThrows(MappingLoadException.class, () -> MappingLoader.loadDirectory(dir));
        assertTrue(e.getMessage().contains(b + ":2: sending facility HOSP is already matched by"), e.getMessage());
    }

    @Test
    void overlayWithoutMatchIsRefused() throws Exception {
        write("default.yaml", "patient:\n  PatientID: PID-3-1\n");
        Path a = write("sites/a.yaml", "site: a\n");
        MappingLoadException e = assertThrows(MappingLoadException.class, () -> MappingLoader.loadDirectory(dir));
        assertTrue(e.getMessage().contains(a + ":1: site overlay needs 'match:'"), e.getMessage());
    }
}
