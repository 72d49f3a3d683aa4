package org.orderly.hl7.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    }

    @Test
    void refusesRetiredElements() {
        // (0008,0040) DataSetType is retired in PS3.6
        assertTrue(DicomDictionary.lookup("DataSetType").isEmpty());
    }
}
