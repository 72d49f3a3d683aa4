package org.orderly.dicom.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The committed generated files must equal what the generator makes from the committed TSVs. */
class DictionaryGeneratorTest {

    @Test
    void generatedFilesAreUpToDate() throws Exception {
        Path module = Path.of("").toAbsolutePath();
        Map<String, String> expected = DictionaryGenerator.generate(module.resolve("src/main/dict"));
        assertEquals(4, expected.size());
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Path file = module.resolve(e.getKey());
            assertTrue(Files.exists(file), "missing generated file " + file);
            assertEquals(e.getValue(), Files.readString(file, StandardCharsets.UTF_8),
                    e.getKey() + " is stale: run java dicom/src/test/java/org/orderly/dicom/data/DictionaryGenerator.java dicom");
        }
    }

    @Test
    void namesDerivedFromKeywordsForNewerEditionRows() {
        assertEquals("Person Names To Use Sequence", DictionaryGenerator.nameFromKeyword("PersonNamesToUseSequence"));
        assertEquals("UDI Sequence", DictionaryGenerator.nameFromKeyword("UDISequence"));
    }
}
