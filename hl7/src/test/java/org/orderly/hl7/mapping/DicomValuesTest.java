package org.orderly.hl7.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DicomValuesTest {

    @ParameterizedTest
    @CsvSource({
            "20240315093000, 20240315, 093000",
            "20240315093000.1234+0100, 20240315, 093000.1234",
            "202403150930-0500, 20240315, 093000",
            "2024031509, 20240315, 090000",
            "20240315, 20240315, ''",
            "202403, '', ''",
            "20241315, '', ''",
            "20240315253000, 20240315, ''"})
    void hl7DtmToDaAndTm(String dtm, String da, String tm) {
        assertEquals(da, DicomValues.da(dtm));
        assertEquals(tm, DicomValues.tm(dtm));
    }

    @Test
    void valuesWithoutTimePartHaveNoTm() {
        assertEquals("", DicomValues.tm("1430"));
        assertEquals("", DicomValues.tm("2024"));
    }

    @Test
    void personNameComponentsInDicomOrder() {
        assertEquals("Family^Given^Middle^Prefix^Suffix", DicomValues.pn("Family", "Given", "Middle", "Prefix", "Suffix"));
        assertEquals("Family^^^Dr", DicomValues.pn("Family", "", "", "Dr", ""));
        assertEquals("", DicomValues.pn("", "", "", "", ""));
    }

    @Test
    void valuesAreMadeValidForTheirVr() {
        assertEquals("a b/c", DicomValues.forVr(" a\r\nb\\c ", "LO"));
        assertEquals(" a\r\nb\\c", DicomValues.forVr(" a\r\nb\\c ", "LT"));
        assertEquals("CT", DicomValues.forVr("ct", "CS"));
    }

    @Test
    void uidFromUuidFollowsPs35AnnexB2() {
        UUID u = UUID.fromString("f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
        // PS3.5 §B.2 example
        assertEquals("2.25.329800735698586629295641978511506172918", StudyInstanceUidGenerator.fromUuid(u));
        String random = StudyInstanceUidGenerator.newUid();
        assertTrue(random.matches("2\\.25\\.(0|[1-9][0-9]*)") && random.length() <= 64, random);
    }

    @Test
    void inMemoryCountersAreIndependentPerName() {
        IdGenerator ids = IdGenerator.inMemory();
        assertEquals(1, ids.next("AccessionNumber"));
        assertEquals(2, ids.next("AccessionNumber"));
        assertEquals(1, ids.next("ScheduledProcedureStepID"));
    }

    @Test
    void fieldPathSyntax() {
        FieldPath p = FieldPath.parse("PID-3(1)-4-2").orElseThrow();
        assertEquals("PID", p.segment());
        assertEquals(3, p.field());
        assertEquals(1, p.repetition());
        assertEquals(4, p.component());
        assertEquals(2, p.subcomponent());
        FieldPath dotted = FieldPath.parse("ORC-7.4").orElseThrow();
        assertEquals(4, dotted.component());
        assertTrue(FieldPath.parse("ZDS-1").orElseThrow().wholeField());
        assertTrue(FieldPath.parse("PID3").isEmpty());
        assertTrue(FieldPath.parse("PID-0").isEmpty());
        assertTrue(FieldPath.parse("pid-3").isEmpty());
    }
}
