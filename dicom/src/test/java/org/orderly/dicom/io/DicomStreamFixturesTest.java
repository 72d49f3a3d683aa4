package org.orderly.dicom.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Fragments;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.data.VR;

/** Hand-written byte fixtures (PS3.5 §7.1, §7.5, §A.4), decoded and re-encoded. */
class DicomStreamFixturesTest {

    /** C-ECHO-RQ command set, PS3.7 §9.3.5 / §E.1, Implicit VR Little Endian. */
    static final byte[] C_ECHO_RQ = Bytes.of(
            0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x38, 0x00, 0x00, 0x00,  // (0000,0000) UL len 4 = 56
            0x00, 0x00, 0x02, 0x00, 0x12, 0x00, 0x00, 0x00, "1.2.840.10008.1.1", 0x00, // (0000,0002) UI, NUL-padded
            0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x30, 0x00,              // (0000,0100) US 0030H C-ECHO-RQ
            0x00, 0x00, 0x10, 0x01, 0x02, 0x00, 0x00, 0x00, 0x07, 0x00,              // (0000,0110) US MessageID 7
            0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01);             // (0000,0800) US 0101H no data set

    @Test
    void commandSetEncodeComputesGroupLength() throws Exception {
        Attributes cmd = new Attributes();
        cmd.setString(Tag.AffectedSOPClassUID, VR.UI, UID.Verification);
        cmd.setInt(Tag.CommandField, VR.US, 0x0030);
        cmd.setInt(Tag.MessageID, VR.US, 7);
        cmd.setInt(Tag.CommandDataSetType, VR.US, 0x0101);
        assertArrayEquals(C_ECHO_RQ, DatasetCodec.encodeCommand(cmd));
        cmd.setInt(Tag.CommandGroupLength, VR.UL, 999); // stale value is replaced
        assertArrayEquals(C_ECHO_RQ, DatasetCodec.encodeCommand(cmd));

        Attributes decoded = DatasetCodec.decodeCommand(C_ECHO_RQ);
        assertEquals(56, decoded.getInt(Tag.CommandGroupLength, -1));
        assertEquals(UID.Verification, decoded.getString(Tag.AffectedSOPClassUID));
        assertEquals(0x0030, decoded.getInt(Tag.CommandField, -1));
        assertEquals(7, decoded.getInt(Tag.MessageID, -1));
        assertEquals(VR.US, decoded.getVR(Tag.CommandDataSetType));
    }

    /** Implicit VR LE: tag, 32-bit length, VR from the dictionary (PS3.5 §7.1.3). */
    static final byte[] IMPLICIT = Bytes.of(
            0x08, 0x00, 0x60, 0x00, 0x02, 0x00, 0x00, 0x00, "MR",                   // (0008,0060) Modality
            0x10, 0x00, 0x10, 0x00, 0x08, 0x00, 0x00, 0x00, "DOE^JON ",             // (0010,0010) PatientName
            0x28, 0x00, 0x10, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,             // (0028,0010) Rows 512
            0x29, 0x00, 0x10, 0x00, 0x04, 0x00, 0x00, 0x00, "ACME",                 // (0029,0010) private creator -> LO
            0x29, 0x00, 0x01, 0x10, 0x02, 0x00, 0x00, 0x00, 0xAB, 0xCD);            // (0029,1001) private -> UN

    /** The same in Explicit VR LE: 16-bit length, or 2 reserved bytes + 32-bit length for OB etc. (PS3.5 §7.1.2). */
    static final byte[] EXPLICIT = Bytes.of(
            0x08, 0x00, 0x60, 0x00, "CS", 0x02, 0x00, "MR",
            0x10, 0x00, 0x10, 0x00, "PN", 0x08, 0x00, "DOE^JON ",
            0x28, 0x00, 0x10, 0x00, "US", 0x02, 0x00, 0x00, 0x02,
            0x29, 0x00, 0x10, 0x00, "LO", 0x04, 0x00, "ACME",
            0x29, 0x00, 0x01, 0x10, "UN", 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0xAB, 0xCD);

    /** Explicit VR Big Endian (PS3.5 §A.3): group, element, lengths and US value big endian. */
    static final byte[] BIG_ENDIAN = Bytes.of(
            0x00, 0x08, 0x00, 0x60, "CS", 0x00, 0x02, "MR",
            0x00, 0x10, 0x00, 0x10, "PN", 0x00, 0x08, "DOE^JON ",
            0x00, 0x28, 0x00, 0x10, "US", 0x00, 0x02, 0x02, 0x00,
            0x00, 0x29, 0x00, 0x10, "LO", 0x00, 0x04, "ACME",
            0x00, 0x29, 0x10, 0x01, "UN", 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xAB, 0xCD);

    @Test
    void threeEncodingsOfOneDataSet() throws Exception {
        Attributes implicit = DatasetCodec.decode(IMPLICIT, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        Attributes explicit = DatasetCodec.decode(EXPLICIT, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        Attributes big = DatasetCodec.decode(BIG_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN);
        for (Attributes a : new Attributes[] {implicit, explicit, big}) {
            assertEquals("MR", a.getString(Tag.Modality));
            assertEquals("DOE^JON", a.getString(Tag.PatientName));
            assertEquals(512, a.getInt(Tag.Rows, 0));
            assertEquals(VR.LO, a.getVR(0x00290010));
            assertEquals(VR.UN, a.getVR(0x00291001));
        }
        assertEquals(implicit, explicit);
        assertEquals(explicit, big);
        assertArrayEquals(IMPLICIT, DatasetCodec.encode(big, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN));
        assertArrayEquals(EXPLICIT, DatasetCodec.encode(implicit, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        assertArrayEquals(BIG_ENDIAN, DatasetCodec.encode(explicit, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN));
        assertArrayEquals(new byte[] {0xAB - 256, 0xCD - 256}, big.getBytes(0x00291001), "UN bytes never swapped");
    }

    /** Undefined-length SQ, one undefined-length item, one defined-length item (PS3.5 §7.5.2, Table 7.5-3). */
    static final byte[] NESTED_SQ = Bytes.of(
            0x08, 0x00, 0x10, 0x11, "SQ", 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF,     // (0008,1110) SQ undefined
            0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF,                       //   Item, undefined length
            0x08, 0x00, 0x50, 0x11, "UI", 0x04, 0x00, "1.2", 0x00,                //     (0008,1150) UI
            0xFE, 0xFF, 0x0D, 0xE0, 0x00, 0x00, 0x00, 0x00,                       //   Item Delimitation Item
            0xFE, 0xFF, 0x00, 0xE0, 0x0C, 0x00, 0x00, 0x00,                       //   Item, length 12
            0x08, 0x00, 0x55, 0x11, "UI", 0x04, 0x00, "3.4", 0x00,                //     (0008,1155) UI
            0xFE, 0xFF, 0xDD, 0xE0, 0x00, 0x00, 0x00, 0x00,                       // Sequence Delimitation Item
            0x10, 0x00, 0x20, 0x00, "LO", 0x02, 0x00, "P1");                      // (0010,0020) after the SQ

    @Test
    void nestedSequenceDefinedAndUndefinedItems() throws Exception {
        Attributes a = DatasetCodec.decode(NESTED_SQ, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        Sequence seq = a.getSequence(Tag.ReferencedStudySequence);
        assertEquals(2, seq.size());
        assertEquals("1.2", seq.get(0).getString(Tag.ReferencedSOPClassUID));
        assertEquals("3.4", seq.get(1).getString(Tag.ReferencedSOPInstanceUID));
        assertEquals("P1", a.getString(Tag.PatientID));
        // our writer always writes undefined lengths by default: the second item differs only in its header
        byte[] written = DatasetCodec.encode(a, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertEquals(a, DatasetCodec.decode(written, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        assertEquals(NESTED_SQ.length + 8, written.length, "one more Item Delimitation Item");
    }

    /** PS3.5 §6.2.2: UN with undefined length holds an Implicit VR LE sequence, even in Big Endian. */
    static final byte[] UN_UNDEFINED_IN_BE = Bytes.of(
            0x00, 0x29, 0x10, 0x10, "UN", 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF,     // (0029,1010) UN undefined
            0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF,                       //   Item (little endian!)
            0x10, 0x00, 0x20, 0x00, 0x02, 0x00, 0x00, 0x00, "P2",                 //     (0010,0020) implicit LE
            0xFE, 0xFF, 0x0D, 0xE0, 0x00, 0x00, 0x00, 0x00,
            0xFE, 0xFF, 0xDD, 0xE0, 0x00, 0x00, 0x00, 0x00);

    @Test
    void unknownSequenceOfUndefinedLength() throws Exception {
        Attributes a = DatasetCodec.decode(UN_UNDEFINED_IN_BE, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN);
        assertEquals(VR.SQ, a.getVR(0x00291010));
        Attributes item = a.getSequence(0x00291010).get(0);
        assertEquals("P2", item.getString(Tag.PatientID));
        assertEquals(false, item.isBigEndian());
    }

    /** PS3.5 §A.4: encapsulated pixel data, empty Basic Offset Table + one fragment. */
    static final byte[] ENCAPSULATED = Bytes.of(
            0xE0, 0x7F, 0x10, 0x00, "OB", 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF,
            0xFE, 0xFF, 0x00, 0xE0, 0x00, 0x00, 0x00, 0x00,                       // Basic Offset Table, empty
            0xFE, 0xFF, 0x00, 0xE0, 0x04, 0x00, 0x00, 0x00, 0xFF, 0xD8, 0xFF, 0xD9, // fragment
            0xFE, 0xFF, 0xDD, 0xE0, 0x00, 0x00, 0x00, 0x00);

    @Test
    void encapsulatedPixelDataCarriedThrough() throws Exception {
        Attributes a = DatasetCodec.decode(ENCAPSULATED, TransferSyntax.JPEG_BASELINE);
        Fragments f = assertInstanceOf(Fragments.class, a.getValue(Tag.PixelData));
        assertEquals(2, f.size());
        assertEquals(0, f.length(0));
        assertArrayEquals(Bytes.of(0xFF, 0xD8, 0xFF, 0xD9), (byte[]) f.get(1));
        assertNull(a.getBytes(Tag.PixelData));
        assertArrayEquals(ENCAPSULATED, DatasetCodec.encode(a, TransferSyntax.JPEG_BASELINE));
    }

    @Test
    void definedLengthSequencesWhenAsked() throws Exception {
        Attributes a = DatasetCodec.decode(NESTED_SQ, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        java.io.ByteArrayOutputStream bout = new java.io.ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(bout).sequenceLength(DicomOutputStream.SequenceLength.DEFINED)) {
            out.writeDataset(a, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        }
        byte[] b = bout.toByteArray();
        byte[] expected = Bytes.of(
                0x08, 0x00, 0x10, 0x11, "SQ", 0x00, 0x00, 0x28, 0x00, 0x00, 0x00,  // SQ length 40 = 2 x (8 + 12)
                0xFE, 0xFF, 0x00, 0xE0, 0x0C, 0x00, 0x00, 0x00,
                0x08, 0x00, 0x50, 0x11, "UI", 0x04, 0x00, "1.2", 0x00,
                0xFE, 0xFF, 0x00, 0xE0, 0x0C, 0x00, 0x00, 0x00,
                0x08, 0x00, 0x55, 0x11, "UI", 0x04, 0x00, "3.4", 0x00,
                0x10, 0x00, 0x20, 0x00, "LO", 0x02, 0x00, "P1");
        assertArrayEquals(expected, b);
        assertEquals(a, DatasetCodec.decode(b, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    }

    @Test
    void transferSyntaxLookup() {
        assertEquals(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.of("1.2.840.10008.1.2\0"));
        assertEquals(true, TransferSyntax.of(UID.DeflatedExplicitVRLittleEndian).deflated());
        assertEquals(true, TransferSyntax.of(UID.JPEG2000).encapsulated());
        assertEquals(true, TransferSyntax.of(UID.RLELossless).explicitVR());
        assertEquals(true, TransferSyntax.of(UID.ExplicitVRBigEndian).bigEndian());
        assertEquals(false, TransferSyntax.of(UID.JPIPReferenced).encapsulated());
        assertEquals("JPEG Baseline (Process 1)", TransferSyntax.JPEG_BASELINE.name());
    }
}
