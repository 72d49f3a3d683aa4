package org.orderly.broker.storage;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.BulkData;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.io.BulkDataSink;
import org.orderly.dicom.io.DicomInputStream;
import org.orderly.dicom.io.DicomOutputStream;
import org.orderly.dicom.io.DicomStreamException;
import org.orderly.dicom.io.FileMetaInformation;
import org.orderly.dicom.data.LimitedInputStream;
import org.orderly.dicom.io.TransferSyntax;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable spool under {@code <data-dir>/spool/}. Layout:
 * <pre>
 * objects/s&lt;n&gt;.dcm         a slot holding a received object, waiting for routing
 * routed/s&lt;n&gt;.dcm          a slot whose object lives in its destination links, waiting for deliveries
 * free/s&lt;n&gt;.dcm            a slot every destination confirmed: its disk space waits for the next object
 * dest/&lt;key&gt;/&lt;id&gt;.dcm      a hard link per destination still to be sent (removed on that destination's Success);
 *                          the object id is {@code s<n>-<generation>}
 * unrouted/&lt;id&gt;.dcm        no destination matched; kept for the admin
 * tmp/                     coerced copies being written
 * </pre>
 * (A spool of an older version also has {@code objects/<uuid>.dcm}, one file per object: still routed and
 * delivered, then deleted.)
 *
 * <p>Durability, with ONE flush of the file on the path to the C-STORE response: the object is streamed into a slot
 * file, its File Meta Information first, carrying (0002,0100) Private Information Creator UID = Orderly's
 * Implementation Class UID and (0002,0102) Private Information = a {@link SlotStamp} (length 0 while the object
 * arrives; then its length, generation, CRC-32C and state RECEIVED); then {@code FileChannel.force(false)}. A slot
 * file the spool reuses (from {@code free/}) already has its disk blocks, so that flush writes data only; a new slot
 * file's directory entry is made durable by a {@link DirectorySync} shared by all associations. Whatever the start-up
 * scan finds that is not whole by its stamp and CRC was never answered Success.
 *
 * <p>Routing never flushes per object: destination links are made without fsync, and a slot leaves
 * {@code objects/} (stamp ROUTED) only after the directories of its links were synced ({@link #routed}, batched by a
 * background thread). Whatever a crash leaves RECEIVED is routed again at start-up, so a lost link or a lost queue
 * message costs a duplicate delivery, never an object. A slot is reused only when its last link is gone and that
 * removal is durable (the link directories are synced first, batched too): no link that a crash brings back can
 * point at another object's data.
 */
public final class SpoolStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolStore.class);
    private static final int BUFFER = 256 * 1024;

    /** Reads (never skips: the tee must see every byte) and drops a bulk value while the header is parsed. */
    private static final BulkDataSink DISCARD = (tag, vr, value, length, bigEndian) -> {
        value.transferTo(OutputStream.nullOutputStream());
        return new BulkData(Path.of("."), 0, length, bigEndian);
    };

    private final Path root;
    private final Path tmp;
    private final Path objects;
    private final Path dest;
    private final Path unrouted;
    private final long minFreeBytes;
    private final DirectorySync objectsSync;
    private final SpoolSlots slots;
    private final Reaper reaper;
    private final FileStore disk;
    private final Set<Path> destinationDirs = ConcurrentHashMap.newKeySet();

    /**
     * @param reuseMb disk space the spool keeps in {@code free/} for the next objects (0: a new file per object)
     */
    public SpoolStore(Path root, long minFreeMb, long reuseMb) throws IOException {
        this.root = root;
        this.tmp = Files.createDirectories(root.resolve("tmp"));
        this.objects = Files.createDirectories(root.resolve("objects"));
        Path routed = Files.createDirectories(root.resolve("routed"));
        Path free = Files.createDirectories(root.resolve("free"));
        this.dest = Files.createDirectories(root.resolve("dest"));
        this.unrouted = Files.createDirectories(root.resolve("unrouted"));
        this.minFreeBytes = minFreeMb * 1024 * 1024;
        fsyncDirectory(root); // the spool's own directories exist durably before anything is answered Success
        this.objectsSync = new DirectorySync(objects);
        this.disk = Files.getFileStore(root); // looked up once: the lookup reads /proc/self/mounts
        long reuseBytes = disk.supportsFileAttributeView("unix") ? reuseMb * 1024 * 1024 : 0; // link counts needed
        this.slots = new SpoolSlots(objects, routed, free, reuseBytes);
        this.reaper = new Reaper();
    }

    /** Bytes of the (0002,0102) value in a spool file of an older version: the data set length. */
    static final int LENGTH_STAMP = 8;
    /** Preamble, "DICM" and the (0002,0000) element: where the group that (0002,0000) measures begins. */
    private static final int FMI_GROUP_START = 128 + 4 + 12;

    /** Thrown when the spool cannot take an object for lack of space: answered A700H. */
    public static final class OutOfSpaceException extends IOException {
        private static final long serialVersionUID = 1L;

        OutOfSpaceException(String m) {
            super(m);
        }
    }

    /**
     * Streams a received data set (as it came: the negotiated transfer syntax, without File Meta Information) into
     * a slot file while parsing its structure (which rejects a corrupt data set and yields the routing attributes;
     * bulk values are not kept), and makes it durable.
     *
     * @throws DicomStreamException the data set cannot be parsed (nothing is kept)
     * @throws OutOfSpaceException  below the minimum free space, or the disk filled up (nothing is kept)
     */
    public SpooledObject receive(String cuid, String iuid, TransferSyntax ts, String callingAe, String calledAe,
            InputStream dataset) throws IOException {
        long usable = disk.getUsableSpace() + slots.pooledBytes();
        if (usable < minFreeBytes) {
            throw new OutOfSpaceException("spool has " + usable / (1024 * 1024) + " MB free, minimum "
                    + minFreeBytes / (1024 * 1024) + " MB");
        }
        SpoolSlots.Slot slot = slots.acquire();
        Path file = objects.resolve(slot.name + ".dcm");
        Attributes ds;
        try (FileChannel ch = slot.created
                ? FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
                : FileChannel.open(file, StandardOpenOption.WRITE)) {
            Attributes fmi = FileMetaInformation.create(cuid, iuid, ts.uid(), callingAe);
            if (calledAe != null) {
                fmi.setString(Tag.ReceivingApplicationEntityTitle, VR.AE, calledAe);
            }
            fmi.setString(Tag.PrivateInformationCreatorUID, VR.UI, FileMetaInformation.IMPLEMENTATION_CLASS_UID);
            fmi.setBytes(Tag.PrivateInformation, VR.OB, SlotStamp.arriving(slot.generation).encode()); // last element
            ByteArrayOutputStream head = new ByteArrayOutputStream(512);
            DicomOutputStream dos = new DicomOutputStream(head);
            dos.writeFileMetaInformation(fmi);
            dos.flush();
            byte[] fmiBytes = head.toByteArray();
            long datasetStart = fmiBytes.length;
            CRC32C crc = new CRC32C();
            crc.update(fmiBytes, 0, fmiBytes.length - SlotStamp.SIZE); // all but the stamp itself
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), BUFFER);
            out.write(fmiBytes);
            Tee tee = new Tee(dataset, out, crc);
            ds = new DicomInputStream(tee).bulkData(DISCARD, 1024).readDataset(ts);
            tee.transferTo(OutputStream.nullOutputStream()); // anything the parser left (nothing, normally)
            out.flush();
            long length = ch.position() - datasetStart;
            SlotStamp stamp = new SlotStamp(length, slot.generation, (int) crc.getValue(), SlotStamp.RECEIVED);
            ch.write(ByteBuffer.wrap(stamp.encode()), datasetStart - SlotStamp.SIZE);
            ch.force(false); // the one flush of the data: contents, stamp and (if it grew) size
            slot.datasetStart = datasetStart;
            slot.capacity = Math.max(slot.capacity, ch.size());
        } catch (IOException | RuntimeException e) {
            boolean noSpace = !(e instanceof DicomStreamException) && isNoSpace(e);
            try {
                slots.abandon(slot, noSpace); // a full disk gets the slot's space back
            } catch (IOException x) {
                e.addSuppressed(x);
            }
            if (noSpace) {
                throw new OutOfSpaceException("spool disk full: " + e.getMessage());
            }
            throw e;
        }
        if (slot.created) {
            objectsSync.sync(); // the new directory entry (shared with concurrent associations)
        }
        String dsCuid = ds.getString(Tag.SOPClassUID);
        return new SpooledObject(slot.id(), file, cuid, iuid, ts.uid(),
                DatasetHeaders.of(ds, callingAe, calledAe, dsCuid != null ? dsCuid.strip() : cuid, iuid, ts.uid()));
    }

    /**
     * Whether a spool file is complete. Its File Meta Information must be whole: the spool writes it first, after
     * the 128-byte preamble and "DICM", led by its group length (0002,0000) (PS3.10 §7.1), so a crash inside it leaves
     * the data set starting before where the group length says the group ends. Then its length stamp must match the
     * bytes after the File Meta Information; a file without the stamp (written by an older version: temp file,
     * force, rename) is complete by construction.
     */
    static boolean isComplete(Path f, Attributes fmi, long datasetStart) throws IOException {
        long groupLength = fmi.getInt(Tag.FileMetaInformationGroupLength, -1);
        if (groupLength < 0 || datasetStart != FMI_GROUP_START + groupLength) {
            return false;
        }
        String creator = fmi.getString(Tag.PrivateInformationCreatorUID);
        if (creator == null || !creator.strip().equals(FileMetaInformation.IMPLEMENTATION_CLASS_UID)) {
            return true;
        }
        byte[] stamp = fmi.getBytes(Tag.PrivateInformation);
        if (stamp == null || stamp.length != LENGTH_STAMP) {
            return false;
        }
        long length = ByteBuffer.wrap(stamp).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return length > 0 && Files.size(f) - datasetStart == length;
    }

    static boolean isNoSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && (t.getMessage().contains("No space left") || t.getMessage().contains("ENOSPC")
                    || t.getMessage().contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Links a file (the spooled object or a coerced copy of it) for a destination; returns the link, named by the
     * object id (a copy without one: by its own name), so that the ledger's object id names the link. Idempotent. No
     * fsync here: {@link #routed} syncs the link directories (batched) before the object leaves {@code objects/}.
     */
    public Path linkForDestination(Path file, String objectId, String destinationKey) throws IOException {
        Path dir = dest.resolve(destinationKey);
        if (!destinationDirs.contains(dir)) { // createDirectories throws (and catches) for one that exists
            destinationDirs.add(Files.createDirectories(dir));
        }
        String name = objectId != null ? objectId + ".dcm" : file.getFileName().toString();
        Path link = dir.resolve(name);
        try {
            Files.createLink(link, file);
        } catch (FileAlreadyExistsException e) {
            return link;
        }
        return link;
    }

    /**
     * Routing finished: the object now lives in its destination links. It leaves {@code objects/} in a background
     * thread once {@code ready} completed (its destination messages are in the JMS journal), the
     * {@linkplain #beforeRouted barrier} passed and the link directories were synced, many objects per sync; until
     * then a crash routes it again.
     */
    public void routed(String id, Collection<Path> linkDirectories, CompletableFuture<?> ready) {
        reaper.routed(id, linkDirectories, ready);
    }

    /** Something else that must be durable before routed objects leave {@code objects/}: see {@link #beforeRouted}. */
    @FunctionalInterface
    public interface Barrier {
        void await() throws Exception;
    }

    /**
     * Run once per batch of the background work, before routed objects leave {@code objects/}: the delivery ledger's
     * rows written behind (PENDING, DELIVERED) and the received-instance records reach the database file there.
     */
    public void beforeRouted(Barrier barrier) {
        reaper.barrier = barrier;
    }

    /** The object was refused after it was spooled: its slot is freed (durably: a crash must not route it). */
    public void discard(String id) throws IOException {
        SpoolSlots.Slot s = slots.ofId(id);
        if (s == null) {
            Files.deleteIfExists(objects.resolve(id + ".dcm"));
            return;
        }
        Path f = slots.file(s);
        writeState(f, s.datasetStart, SlotStamp.FREE, true);
        slots.recycle(s, f);
    }

    /** No destination matched: kept under unrouted/ for the admin (never deleted by Orderly). */
    public void unrouted(String id) throws IOException {
        SpoolSlots.Slot s = slots.ofId(id);
        Path target = unrouted.resolve(id + ".dcm");
        if (s == null) {
            Path f = objects.resolve(id + ".dcm");
            if (Files.exists(f)) {
                Files.move(f, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return;
        }
        Path f = slots.file(s);
        try (InputStream in = open(f); FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            in.transferTo(Channels.newOutputStream(out));
            out.force(true);
        }
        fsyncDirectory(unrouted); // the copy is durable before the slot is given up
        writeState(f, s.datasetStart, SlotStamp.FREE, false);
        slots.recycle(s, f);
    }

    /** Where {@link #linkForDestination} puts the link of an object for a destination. */
    public Path linkOf(String objectId, String destinationKey) {
        return dest.resolve(destinationKey).resolve(objectId + ".dcm");
    }

    /** A destination confirmed Success: its link goes; the slot is freed when that was its last one. */
    public void delivered(Path link) throws IOException {
        if (!link.startsWith(dest)) {
            throw new IOException(link + " is not a destination link of this spool");
        }
        reaper.linkRemoving(link.getParent()); // before the removal: the sync that frees the slot must cover it
        Files.deleteIfExists(link);
        SpoolSlots.Slot s = slots.ofLink(link);
        if (s != null) {
            try {
                maybeFree(s);
            } catch (IOException e) { // delivered all the same; the start-up scan frees the slot
                LOG.warn("spool: slot {} not freed after its delivery: {}", s.id(), e.toString());
            }
        }
    }

    /** Frees a routed slot whose links are all gone: once, after the link directories were synced. */
    private void maybeFree(SpoolSlots.Slot s) throws IOException {
        synchronized (s) {
            if (!s.routed || s.freeing || SpoolSlots.links(slots.file(s)) > 1) {
                return;
            }
            s.freeing = true;
        }
        reaper.free(s);
    }

    /** A new file for a coerced copy, under tmp/ (deleted when routing finishes; its links keep the data). */
    public Path newTempFile(String suffix) {
        return tmp.resolve(UUID.randomUUID() + suffix);
    }

    /**
     * The object in a spool file (a slot, a link to one, a coerced copy, a file of an older version) as a Part 10
     * stream: File Meta Information and data set, without the rest of a reused slot's space.
     */
    public static InputStream open(Path file) throws IOException {
        Extent e = extent(file);
        long end = e.length() < 0 ? Long.MAX_VALUE : e.start() + e.length();
        return new LimitedInputStream(Files.newInputStream(file), end);
    }

    /** The number of data set bytes after the File Meta Information of a spool file, or -1: up to its end. */
    static long datasetLength(Path file) throws IOException {
        return extent(file).length();
    }

    /**
     * The number of data set bytes after the File Meta Information {@code fmi} of a spool file (its slot stamp), or
     * -1 (a file without one: up to its end).
     */
    public static long datasetLength(Attributes fmi) {
        SlotStamp stamp = fmi == null ? null : SlotStamp.decode(fmi.getBytes(Tag.PrivateInformation));
        return stamp != null && isOurs(fmi) ? stamp.length() : -1;
    }

    /** Where a spool file's data set starts, and its length by the slot stamp (-1: none, up to the end). */
    private record Extent(long start, long length) {
    }

    private static Extent extent(Path file) throws IOException {
        FileMetaInformation.InFile header = FileMetaInformation.read(file);
        return new Extent(header.datasetOffset(), datasetLength(header.fmi()));
    }

    private static boolean isOurs(Attributes fmi) {
        String creator = fmi.getString(Tag.PrivateInformationCreatorUID);
        return creator != null && creator.strip().equals(FileMetaInformation.IMPLEMENTATION_CLASS_UID);
    }

    /** Writes a slot's state byte (one byte: it cannot tear); flushed when {@code durable}. */
    private static void writeState(Path f, long datasetStart, byte state, boolean durable) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {state}), datasetStart - SlotStamp.SIZE + SlotStamp.STATE_OFFSET);
            if (durable) {
                ch.force(false);
            }
        }
    }

    /**
     * Start-up recovery, before the DICOM port accepts. Slots: a RECEIVED one whose CRC matches is routed again (its
     * routing message, its links or their queue messages may be lost); a ROUTED one waits for its links, or is free
     * when none is left; one that is not whole was never answered Success and is free (or deleted when its File Meta
     * Information is broken). Files of an older version in {@code objects/}: deleted when partial (no or a wrong
     * length stamp), else routed again. Returns what is to be routed.
     */
    public List<SpooledObject> recover() throws IOException {
        int partials = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(tmp)) {
            for (Path p : s) {
                Files.deleteIfExists(p);
                partials++;
            }
        }
        List<SpooledObject> requeue = new ArrayList<>();
        int waiting = 0;
        List<Path> files = new ArrayList<>(); // all listed first: recovery moves slots between these directories
        for (String dir : List.of("objects", "routed", "free")) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(root.resolve(dir))) {
                s.forEach(files::add);
            }
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(unrouted)) {
            s.forEach(slots::noteId); // a new slot's name is above these too: an id is never given twice
        }
        for (Path f : files) {
            if (SpoolSlots.isSlotFile(f)) {
                switch (recoverSlot(f, requeue)) {
                    case PARTIAL -> partials++;
                    case WAITING -> waiting++;
                    default -> { }
                }
            } else if (f.getParent().equals(objects)) {
                partials += recoverOlderFile(f, requeue);
            }
        }
        if (partials > 0 || !requeue.isEmpty() || waiting > 0) {
            LOG.info("spool recovery: {} partial object(s) dropped, {} object(s) to route again, {} waiting for "
                    + "delivery", partials, requeue.size(), waiting);
        }
        return requeue;
    }

    private enum Found { ROUTE, WAITING, FREE, PARTIAL }

    private Found recoverSlot(Path f, List<SpooledObject> requeue) throws IOException {
        String name = f.getFileName().toString().replace(".dcm", "");
        Attributes fmi;
        long datasetStart;
        try {
            FileMetaInformation.InFile header = FileMetaInformation.read(f);
            fmi = header.fmi();
            datasetStart = header.datasetOffset();
        } catch (DicomStreamException e) {
            fmi = null;
            datasetStart = 0;
        }
        SlotStamp stamp = fmi == null ? null : SlotStamp.decode(fmi.getBytes(Tag.PrivateInformation));
        long groupLength = fmi == null ? -1 : fmi.getInt(Tag.FileMetaInformationGroupLength, -1);
        if (stamp == null || datasetStart != FMI_GROUP_START + groupLength) {
            Files.delete(f); // cut short inside its File Meta Information: never answered, and no slot to reuse
            return Found.PARTIAL;
        }
        SpoolSlots.Slot slot = new SpoolSlots.Slot(name, stamp.generation(), Files.size(f));
        slot.datasetStart = datasetStart;
        long links = SpoolSlots.links(f);
        if (stamp.state() == SlotStamp.RECEIVED && stamp.length() > 0 && crcMatches(f, datasetStart, stamp)) {
            slots.adoptInUse(slot);
            requeue.add(reread(slot.id(), moveInto(objects, f)));
            return Found.ROUTE;
        }
        if (stamp.state() == SlotStamp.ROUTED && links > 1) {
            moveInto(root.resolve("routed"), f);
            slot.routed = true;
            slots.adoptInUse(slot);
            return Found.WAITING;
        }
        if (links > 1) { // links to a slot that holds no object: never made by this spool
            LOG.error("spool: {} has {} destination link(s) but holds no whole object; left in place for the admin",
                    f, links - 1);
            slots.adoptInUse(slot);
            return Found.WAITING;
        }
        // holds nothing to keep: delivered everywhere, freed, still arriving or, RECEIVED with a CRC that does not
        // match, cut short by a crash while it was written (never answered Success)
        slots.adoptFree(slot, f);
        return stamp.state() == SlotStamp.RECEIVED ? Found.PARTIAL : Found.FREE;
    }

    /** The slot file in {@code dir}, moved there unless it is there already. */
    private static Path moveInto(Path dir, Path f) throws IOException {
        Path home = dir.resolve(f.getFileName());
        return f.equals(home) ? f : Files.move(f, home);
    }

    /** Whether a slot's CRC-32C matches its File Meta Information (but the stamp) and data set. */
    private static boolean crcMatches(Path f, long datasetStart, SlotStamp stamp) throws IOException {
        if (Files.size(f) < datasetStart + stamp.length()) {
            return false;
        }
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            update(crc, ch, buf, 0, datasetStart - SlotStamp.SIZE);
            update(crc, ch, buf, datasetStart, stamp.length());
        }
        return (int) crc.getValue() == stamp.crc();
    }

    private static void update(CRC32C crc, FileChannel ch, ByteBuffer buf, long from, long length) throws IOException {
        for (long pos = from, end = from + length; pos < end; ) {
            buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new EOFException(ch + " ends at " + pos);
            }
            crc.update(buf.flip());
            pos += n;
        }
    }

    /** A file of an older version in {@code objects/}: routed again when whole, else deleted. Returns partials. */
    private int recoverOlderFile(Path f, List<SpooledObject> requeue) throws IOException {
        String name = f.getFileName().toString();
        if (name.endsWith(".queued")) { // marker of an older version
            Files.deleteIfExists(f);
            return 0;
        }
        if (!name.endsWith(".dcm")) {
            return 0;
        }
        String id = name.substring(0, name.length() - ".dcm".length());
        try {
            if (!isPartial(f)) {
                requeue.add(reread(id, f));
                return 0;
            }
            Files.deleteIfExists(f);
            return 1;
        } catch (NoSuchFileException e) {
            return 0; // gone meanwhile
        } catch (IOException e) {
            LOG.error("spool: {} cannot be read back ({}); left in place for the admin", f, e.getMessage());
            return 0;
        }
    }

    /**
     * A file of an older version is partial when it was cut short before its File Meta Information was whole (no
     * "DICM", a truncated element, or shorter than its group length) or when its length stamp says so.
     */
    private static boolean isPartial(Path f) throws IOException {
        try {
            FileMetaInformation.InFile header = FileMetaInformation.read(f);
            return header.fmi() == null || !isComplete(f, header.fmi(), header.datasetOffset());
        } catch (DicomStreamException e) {
            return true;
        }
    }

    /** The object parsed again. */
    private SpooledObject reread(String id, Path f) throws IOException {
        try (DicomInputStream in = new DicomInputStream(open(f))) {
            Attributes fmi = in.readFileMetaInformation();
            if (fmi == null) {
                throw new IOException("no File Meta Information");
            }
            String cuid = fmi.getString(Tag.MediaStorageSOPClassUID).strip();
            String iuid = fmi.getString(Tag.MediaStorageSOPInstanceUID).strip();
            String ts = fmi.getString(Tag.TransferSyntaxUID).strip();
            Attributes ds = in.bulkData(DISCARD, 1024).readDataset(TransferSyntax.of(ts));
            return new SpooledObject(id, f, cuid, iuid, ts, DatasetHeaders.of(ds,
                    fmi.getString(Tag.SourceApplicationEntityTitle), fmi.getString(Tag.ReceivingApplicationEntityTitle),
                    cuid, iuid, ts));
        }
    }

    /** Stops the background work (what is left is done at the next start). */
    @Override
    public void close() {
        reaper.close();
    }

    /**
     * The spool's deferred file-system work, in batches, one fsync per directory touched since the last batch
     * before any of it: routed objects leave {@code objects/} (a lost move means the object is routed again), and
     * slots whose last link was removed are recycled (never before that removal is durable).
     */
    private final class Reaper implements AutoCloseable {
        /** How long a batch gathers after its first task: one directory sync and barrier for many objects. */
        private static final long GATHER_MS = 20;
        /** How long a routed object waits for its destination messages' journal confirmations in one batch. */
        private static final long READY_TIMEOUT_SECONDS = 30;

        private record Task(String routedId, Collection<Path> dirs, CompletableFuture<?> ready,
                SpoolSlots.Slot freed) {
        }

        private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
        private final Set<Path> removals = ConcurrentHashMap.newKeySet();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile Barrier barrier = () -> { };

        Reaper() {
            thread = new Thread(this::run, "orderly-spool-reaper");
            thread.setDaemon(true);
            thread.start();
        }

        void routed(String id, Collection<Path> dirs, CompletableFuture<?> ready) {
            queue.add(new Task(id, dirs, ready, null));
        }

        void linkRemoving(Path dir) {
            removals.add(dir);
        }

        void free(SpoolSlots.Slot s) {
            queue.add(new Task(null, List.of(), null, s));
        }

        private void run() {
            List<Task> batch = new ArrayList<>();
            while (running || !queue.isEmpty()) {
                try {
                    Task first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    if (running) {
                        Thread.sleep(GATHER_MS);
                    }
                    batch.add(first);
                    queue.drainTo(batch, 10_000);
                    List<Task> ready = readyOnes(batch);
                    Set<Path> dirs = new HashSet<>();
                    ready.forEach(t -> dirs.addAll(t.dirs()));
                    for (Path d : List.copyOf(removals)) { // taken after the batch: covers its removals
                        removals.remove(d);
                        dirs.add(d);
                    }
                    dirs.forEach(SpoolStore::fsyncDirectory);
                    for (Task t : ready) {
                        try {
                            if (t.freed() != null) {
                                slots.recycle(t.freed(), slots.file(t.freed()));
                            } else {
                                routedNow(t.routedId());
                            }
                        } catch (IOException | RuntimeException e) {
                            LOG.warn("spool: {} of {} failed ({}); done again at the next start",
                                    t.freed() != null ? "freeing the slot" : "moving the routed object",
                                    t.freed() != null ? t.freed().id() : t.routedId(), e.toString());
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                }
                batch.clear();
            }
        }

        /**
         * The tasks of the batch that may go ahead: slots to free, and routed objects whose destination messages are
         * in the journal, once the barrier passed (run for every batch: it also makes the delivery ledger's rows of
         * the objects just delivered durable). A routed object still waiting goes back in the queue; one whose
         * message may be lost, or whose barrier failed, stays in {@code objects/} (routed again at the next start).
         */
        private List<Task> readyOnes(List<Task> batch) throws InterruptedException {
            List<Task> out = new ArrayList<>(batch.size());
            for (Task t : batch) {
                if (t.ready() != null) {
                    try {
                        t.ready().get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        LOG.warn("spool: {} still waits for its destination message(s) to be journaled", t.routedId());
                        queue.add(t);
                        continue;
                    } catch (java.util.concurrent.ExecutionException e) {
                        LOG.error("spool: {} not queued durably for its destination(s) ({}); routed again at the next"
                                + " start", t.routedId(), e.getCause().toString());
                        continue;
                    }
                }
                out.add(t);
            }
            try {
                barrier.await();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                long held = out.stream().filter(t -> t.ready() != null).count();
                if (held > 0) {
                    LOG.error("spool: {} routed object(s) stay in objects/ ({}); routed again at the next start", held,
                            e.toString());
                }
                out.removeIf(t -> t.ready() != null);
            }
            return out;
        }

        /** The links of a routed object are durable: it leaves {@code objects/}. */
        private void routedNow(String id) throws IOException {
            SpoolSlots.Slot s = slots.ofId(id);
            if (s == null) { // a file of an older version: its links keep the data
                Files.deleteIfExists(objects.resolve(id + ".dcm"));
                return;
            }
            if (s.routed) {
                return; // routed twice (a routing message redelivered after it completed)
            }
            Path f = slots.file(s);
            if (!slots.reuses()) { // its links keep the data
                slots.forget(s);
                Files.deleteIfExists(f);
                return;
            }
            writeState(f, s.datasetStart, SlotStamp.ROUTED, false);
            synchronized (s) {
                slots.movedToRouted(s);
            }
            maybeFree(s); // every destination may have confirmed already
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not supported on every platform (Windows); the rename is still atomic
        }
    }

    public Path root() {
        return root;
    }

    /** Copies every byte read from the network to the spool file, and into its CRC. */
    private static final class Tee extends FilterInputStream {
        private final OutputStream copy;
        private final CRC32C crc;

        Tee(InputStream in, OutputStream copy, CRC32C crc) {
            super(in);
            this.copy = copy;
            this.crc = crc;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                copy.write(b);
                crc.update(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                copy.write(b, off, n);
                crc.update(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            long done = 0;
            while (done < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }
    }
}
