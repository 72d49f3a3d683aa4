package org.orderly.broker.storage;

import java.io.BufferedOutputStream;
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
import java.util.List;
import java.util.UUID;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.BulkData;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.io.BulkDataSink;
import org.orderly.dicom.io.DicomInputStream;
import org.orderly.dicom.io.DicomOutputStream;
import org.orderly.dicom.io.DicomStreamException;
import org.orderly.dicom.io.FileMetaInformation;
import org.orderly.dicom.io.TransferSyntax;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable spool under {@code <data-dir>/spool/}. Layout:
 * <pre>
 * objects/&lt;id&gt;.dcm         received (complete once its length stamp is set, see below); waits for routing
 * dest/&lt;key&gt;/&lt;id&gt;.dcm      a hard link per destination still to be sent (removed on that destination's Success)
 * unrouted/&lt;id&gt;.dcm        no destination matched; kept for the admin
 * tmp/                     coerced copies being written, and {@code .part} files of older versions
 * </pre>
 * The file system counts the references: the data of an object is freed when its last link is gone, i.e. after
 * routing finished and every destination confirmed Success.
 *
 * <p>Durability, with ONE flush of the file on the path to the C-STORE response: the object is streamed directly to
 * its final name {@code objects/<id>.dcm}. Its File Meta Information carries (0002,0100) Private Information Creator
 * UID = Orderly's Implementation Class UID and (0002,0102) Private Information = 8 bytes, the data set length (little
 * endian), written as 0 first and stamped after the last byte arrived; then {@code FileChannel.force(true)}, then the
 * directory entry is made durable by a {@link DirectorySync} shared by all associations (group commit: one directory
 * fsync covers every file created before it started). A file whose stamp is 0 or does not match its size, or that
 * ends inside its File Meta Information, was never answered Success: the start-up scan deletes it. (PS3.10 §7.1:
 * the Private Information elements are for the creator's own use.)
 *
 * <p>Routing never flushes per object: destination links are made without fsync, and the object's own entry in
 * {@code objects/} is removed only after the directories of its links were synced ({@link #routed}, batched by a
 * background thread). Whatever a crash leaves in {@code objects/} is routed again at start-up, so a lost link or a
 * lost queue message costs a duplicate delivery, never an object.
 */
public final class SpoolStore {
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
    private final Reaper reaper;
    private final FileStore disk;

    public SpoolStore(Path root, long minFreeMb) throws IOException {
        this.root = root;
        this.tmp = Files.createDirectories(root.resolve("tmp"));
        this.objects = Files.createDirectories(root.resolve("objects"));
        this.dest = Files.createDirectories(root.resolve("dest"));
        this.unrouted = Files.createDirectories(root.resolve("unrouted"));
        this.minFreeBytes = minFreeMb * 1024 * 1024;
        fsyncDirectory(root); // the spool's own directories exist durably before anything is answered Success
        this.objectsSync = new DirectorySync(objects);
        this.disk = Files.getFileStore(root); // looked up once: the lookup reads /proc/self/mounts
        this.reaper = new Reaper();
    }

    /** Bytes of the (0002,0102) value: the data set length, stamped when the last byte arrived. */
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
     * a new spool file while parsing its structure (which rejects a corrupt data set and yields the routing
     * attributes; bulk values are not kept), and makes the file durable.
     *
     * @throws DicomStreamException the data set cannot be parsed (nothing is kept)
     * @throws OutOfSpaceException  below the minimum free space, or the disk filled up (nothing is kept)
     */
    public SpooledObject receive(String cuid, String iuid, TransferSyntax ts, String callingAe, String calledAe,
            InputStream dataset) throws IOException {
        long usable = disk.getUsableSpace();
        if (usable < minFreeBytes) {
            throw new OutOfSpaceException("spool has " + usable / (1024 * 1024) + " MB free, minimum "
                    + minFreeBytes / (1024 * 1024) + " MB");
        }
        String id = UUID.randomUUID().toString();
        Path file = objects.resolve(id + ".dcm");
        Attributes ds;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), BUFFER);
            Attributes fmi = FileMetaInformation.create(cuid, iuid, ts.uid(), callingAe);
            if (calledAe != null) {
                fmi.setString(Tag.ReceivingApplicationEntityTitle, VR.AE, calledAe);
            }
            fmi.setString(Tag.PrivateInformationCreatorUID, VR.UI, FileMetaInformation.IMPLEMENTATION_CLASS_UID);
            fmi.setBytes(Tag.PrivateInformation, VR.OB, new byte[LENGTH_STAMP]); // 0: incomplete
            DicomOutputStream dos = new DicomOutputStream(out);
            dos.writeFileMetaInformation(fmi);
            dos.flush();
            long datasetStart = ch.position(); // (0002,0102) is the last FMI element: its value ends here
            Tee tee = new Tee(dataset, out);
            ds = new DicomInputStream(tee).bulkData(DISCARD, 1024).readDataset(ts);
            tee.transferTo(OutputStream.nullOutputStream()); // anything the parser left (nothing, normally)
            out.flush();
            long length = ch.position() - datasetStart;
            ch.write(ByteBuffer.allocate(LENGTH_STAMP).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length),
                    datasetStart - LENGTH_STAMP);
            ch.force(false); // the one flush of the data: contents, stamp and size (fdatasync: the size is data)
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            if (!(e instanceof DicomStreamException) && isNoSpace(e)) {
                throw new OutOfSpaceException("spool disk full: " + e.getMessage());
            }
            throw e;
        }
        objectsSync.sync(); // the directory entry (shared with concurrent associations)
        String dsCuid = ds.getString(Tag.SOPClassUID);
        return new SpooledObject(id, file, cuid, iuid, ts.uid(),
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
     * Links a file (the spooled object or a coerced copy of it) for a destination; returns the link. Idempotent. No
     * fsync here: {@link #routed} syncs the link directories (batched) before the object's own entry goes.
     */
    public Path linkForDestination(Path file, String destinationKey) throws IOException {
        Path dir = Files.createDirectories(dest.resolve(destinationKey));
        Path link = dir.resolve(file.getFileName().toString());
        try {
            Files.createLink(link, file);
        } catch (FileAlreadyExistsException e) {
            return link;
        }
        return link;
    }

    /**
     * Routing finished: the object now lives in its destination links. Its own entry is removed by a background
     * thread after the link directories were synced, many objects per sync; until then a crash routes it again.
     */
    public void routed(String id, java.util.Collection<Path> linkDirectories) {
        reaper.add(id, linkDirectories);
    }

    /** Deletes the object's own entry at once (an object refused after it was spooled). */
    public void discard(String id) throws IOException {
        Files.deleteIfExists(objects.resolve(id + ".dcm"));
    }

    /** No destination matched: kept under unrouted/ for the admin (never deleted by Orderly). */
    public void unrouted(String id) throws IOException {
        Path f = objects.resolve(id + ".dcm");
        if (Files.exists(f)) {
            Files.move(f, unrouted.resolve(id + ".dcm"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A destination confirmed Success: its link goes. */
    public void delivered(Path link) throws IOException {
        if (!link.startsWith(dest)) {
            throw new IOException(link + " is not a destination link of this spool");
        }
        Files.deleteIfExists(link);
    }

    /** A new file for a coerced copy, under tmp/ (deleted when routing finishes; its links keep the data). */
    public Path newTempFile(String suffix) {
        return tmp.resolve(UUID.randomUUID() + suffix);
    }

    public Path objectFile(String id) {
        return objects.resolve(id + ".dcm");
    }

    /**
     * Start-up recovery, before the DICOM port accepts: deletes partial files (never answered Success: no or a wrong
     * length stamp, or a {@code .part} of an older version) and returns every other object in {@code objects/},
     * parsed again, to be routed (again): its routing message, its links or their queue messages may be lost.
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
        try (DirectoryStream<Path> s = Files.newDirectoryStream(objects)) {
            for (Path f : s) {
                String name = f.getFileName().toString();
                if (name.endsWith(".queued")) { // marker of an older version
                    Files.deleteIfExists(f);
                    continue;
                }
                if (!name.endsWith(".dcm")) {
                    continue;
                }
                String id = name.substring(0, name.length() - ".dcm".length());
                try {
                    SpooledObject o = reread(id, f);
                    if (o == null) {
                        Files.deleteIfExists(f);
                        partials++;
                    } else {
                        requeue.add(o);
                    }
                } catch (NoSuchFileException e) {
                    // gone meanwhile
                } catch (IOException e) {
                    if (isPartial(f)) {
                        Files.deleteIfExists(f);
                        partials++;
                    } else {
                        LOG.error("spool: {} cannot be read back ({}); left in place for the admin", f,
                                e.getMessage());
                    }
                }
            }
        }
        if (partials > 0 || !requeue.isEmpty()) {
            LOG.info("spool recovery: {} partial file(s) removed, {} object(s) to route again", partials,
                    requeue.size());
        }
        return requeue;
    }

    /**
     * A file that does not parse is partial when it was cut short before its File Meta Information was whole (no
     * "DICM", a truncated element, or shorter than its group length) or when its length stamp says so (a stamped
     * file parses). Any other read failure leaves it for the admin.
     */
    private static boolean isPartial(Path f) {
        try (DicomInputStream in = new DicomInputStream(Files.newInputStream(f))) {
            Attributes fmi = in.readFileMetaInformation();
            return fmi == null || !isComplete(f, fmi, in.position());
        } catch (DicomStreamException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The object parsed again, or null when its length stamp says it is incomplete. */
    private SpooledObject reread(String id, Path f) throws IOException {
        try (DicomInputStream in = new DicomInputStream(Files.newInputStream(f))) {
            Attributes fmi = in.readFileMetaInformation();
            if (fmi == null) {
                throw new IOException("no File Meta Information");
            }
            if (!isComplete(f, fmi, in.position())) {
                return null;
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

    /** Stops the background deletion of routed objects (what is left is routed again at the next start). */
    public void close() {
        reaper.close();
    }

    /**
     * Deletes the own entries of routed objects, in batches: first one fsync per link directory touched since the
     * last batch, then the deletes (which need no fsync: a lost delete means the object is routed again).
     */
    private final class Reaper implements AutoCloseable {
        private record Routed(String id, java.util.Collection<Path> dirs) {
        }

        private final java.util.concurrent.BlockingQueue<Routed> queue = new java.util.concurrent.LinkedBlockingQueue<>();
        private final Thread thread;
        private volatile boolean running = true;

        Reaper() {
            thread = new Thread(this::run, "orderly-spool-reaper");
            thread.setDaemon(true);
            thread.start();
        }

        void add(String id, java.util.Collection<Path> dirs) {
            queue.add(new Routed(id, dirs));
        }

        private void run() {
            List<Routed> batch = new ArrayList<>();
            while (running || !queue.isEmpty()) {
                try {
                    Routed first = queue.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, 10_000);
                    java.util.Set<Path> dirs = new java.util.HashSet<>();
                    batch.forEach(r -> dirs.addAll(r.dirs()));
                    dirs.forEach(SpoolStore::fsyncDirectory);
                    for (Routed r : batch) {
                        Files.deleteIfExists(objects.resolve(r.id() + ".dcm"));
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    LOG.warn("spool: removing routed objects failed ({}); they are routed again at the next start",
                            e.toString());
                }
                batch.clear();
            }
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

    /** Copies every byte read from the network to the spool file. */
    private static final class Tee extends FilterInputStream {
        private final OutputStream copy;

        Tee(InputStream in, OutputStream copy) {
            super(in);
            this.copy = copy;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                copy.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                copy.write(b, off, n);
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
