package org.orderly.hl7.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class DicomDictionaryTest {

    @Test
    void knowsTheMwlKeywordsWithTheirVr() {
        assertEquals("SH", DicomDictionary.lookup("AccessionNumber").orElseThrow().vr());
        assertEquals("(0008,0050)", DicomDictionary.lookup("AccessionNumber").orElseThrow().tagString());
        assertEquals("SQ", DicomDictionary.lookup("ScheduledProcedureStepSequence").orElseThrow().vr());
        assertEquals("AE", DicomDictionary.lookup("ScheduledStationAETitle").orElseThrow().vr());
        assertEquals("(0074,1202)", DicomDictionary.lookup("WorklistLabel").orElseThrow().tagString());
        assertTrue(DicomDictionary.lookup("NoSuchKeyword").isEmpty());
        assertTrue(DicomDictionary.size() > 4000);
    }

    /** The resource is generated from shared/dicom-data; when that is beside the repo, prove it is current. */
    @Test
    void generatedResourceMatchesTheSharedDictionary() throws Exception {
        Path source = Path.of("..", "..", "shared", "dicom-data", "elements.tsv");
        Assumptions.assumeTrue(Files.exists(source), "shared/dicom-data not beside the repository");
        List<String> expected = new ArrayList<>();
        List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            if (f[5].equals("N") && !f[3].isEmpty() && !f[0].contains("x")) {
                expected.add(f[3] + "\t" + f[1] + "\t" + f[0]);
            }
        }
        List<String> actual = new ArrayList<>();
        try (InputStream in = DicomDictionary.class.getResourceAsStream("dicom-keywords.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.startsWith("#") && !line.isEmpty()) {
                    actual.add(line);
                }
            }
        }
        assertEquals(expected, actual);
    }
}
