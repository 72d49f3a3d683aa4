package org.orderly.dicom.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AttributesTest {

    @Test
    void keepsTagOrderWhateverTheInsertionOrder() {
        Attributes a = new Attributes();
        a.setString(Tag.PatientID, VR.LO, "ID1");
        a.setString(Tag.AccessionNumber, VR.SH, "A1");
        a.setBytes(0xFFFCFFFC, VR.OB, new byte[0]); // sorts last as unsigned
        a.setString(Tag.PatientName, VR.PN, "Doe^John");
        a.setInt(Tag.CommandField, VR.US, 0x20);
        assertArrayEquals(new int[] {Tag.CommandField, Tag.AccessionNumber, Tag.PatientName, Tag.PatientID, 0xFFFCFFFC},
                a.tags());
        assertEquals(5, a.size());
        assertTrue(a.contains(Tag.PatientName));
        assertEquals(VR.PN, a.getVR(Tag.PatientName));
        assertNotNull(a.remove(Tag.PatientName));
        assertFalse(a.contains(Tag.PatientName));
        assertNull(a.remove(Tag.PatientName));
        assertEquals(4, a.size());
    }

    private static void assertNotNull(Object o) {
        org.junit.jupiter.api.Assertions.assertNotNull(o);
    }

    @Test
    void stringsArePaddedAndSplit() {
        Attributes a = new Attributes();
        a.setString(Tag.ImageType, VR.CS, "DERIVED", "PRIMARY");
        assertArrayEquals("DERIVED\\PRIMARY ".getBytes(StandardCharsets.US_ASCII), a.getBytes(Tag.ImageType),
                "PS3.5 §6.2: odd length padded with space");
        assertArrayEquals(new String[] {"DERIVED", "PRIMARY"}, a.getStrings(Tag.ImageType));
        assertEquals("PRIMARY", a.getString(Tag.ImageType, 1));
        assertNull(a.getString(Tag.ImageType, 2));
        a.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3");
        assertArrayEquals(new byte[] {'1', '.', '2', '.', '3', 0}, a.getBytes(Tag.SOPInstanceUID), "UI padded with NUL");
        assertEquals("1.2.3", a.getString(Tag.SOPInstanceUID));
        a.setBytes(Tag.PatientID, VR.LO, " ABC  ".getBytes(StandardCharsets.US_ASCII));
        assertEquals("ABC", a.getString(Tag.PatientID));
        a.setBytes(Tag.AdditionalPatientHistory, VR.LT, "  x\\y  ".getBytes(StandardCharsets.US_ASCII));
        assertEquals("  x\\y", a.getString(Tag.AdditionalPatientHistory), "LT: single value, leading spaces kept");
        a.setNull(Tag.PatientSex, VR.CS);
        assertNull(a.getString(Tag.PatientSex));
        assertEquals(0, a.getStrings(Tag.PatientSex).length);
        assertThrows(IllegalArgumentException.class, () -> a.setString(Tag.Rows, VR.US, "1"));
        assertThrows(IllegalArgumentException.class, () -> a.setString(Tag.StudyDate, VR.DA, "2024\u00e9"));
        assertThrows(IllegalArgumentException.class, () -> a.setString(Tag.PatientName, VR.PN, "M\u00fcller"),
                "default repertoire cannot hold u-umlaut; nothing is silently replaced");
    }

    @Test
    void numbersInEveryBinaryVrLittleAndBigEndian() {
        for (boolean be : new boolean[] {false, true}) {
            Attributes a = new Attributes(be);
            a.setInt(Tag.Rows, VR.US, 65535);
            a.setInt(Tag.PixelPaddingValue, VR.SS, -2);
            a.setInt(Tag.SimpleFrameList, VR.UL, 0xFFFFFFFF);
            a.setInt(Tag.ReferencePixelX0, VR.SL, -70000);
            a.setLong(Tag.ExtendedOffsetTable, VR.UV, 1L << 40, 7);
            a.setLong(0x00091010, VR.SV, -5L);
            a.setInt(Tag.FrameIncrementPointer, VR.AT, Tag.FrameTime);
            a.setDouble(Tag.PixelSpacing, VR.DS, 0.5, 1.25);
            a.setDouble(Tag.RecommendedDisplayFrameRateInFloat, VR.FL, 2.5);
            a.setDouble(Tag.EventTimeOffset, VR.FD, -1e-10);
            a.setInt(Tag.InstanceNumber, VR.IS, 42);
            assertEquals(65535, a.getInt(Tag.Rows, -1));
            assertEquals(-2, a.getInt(Tag.PixelPaddingValue, 0));
            assertEquals(0xFFFFFFFFL, a.getLongs(Tag.SimpleFrameList)[0]);
            assertEquals(-70000, a.getInt(Tag.ReferencePixelX0, 0));
            assertArrayEquals(new long[] {1L << 40, 7}, a.getLongs(Tag.ExtendedOffsetTable));
            assertEquals(-5L, a.getLongs(0x00091010)[0]);
            assertEquals(Tag.FrameTime, a.getInt(Tag.FrameIncrementPointer, 0));
            assertEquals("00181063", a.getString(Tag.FrameIncrementPointer));
            assertArrayEquals(new double[] {0.5, 1.25}, a.getDoubles(Tag.PixelSpacing));
            assertEquals("0.5", a.getString(Tag.PixelSpacing));
            assertEquals(2.5, a.getDouble(Tag.RecommendedDisplayFrameRateInFloat, 0), 0);
            assertEquals(-1e-10, a.getDouble(Tag.EventTimeOffset, 0), 0);
            assertEquals(42, a.getInt(Tag.InstanceNumber, 0));
            assertEquals("42", a.getString(Tag.InstanceNumber));
            assertEquals(-1, a.getInt(Tag.Columns, -1));
            byte[] rows = a.getBytes(Tag.Rows);
            assertArrayEquals(be ? new byte[] {(byte) 0xFF, (byte) 0xFF} : new byte[] {(byte) 0xFF, (byte) 0xFF}, rows);
            byte[] ss = a.getBytes(Tag.PixelPaddingValue);
            assertArrayEquals(be ? new byte[] {(byte) 0xFF, (byte) 0xFE} : new byte[] {(byte) 0xFE, (byte) 0xFF}, ss);
        }
    }

    @Test
    void dsIsAtMost16Bytes() {
        assertEquals("3.141592653589793", Attributes.formatDS(Math.PI).length() <= 16
                ? "3.141592653589793" : Attributes.formatDS(Math.PI));
        assertTrue(Attributes.formatDS(Math.PI).length() <= 16, Attributes.formatDS(Math.PI));
        assertTrue(Attributes.formatDS(-1.2345678901234567e-200).length() <= 16);
        assertEquals("100", Attributes.formatDS(100.0));
    }

    @Test
    void sequencesLinkParentsForCharsetInheritance() {
        Attributes root = new Attributes();
        root.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        Sequence seq = root.newSequence(Tag.ScheduledProcedureStepSequence);
        Attributes item = seq.addNewItem();
        assertSame(root, item.parent());
        item.setString(Tag.ScheduledPerformingPhysicianName, VR.PN, "Wang^XiaoDong=王^小東=");
        assertArrayEquals("Wang^XiaoDong=王^小東= ".getBytes(StandardCharsets.UTF_8),
                item.getBytes(Tag.ScheduledPerformingPhysicianName), "encoded with the parent's UTF-8, padded to 26 bytes");
        assertEquals("Wang^XiaoDong=王^小東=", item.getString(Tag.ScheduledPerformingPhysicianName));
        Attributes nested = item.newSequence(Tag.ScheduledProtocolCodeSequence).addNewItem();
        assertEquals("ISO_IR 192", nested.getSpecificCharacterSet().toString());
        Attributes other = new Attributes();
        assertThrows(IllegalArgumentException.class, () -> other.newSequence(Tag.ReferencedStudySequence).add(item),
                "an item belongs to one sequence");
        assertSame(seq, root.getSequence(Tag.ScheduledProcedureStepSequence));
        assertEquals(VR.SQ, root.getVR(Tag.ScheduledProcedureStepSequence));
    }

    @Test
    void deepCopyEqualsAndIsIndependent() {
        Attributes a = sample();
        Attributes copy = new Attributes(a);
        assertEquals(a, copy);
        assertEquals(a.hashCode(), copy.hashCode());
        copy.getSequence(Tag.ReferencedStudySequence).get(0).setString(Tag.ReferencedSOPInstanceUID, VR.UI, "9.9");
        assertNotEquals(a, copy);
        assertEquals("1.2.3.4", a.getSequence(Tag.ReferencedStudySequence).get(0).getString(Tag.ReferencedSOPInstanceUID));
        assertSame(copy, copy.getSequence(Tag.ReferencedStudySequence).get(0).parent());
    }

    @Test
    void equalsAcrossByteOrders() {
        Attributes le = new Attributes(false);
        Attributes be = new Attributes(true);
        le.setInt(Tag.Rows, VR.US, 512);
        be.setInt(Tag.Rows, VR.US, 512);
        assertEquals(le, be);
        be.setInt(Tag.Rows, VR.US, 513);
        assertNotEquals(le, be);
    }

    @Test
    void addAllMergesReplacingAndCopyingSequences() {
        Attributes a = new Attributes();
        a.setString(Tag.PatientID, VR.LO, "OLD");
        a.setString(Tag.PatientSex, VR.CS, "F");
        Attributes b = sample();
        a.addAll(b);
        assertEquals("P1", a.getString(Tag.PatientID));
        assertEquals("F", a.getString(Tag.PatientSex));
        assertSame(a, a.getSequence(Tag.ReferencedStudySequence).get(0).parent());
        assertSame(b, b.getSequence(Tag.ReferencedStudySequence).get(0).parent());
        Attributes be = new Attributes(true);
        be.addAll(b);
        assertEquals(512, be.getInt(Tag.Rows, 0));
    }

    @Test
    void privateElementsCarriedThrough() {
        Attributes a = new Attributes();
        a.setString(0x00290010, VR.LO, "ACME 1.0");
        a.setBytes(0x00291010, VR.UN, new byte[] {1, 2, 3, 4});
        assertEquals("ACME 1.0", a.getString(0x00290010));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, a.getBytes(0x00291010));
    }

    @Test
    void toStringHasNoValues() {
        String s = sample().toString();
        assertFalse(s.contains("P1"), s);
        assertTrue(s.contains("(0010,0020) LO #2"), s);
    }

    static Attributes sample() {
        Attributes a = new Attributes();
        a.setString(Tag.PatientID, VR.LO, "P1");
        a.setInt(Tag.Rows, VR.US, 512);
        Attributes item = a.newSequence(Tag.ReferencedStudySequence).addNewItem();
        item.setString(Tag.ReferencedSOPClassUID, VR.UI, "1.2.840.10008.3.1.2.3.1");
        item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.3.4");
        return a;
    }
}
