package org.orderly.broker.mwl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.mwl.access.CallingAeRule;
import org.orderly.mwl.access.MwlAccessPolicy;

class MwlRulesFileTest {

    private static MwlRulesFile.Result parse(String yaml) {
        return MwlRulesFile.parse("mwl-rules.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSampleFileIsValid() throws Exception {
        Path sample = Path.of(System.getProperty("orderly.repo.routes")).resolve("../samples/mwl/mwl-rules.yaml");
        MwlRulesFile.Result r = MwlRulesFile.read(sample);
        assertEquals(java.util.List.of(), r.problems());
        MwlAccessPolicy p = r.policy().orElseThrow();
        CallingAeRule ct1 = p.rules().get("CT1");
        assertTrue(ct1.stationAeFromCallingAe());
        assertEquals(Set.of("CT"), ct1.modalities());
        assertEquals("ISO_IR 100", ct1.answerCharset());
        assertEquals(Set.of(Tag.PatientID), p.rules().get("MR1").ignoredKeys());
        assertEquals("ISO_IR 192", p.defaultRule().answerCharset());
        assertTrue(Files.isRegularFile(sample));
    }

    @Test
    void everyProblemIsReportedWithItsLine() {
        MwlRulesFile.Result r = parse("""
                callers:
                  CT1:
                    modalities: [CT, "c t"]
                    ignore-keys: [NoSuchKeyword]
                    answer-charset: LATIN-1
                  WAYTOOLONGAETITLE1234:
                    modalities: [MR]
                  MR1:
                    colour: blue
                extra: 1
                """);
        assertTrue(r.policy().isEmpty());
        String all = String.join("\n", r.problems());
        assertTrue(all.contains("mwl-rules.yaml:3: 'c t' is not a Modality code"), all);
        assertTrue(all.contains("mwl-rules.yaml:4: 'NoSuchKeyword' is not a DICOM keyword"), all);
        assertTrue(all.contains("mwl-rules.yaml:5: 'LATIN-1' is not a Specific Character Set"), all);
        assertTrue(all.contains("mwl-rules.yaml:6: 'WAYTOOLONGAETITLE1234' is not an AE title"), all);
        assertTrue(all.contains("mwl-rules.yaml:9: unknown setting 'colour'"), all);
        assertTrue(all.contains("mwl-rules.yaml:10: unknown section 'extra'"), all);
    }

    @Test
    void yamlSyntaxErrorNamesTheLine() {
        MwlRulesFile.Result r = parse("callers:\n  CT1:\n    modalities: [CT\n");
        assertTrue(r.policy().isEmpty());
        assertTrue(r.problems().get(0).startsWith("mwl-rules.yaml:"), r.problems().toString());
    }

    @Test
    void emptyFileMeansNoRulesAndUnknownCallersRefusedOnlyForTheWorklist() {
        MwlAccessPolicy p = parse("").policy().orElseThrow().withRefuseUnknown(true);
        assertTrue(p.refusal("X", Set.of(UID.ModalityWorklistInformationModelFind)) != null);
        assertEquals(null, p.refusal("X", Set.of(UID.Verification)), "storage/echo-only associations unaffected");
        MwlAccessPolicy withCt1 = parse("callers:\n  CT1:\n").policy().orElseThrow().withRefuseUnknown(true);
        assertEquals(null, withCt1.refusal("CT1", Set.of(UID.ModalityWorklistInformationModelFind)));
    }
}
