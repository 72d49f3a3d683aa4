package org.orderly.broker.storage;

import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
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
 * tmp/&lt;id&gt;.part            being received (deleted at start-up: never answered Success)
 * objects/&lt;id&gt;.dcm         received, durable; answered Success; waits for routing
 * objects/&lt;id&gt;.queued      marker: its routing message is in the JMS journal (no marker: re-queued at start-up)
 * dest/&lt;key&gt;/&lt;id&gt;.dcm      a hard link per destination still to be sent (removed on that destination's Success)
 * unrouted/&lt;id&gt;.dcm        no destination matched; kept for the admin
 * </pre>
 * The file system counts the references: the data of an object is freed when its last link is gone, i.e. after
 * routing finished and every destination confirmed Success.
 *
 * <p>Durability (the C-STORE response says Success only after it): data written, {@code FileChannel.force(true)},
 * atomic rename into {@code objects/}, directory fsync.
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

    public SpoolStore(Path root, long minFreeMb) throws IOException {
        this.root = root;
        this.tmp = Files.createDirectories(root.resolve("tmp"));
        this.objects = Files.createDirectories(root.resolve("objects"));
        this.dest = Files.createDirectories(root.resolve("dest"));
        this.unrouted = Files.createDirectories(root.resolve("unrouted"));
        this.minFreeBytes = minFreeMb * 1024 * 1024;
    }

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
        long usable = Files.getFileStore(root).getUsableSpace();
        if (usable < minFreeBytes) {
            throw new OutOfSpaceException("spool has " + usable / (1024 * 1024) + " MB free, minimum "
                    + minFreeBytes / (1024 * 1024) + " MB");
        }
        String id = UUID.randomUUID().toString();
        Path part = tmp.resolve(id + ".part");
        Attributes ds;
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), BUFFER);
            Attributes fmi = FileMetaInformation.create(cuid, iuid, ts.uid(), callingAe);
            if (calledAe != null) {
                fmi.setString(Tag.ReceivingApplicationEntityTitle, VR.AE, calledAe);
            }
            DicomOutputStream dos = new DicomOutputStream(out);
            dos.writeFileMetaInformation(fmi);
            dos.flush();
            Tee tee = new Tee(dataset, out);
            ds = new DicomInputStream(tee).bulkData(DISCARD, 1024).readDataset(ts);
            tee.transferTo(OutputStream.nullOutputStream()); // anything the parser left (nothing, normally)
            out.flush();
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part);
            if (!(e instanceof DicomStreamException) && isNoSpace(e)) {
                throw new OutOfSpaceException("spool disk full: " + e.getMessage());
            }
            throw e;
        }
        Path file = objects.resolve(id + ".dcm");
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(objects);
        String dsCuid = ds.getString(Tag.SOPClassUID);
        return new SpooledObject(id, file, cuid, iuid, ts.uid(),
                DatasetHeaders.of(ds, callingAe, calledAe, dsCuid != null ? dsCuid.strip() : cuid, iuid, ts.uid()));
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

    /** Notes that the object's routing message is in the JMS journal (a lost marker only means a re-queue). */
    public void markQueued(SpooledObject o) {
        try {
            Files.createFile(objects.resolve(o.id() + ".queued"));
        } catch (FileAlreadyExistsException e) {
            // re-queued
        } catch (IOException e) {
            LOG.debug("spool: cannot mark {} queued: {}", o.id(), e.toString());
        }
    }

    /**
     * Links a file (the spooled object or a coerced copy of it) for a destination; returns the link. Idempotent.
     * The link's directory is synced: the destination's queue message that names it is sent after this.
     */
    public Path linkForDestination(Path file, String destinationKey) throws IOException {
        Path dir = Files.createDirectories(dest.resolve(destinationKey));
        Path link = dir.resolve(file.getFileName().toString());
        try {
            Files.createLink(link, file);
        } catch (FileAlreadyExistsException e) {
            return link;
        }
        fsyncDirectory(dir);
        return link;
    }

    /** Routing finished: the object now lives only in its destination links. */
    public void routed(String id) throws IOException {
        Files.deleteIfExists(objects.resolve(id + ".dcm"));
        Files.deleteIfExists(objects.resolve(id + ".queued"));
    }

    /** No destination matched: kept under unrouted/ for the admin (never deleted by Orderly). */
    public void unrouted(String id) throws IOException {
        Path f = objects.resolve(id + ".dcm");
        if (Files.exists(f)) {
            Files.move(f, unrouted.resolve(id + ".dcm"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.deleteIfExists(objects.resolve(id + ".queued"));
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
     * Start-up recovery, before the DICOM port accepts: deletes partial files (never answered Success) and returns
     * every spooled object whose routing message may be missing (no {@code .queued} marker), parsed again.
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
        try (DirectoryStream<Path> s = Files.newDirectoryStream(objects, "*.dcm")) {
            for (Path f : s) {
                String id = f.getFileName().toString().replace(".dcm", "");
                if (Files.exists(objects.resolve(id + ".queued"))) {
                    continue;
                }
                try {
                    requeue.add(reread(id, f));
                } catch (IOException e) {
                    LOG.error("spool: {} cannot be read back ({}); left in place for the admin", f, e.getMessage());
                }
            }
        }
        if (partials > 0 || !requeue.isEmpty()) {
            LOG.info("spool recovery: {} partial file(s) removed, {} object(s) to route again", partials,
                    requeue.size());
        }
        return requeue;
    }

    private SpooledObject reread(String id, Path f) throws IOException {
        try (DicomInputStream in = new DicomInputStream(Files.newInputStream(f))) {
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
