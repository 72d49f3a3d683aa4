package org.orderly.broker.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.io.DatasetCodec;
import org.orderly.dicom.io.DicomOutputStream;
import org.orderly.dicom.io.FileMetaInformation;
import org.orderly.dicom.io.TransferSyntax;

/**
 * The spool's slots against what a crash can leave: a slot cut short anywhere - before "DICM", inside the File Meta
 * Information, exactly at its end, inside the data set - or a reused slot whose new object reached the disk only in
 * part was never answered Success and is never routed; only whole objects are routed again. And the reuse itself: a
 * slot is written again only after every destination confirmed, and then holds exactly its new object.
 */
class SpoolRecoveryTest {
    private static final TransferSyntax TS = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;

    @TempDir
    Path dir;

    private static byte[] dataset(String iuid, int pixelBytes, int fill) throws Exception {
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, iuid);
        ds.setString(Tag.StudyInstanceUID, VR.UI, "2.25.5150");
        ds.setString(Tag.Modality, VR.CS, "CT");
        byte[] pixels = new byte[pixelBytes];
        Arrays.fill(pixels, (byte) fill);
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        return DatasetCodec.encode(ds, TS);
    }

    private static SpooledObject receive(SpoolStore spool, String iuid, int pixelBytes, int fill) throws Exception {
        return spool.receive(UID.CTImageStorage, iuid, TS, "MOD", "ORDERLY",
                new ByteArrayInputStream(dataset(iuid, pixelBytes, fill)));
    }

    private static List<String> ids(List<SpooledObject> objects) {
        return objects.stream().map(SpooledObject::id).toList();
    }

    @Test
    void everyCutShortSlotIsDroppedAndOnlyWholeObjectsAreRoutedAgain() throws Exception {
        Path root = dir.resolve("spool");
        SpooledObject whole;
        try (SpoolStore spool = new SpoolStore(root, 0, 1024)) {
            whole = receive(spool, "2.25.5150.1", 4096, 0);
        }
        byte[] file = Files.readAllBytes(whole.file());
        int fmiEnd = datasetStart(file);
        // cut points: empty, inside the preamble, just after "DICM", inside (0002,0000), inside the group, one byte
        // short of its end, exactly at its end (no data set byte), inside the data set, one byte short
        int[] cuts = {0, 64, 132, 140, 200, fmiEnd - 1, fmiEnd, fmiEnd + 100, file.length - 1};
        for (int i = 0; i < cuts.length; i++) {
            Files.write(root.resolve("objects").resolve("s" + (100 + i) + ".dcm"), Arrays.copyOf(file, cuts[i]));
        }

        try (SpoolStore restarted = new SpoolStore(root, 0, 1024)) {
            List<SpooledObject> again = restarted.recover();
            assertEquals(List.of(whole.id()), ids(again), "only the whole object");
            assertEquals("2.25.5150.1", again.get(0).sopInstanceUid());
            for (int i = 0; i < cuts.length; i++) {
                assertFalse(Files.exists(root.resolve("objects").resolve("s" + (100 + i) + ".dcm")), "cut at " + cuts[i]);
            }
            assertTrue(Files.exists(whole.file()));
        }
    }

    @Test
    void aReusedSlotIsWrittenAgainOnlyAfterItsLastDestinationAndThenHoldsExactlyItsNewObject() throws Exception {
        Path root = dir.resolve("spool");
        try (SpoolStore spool = new SpoolStore(root, 0, 1024)) {
            SpooledObject big = receive(spool, "2.25.5150.1", 64 * 1024, 1);
            Path a = spool.linkForDestination(big.file(), big.id(), "A");
            Path b = spool.linkForDestination(big.file(), big.id(), "B");
            assertEquals(big.id() + ".dcm", a.getFileName().toString());
            spool.routed(big.id(), List.of(a.getParent(), b.getParent()), CompletableFuture.completedFuture(null));
            Path routed = root.resolve("routed").resolve(big.file().getFileName());
            await(() -> Files.exists(routed), "routed/");
            spool.delivered(a);
            SpooledObject meanwhile = receive(spool, "2.25.5150.2", 1024, 2); // B has not confirmed: a new slot
            assertFalse(meanwhile.file().getFileName().equals(big.file().getFileName()));
            spool.delivered(b);
            Path free = root.resolve("free").resolve(big.file().getFileName());
            await(() -> Files.exists(free), "free/");

            byte[] small = dataset("2.25.5150.3", 1024, 3);
            SpooledObject reused = receive(spool, "2.25.5150.3", 1024, 3);
            assertEquals(big.file(), reused.file(), "the freed slot is written again");
            assertFalse(reused.id().equals(big.id()), "a new object id: " + reused.id());
            assertTrue(Files.size(reused.file()) > small.length + 4096, "the slot keeps the space of the big object");
            try (InputStream in = SpoolStore.open(reused.file())) {
                byte[] part10 = in.readAllBytes();
                assertArrayEquals(small, Arrays.copyOfRange(part10, datasetStart(part10), part10.length));
            }
            assertEquals(small.length, SpoolStore.datasetLength(reused.file()));
        }
        try (SpoolStore restarted = new SpoolStore(root, 0, 1024)) {
            List<String> again = ids(restarted.recover());
            assertEquals(2, again.size(), "the two objects never routed: " + again);
        }
    }

    @Test
    void aFreedSlotThatDoesNotFitThePoolPushesOutTheOldestInsteadOfBeingDeleted() throws Exception {
        Path root = dir.resolve("spool");
        Path free = root.resolve("free");
        try (SpoolStore spool = new SpoolStore(root, 0, 1)) { // a pool of 1 MiB
            SpooledObject older = receive(spool, "2.25.5150.1", 300 * 1024, 1);
            SpooledObject newer = receive(spool, "2.25.5150.2", 300 * 1024, 2);
            SpooledObject big = receive(spool, "2.25.5150.3", 600 * 1024, 3);
            for (SpooledObject o : List.of(older, newer, big)) {
                Path link = spool.linkForDestination(o.file(), o.id(), "A");
                spool.routed(o.id(), List.of(link.getParent()), CompletableFuture.completedFuture(null));
                await(() -> Files.exists(root.resolve("routed").resolve(o.file().getFileName())), "routed/");
                spool.delivered(link);
                await(() -> !Files.exists(root.resolve("routed").resolve(o.file().getFileName())), "freed");
            }
            assertFalse(Files.exists(free.resolve(older.file().getFileName())), "the oldest slot made room");
            assertTrue(Files.exists(free.resolve(newer.file().getFileName())));
            assertTrue(Files.exists(free.resolve(big.file().getFileName())), "the big slot is kept");

            SpooledObject next = receive(spool, "2.25.5150.4", 600 * 1024, 4);
            assertEquals(big.file(), next.file(), "the next object finds the big slot");
        }
    }

    @Test
    void aReusedSlotThatACrashLeftHalfWrittenIsNotRouted() throws Exception {
        Path root = dir.resolve("spool");
        byte[] first;
        byte[] second;
        try (SpoolStore spool = new SpoolStore(root, 0, 1024)) {
            SpooledObject o = receive(spool, "2.25.5150.1", 32 * 1024, 1);
            first = Files.readAllBytes(o.file());
            Files.delete(o.file()); // a copy of the second object's own slot file is taken the same way
            SpooledObject p = receive(spool, "2.25.5150.2", 32 * 1024, 2);
            second = Files.readAllBytes(p.file());
            Files.delete(p.file());
        }
        // the new stamp (RECEIVED, its CRC) and half of the new data reached the disk, the rest is the old object
        byte[] mixed = first.clone();
        System.arraycopy(second, 0, mixed, 0, second.length / 2);
        Files.write(root.resolve("objects").resolve("s7.dcm"), mixed);
        try (SpoolStore restarted = new SpoolStore(root, 0, 1024)) {
            assertEquals(List.of(), ids(restarted.recover()), "never answered Success");
            assertTrue(Files.exists(root.resolve("free").resolve("s7.dcm")), "its space is reused");
        }
    }

    @Test
    void withoutReuseARoutedObjectLivesInItsLinksOnly() throws Exception {
        Path root = dir.resolve("spool");
        try (SpoolStore spool = new SpoolStore(root, 0, 0)) {
            SpooledObject o = receive(spool, "2.25.5150.1", 1024, 1);
            Path a = spool.linkForDestination(o.file(), o.id(), "A");
            spool.routed(o.id(), List.of(a.getParent()), CompletableFuture.completedFuture(null));
            await(() -> !Files.exists(o.file()), "the slot entry removed");
            assertFalse(Files.exists(root.resolve("routed").resolve(o.file().getFileName())));
            assertEquals(dataset("2.25.5150.1", 1024, 1).length, SpoolStore.datasetLength(a));
            spool.delivered(a);
            assertFalse(Files.exists(a));
        }
    }

    /**
     * A spool of the previous version (one file per object, {@code objects/<uuid>.dcm}, an 8-byte length stamp) is
     * taken over: its whole objects are routed, delivered to the end of their files and then deleted; its partial
     * ones are dropped.
     */
    @Test
    void filesOfThePreviousLayoutAreRoutedAndDelivered() throws Exception {
        Path root = dir.resolve("spool");
        Files.createDirectories(root.resolve("objects"));
        byte[] data = dataset("2.25.5150.9", 2048, 9);
        String id = "3f2c7a52-0d3e-4a4e-9d55-1b0f1d2a6c11";
        Path old = root.resolve("objects").resolve(id + ".dcm");
        Files.write(old, previousVersionFile(data, data.length));
        Path partial = root.resolve("objects").resolve("0b9f5b64-5a0e-4ad1-8f3e-2f2a3c8e1d02.dcm");
        Files.write(partial, previousVersionFile(data, 0)); // stamp 0: never answered Success
        try (SpoolStore spool = new SpoolStore(root, 0, 1024)) {
            List<SpooledObject> again = spool.recover();
            assertEquals(List.of(id), ids(again));
            assertFalse(Files.exists(partial));
            Path link = spool.linkForDestination(again.get(0).file(), id, "A");
            assertEquals(id + ".dcm", link.getFileName().toString());
            assertEquals(-1, SpoolStore.datasetLength(link), "sent to the end of the file");
            spool.routed(id, List.of(link.getParent()), CompletableFuture.completedFuture(null));
            await(() -> !Files.exists(old), "the routed file's own entry removed");
            assertTrue(Files.exists(link));
            spool.delivered(link);
            assertFalse(Files.exists(link));
        }
    }

    /** A spool file as the previous version wrote it: File Meta Information with the data set length stamp. */
    private static byte[] previousVersionFile(byte[] dataset, long stamp) throws Exception {
        Attributes fmi = FileMetaInformation.create(UID.CTImageStorage, "2.25.5150.9",
                TS.uid(), "MOD");
        fmi.setString(Tag.PrivateInformationCreatorUID, VR.UI,
                FileMetaInformation.IMPLEMENTATION_CLASS_UID);
        fmi.setBytes(Tag.PrivateInformation, VR.OB, ByteBuffer.allocate(SpoolStore.LENGTH_STAMP)
                .order(ByteOrder.LITTLE_ENDIAN).putLong(0, stamp).array());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomOutputStream dos = new DicomOutputStream(out);
        dos.writeFileMetaInformation(fmi);
        dos.flush();
        out.write(dataset);
        return out.toByteArray();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        for (long end = System.nanoTime() + 10_000_000_000L; !condition.getAsBoolean(); ) {
            assertTrue(System.nanoTime() < end, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    /** Where the data set begins: after the group whose length (0002,0000) gives, PS3.10 §7.1. */
    private static int datasetStart(byte[] file) {
        int groupLength = (file[140] & 0xFF) | (file[141] & 0xFF) << 8 | (file[142] & 0xFF) << 16
                | (file[143] & 0xFF) << 24;
        return 144 + groupLength;
    }
}
