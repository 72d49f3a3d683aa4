package org.orderly.dicom.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ElementDictionaryTest {

    @Test
    void standardElements() {
        ElementDictionary.Entry pn = ElementDictionary.lookup(Tag.PatientName);
        assertEquals(0x00100010, Tag.PatientName);
        assertEquals(VR.PN, pn.vr());
        assertEquals("1", pn.vm());
        assertEquals("PatientName", pn.keyword());
        assertEquals("Patient's Name", pn.name());
        assertFalse(pn.retired());
        assertEquals(List.of(VR.OB, VR.OW), ElementDictionary.lookup(Tag.PixelData).vrs());
        assertEquals(VR.OW, ElementDictionary.implicitVR(Tag.PixelData), "PS3.5 §A.1: pixel data is OW in implicit VR");
        assertEquals(VR.SQ, ElementDictionary.implicitVR(Tag.ScheduledProcedureStepSequence));
        assertEquals(VR.US, ElementDictionary.implicitVR(Tag.CommandField));
        assertEquals(VR.UL, ElementDictionary.implicitVR(Tag.CommandGroupLength));
        assertEquals(Tag.AccessionNumber, ElementDictionary.tagOf("AccessionNumber"));
        assertEquals(-1, ElementDictionary.tagOf("NoSuchKeyword"));
        assertTrue(ElementDictionary.lookup(Tag.CommandLengthToEnd).retired());
    }

    @Test
    void itemTagsHaveNoVR() {
        assertTrue(ElementDictionary.lookup(0xFFFEE000).vrs().isEmpty());
    }

    @Test
    void repeatingGroups() {
        // PS3.5 §7.6: overlays in even groups 6000-601E
        assertEquals("OverlayData", ElementDictionary.keywordOf(0x60003000));
        assertEquals("OverlayData", ElementDictionary.keywordOf(0x601E3000));
        assertEquals("OverlayRows", ElementDictionary.keywordOf(0x60020010));
        assertNull(ElementDictionary.lookup(0x60203000), "6020 is beyond the overlay range");
        assertNull(ElementDictionary.lookup(0x60013000), "odd group is private");
        assertEquals(VR.UN, ElementDictionary.implicitVR(0x60013000));
        assertEquals(VR.US, ElementDictionary.implicitVR(0x60040010));
        assertEquals("SourceImageIDs", ElementDictionary.keywordOf(0x002031FF));
        // element-level masks (retired compression elements 1000xxx0)
        assertNotNull(ElementDictionary.lookup(0x10001230));
    }

    @Test
    void privateAndGroupLength() {
        assertEquals(VR.UL, ElementDictionary.implicitVR(0x00090000), "PS3.5 §7.2 group length");
        assertEquals(VR.UL, ElementDictionary.implicitVR(0x00080000));
        assertEquals(VR.LO, ElementDictionary.implicitVR(0x00090010), "PS3.5 §7.8.1 private creator");
        assertEquals(VR.LO, ElementDictionary.implicitVR(0x001100FF));
        assertEquals(VR.UN, ElementDictionary.implicitVR(0x00091001));
        assertEquals(VR.UN, ElementDictionary.implicitVR(0x00090100));
        assertEquals(VR.UN, ElementDictionary.implicitVR(0x00080FFF), "unknown standard tag");
        assertTrue(Tags.isPrivate(0x00291010));
        assertFalse(Tags.isPrivate(0x00281010));
    }

    @Test
    void newerEditionsApplied() {
        // added in 2024e..2026b (DCMTK 2026b), names derived from keywords
        ElementDictionary.Entry e = ElementDictionary.lookup(Tag.PersonNamesToUseSequence);
        assertEquals(VR.SQ, e.vr());
        assertEquals("Person Names To Use Sequence", e.name());
        // changed after 2024d
        assertTrue(ElementDictionary.lookup(Tag.EthnicGroup).retired(), "EthnicGroup retired as of 2025a");
        assertFalse(ElementDictionary.lookup(Tag.DoseValue).retired(), "DoseValue un-retired in 2024e");
        assertEquals(5278 + 76, ElementDictionary.size());
    }

    @Test
    void uidDictionary() {
        assertEquals("1.2.840.10008.5.1.4.31", UID.ModalityWorklistInformationModelFind);
        UIDDictionary.Entry mwl = UIDDictionary.lookup(UID.ModalityWorklistInformationModelFind);
        assertEquals("Modality Worklist Information Model - FIND", mwl.name());
        assertEquals("SOP Class", mwl.type());
        assertEquals("Transfer Syntax", UIDDictionary.lookup("1.2.840.10008.1.2").type());
        assertTrue(UIDDictionary.lookup(UID.ExplicitVRBigEndian).retired());
        assertEquals("Ultrasound Waveform Storage", UIDDictionary.nameOf("1.2.840.10008.5.1.4.1.1.601.5"));
        assertEquals("1.2.3.4", UIDDictionary.nameOf("1.2.3.4"));
        assertEquals(490 + 3, UIDDictionary.size());
    }
}
