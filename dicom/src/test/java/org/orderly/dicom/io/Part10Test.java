package org.orderly.dicom.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.data.VR;

/** PS3.10 §7.1 files: preamble, DICM, File Meta Information, data set. */
class Part10Test {

    static Attributes dataset() {
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, "2.25.1234");
        ds.setString(Tag.PatientName, VR.PN, "Doe^Jane");
        ds.newSequence(Tag.ReferencedStudySequence).addNewItem().setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2");
        return ds;
    }

    private static byte[] write(Attributes fmi, Attributes ds) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Part10Writer.write(out, fmi, ds);
        return out.toByteArray();
    }

    private static DicomFile read(byte[] b) throws Exception {
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(b))) {
            return in.readDicomFile();
        }
    }

    @Test
    void layoutOfFileMetaInformation() throws Exception {
        Attributes ds = dataset();
        Attributes fmi = FileMetaInformation.forDataset(ds, UID.ExplicitVRLittleEndian);
        byte[] b = write(fmi, ds);
        assertArrayEquals(new byte[128], Arrays.copyOf(b, 128), "128-byte preamble of zeros");
        assertArrayEquals(Bytes.of("DICM"), Arrays.copyOfRange(b, 128, 132));
        // (0002,0000) UL 4 <length>, then (0002,0001) OB 00 00 len 2 00 01
        assertArrayEquals(Bytes.of(0x02, 0x00, 0x00, 0x00, "UL", 0x04, 0x00), Arrays.copyOfRange(b, 132, 140));
        int groupLength = (b[140] & 0xFF) | (b[141] & 0xFF) << 8;
        assertArrayEquals(Bytes.of(0x02, 0x00, 0x01, 0x00, "OB", 0, 0, 2, 0, 0, 0, 0, 1), Arrays.copyOfRange(b, 144, 158));
        DicomFile f = read(b);
        assertEquals(groupLength, f.fileMetaInformation().getInt(Tag.FileMetaInformationGroupLength, -1));
        // the data set starts right after the group: its first tag is (0008,0016)
        assertEquals(0x08, b[144 + groupLength]);
        assertEquals(0x16, b[144 + groupLength + 2]);
        assertEquals(FileMetaInformation.IMPLEMENTATION_CLASS_UID,
                f.fileMetaInformation().getString(Tag.ImplementationClassUID));
        assertEquals("2.25.1234", f.fileMetaInformation().getString(Tag.MediaStorageSOPInstanceUID));
        assertEquals(ds, f.dataset());
        assertEquals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, f.transferSyntax());
    }

    @Test
    void everyTransferSyntaxAndToleratedVariants() throws Exception {
        for (String ts : new String[] {UID.ImplicitVRLittleEndian, UID.ExplicitVRLittleEndian,
                UID.DeflatedExplicitVRLittleEndian, UID.ExplicitVRBigEndian}) {
            Attributes ds = dataset();
            byte[] b = write(FileMetaInformation.forDataset(ds, ts), ds);
            assertEquals(ds, read(b).dataset(), ts);
            // no preamble, "DICM" first
            assertEquals(ds, read(Arrays.copyOfRange(b, 128, b.length)).dataset(), ts);
            // no preamble, no DICM: group 0002 first
            assertEquals(ds, read(Arrays.copyOfRange(b, 132, b.length)).dataset(), ts);
        }
    }

    @Test
    void rawDataSetWithoutMetaInformationIsGuessed() throws Exception {
        Attributes ds = dataset();
        for (TransferSyntax ts : new TransferSyntax[] {TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN}) {
            DicomFile f = read(DatasetCodec.encode(ds, ts));
            assertNull(f.fileMetaInformation());
            assertEquals(ts, f.transferSyntax());
            assertEquals(ds, f.dataset());
        }
    }

    @Test
    void rawFastPathCopiesReceivedBytesUnparsed() throws Exception {
        Attributes ds = dataset();
        for (String ts : new String[] {UID.ImplicitVRLittleEndian, UID.DeflatedExplicitVRLittleEndian}) {
            byte[] viaParsed = write(FileMetaInformation.forDataset(ds, ts), ds);
            // what a C-STORE SCP receives: the data set already encoded (and deflated) in the negotiated syntax
            byte[] received = Arrays.copyOfRange(viaParsed, 132 + 12 + (viaParsed[140] & 0xFF), viaParsed.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long n = Part10Writer.writeRaw(out, FileMetaInformation.forDataset(ds, ts), new ByteArrayInputStream(received));
            assertEquals(received.length, n);
            assertArrayEquals(viaParsed, out.toByteArray(), ts);
        }
    }
}
