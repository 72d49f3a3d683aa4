package org.orderly.broker.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.io.DatasetCodec;
import org.orderly.dicom.io.TransferSyntax;

/**
 * The start-up scan of the spool against what a crash can leave in {@code objects/}: a file cut short anywhere -
 * before "DICM", inside the File Meta Information, exactly at its end, inside the data set - was never answered
 * Success and is deleted; only whole objects are routed again.
 */
class SpoolRecoveryTest {
    @TempDir
    Path dir;

    @Test
    void everyCutShortFileIsRemovedAndOnlyWholeObjectsAreRoutedAgain() throws Exception {
        Path root = dir.resolve("spool");
        SpoolStore spool = new SpoolStore(root, 0);
        SpooledObject whole;
        try {
            Attributes ds = new Attributes();
            ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
            ds.setString(Tag.SOPInstanceUID, VR.UI, "2.25.5150.1");
            ds.setString(Tag.StudyInstanceUID, VR.UI, "2.25.5150");
            ds.setString(Tag.Modality, VR.CS, "CT");
            ds.setBytes(Tag.PixelData, VR.OW, new byte[4096]);
            byte[] encoded = DatasetCodec.encode(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            whole = spool.receive(UID.CTImageStorage, "2.25.5150.1", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, "MOD",
                    "ORDERLY", new ByteArrayInputStream(encoded));
        } finally {
            spool.close();
        }
        byte[] file = Files.readAllBytes(whole.file());
        int fmiEnd = datasetStart(file);
        // cut points: empty, inside the preamble, just after "DICM", inside (0002,0000), inside the group, one byte
        // short of its end, exactly at its end (no data set byte), inside the data set, one byte short
        int[] cuts = {0, 64, 132, 140, 200, fmiEnd - 1, fmiEnd, fmiEnd + 100, file.length - 1};
        for (int cut : cuts) {
            Files.write(root.resolve("objects").resolve("cut-" + cut + ".dcm"), Arrays.copyOf(file, cut));
        }

        SpoolStore restarted = new SpoolStore(root, 0);
        try {
            List<SpooledObject> again = restarted.recover();
            assertEquals(List.of(whole.id()), again.stream().map(SpooledObject::id).toList(), "only the whole object");
            assertEquals("2.25.5150.1", again.get(0).sopInstanceUid());
            for (int cut : cuts) {
                assertFalse(Files.exists(root.resolve("objects").resolve("cut-" + cut + ".dcm")), "cut at " + cut);
            }
            assertTrue(Files.exists(whole.file()));
        } finally {
            restarted.close();
        }
    }

    /** Where the data set begins: after the group whose length (0002,0000) gives, PS3.10 §7.1. */
    private static int datasetStart(byte[] file) {
        int groupLength = (file[140] & 0xFF) | (file[141] & 0xFF) << 8 | (file[142] & 0xFF) << 16
                | (file[143] & 0xFF) << 24;
        return 144 + groupLength;
    }
}
