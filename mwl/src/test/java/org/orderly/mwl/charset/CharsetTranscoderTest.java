package org.orderly.mwl.charset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;

class CharsetTranscoderTest {

    private static Attributes utf8(String name) {
        Attributes a = new Attributes();
        a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        a.setString(Tag.PatientName, VR.PN, name);
        a.setString(Tag.PatientID, VR.LO, "Ł-1");
        a.newSequence(Tag.ScheduledProcedureStepSequence).addNewItem()
                .setString(Tag.ScheduledPerformingPhysicianName, VR.PN, "Dvořák^Antonín");
        return a;
    }

    @Test
    void latin1KeepsLatin1LettersDropsIdeographicGroupsAndTransliteratesTheRest() {
        Attributes out = new CharsetTranscoder("ISO_IR 100").transcode(utf8("Müller^Jürgen=ミュラー^ユルゲン"));
        assertEquals("ISO_IR 100", out.getString(Tag.SpecificCharacterSet));
        assertEquals("Müller^Jürgen", out.getString(Tag.PatientName));
        assertEquals("L-1", out.getString(Tag.PatientID));
        assertEquals("Dvorák^Antonín", out.getSequence(Tag.ScheduledProcedureStepSequence).get(0)
                .getString(Tag.ScheduledPerformingPhysicianName), "ř is not Latin-1, á and í are");
    }

    @Test
    void asciiStripsAccentsAndReplacesWhatRemainsWithQuestionMarks() {
        Attributes out = new CharsetTranscoder("ISO_IR 6").transcode(utf8("Ærø^Łukasz\\李"));
        assertEquals("AEro^Lukasz\\?", String.join("\\", out.getStrings(Tag.PatientName)));
    }

    @Test
    void aDataSetAlreadyInTheTargetIsReturnedAsItIs() {
        Attributes a = utf8("Müller^Jürgen");
        assertSame(a, new CharsetTranscoder("ISO_IR 192").transcode(a));
    }
}
