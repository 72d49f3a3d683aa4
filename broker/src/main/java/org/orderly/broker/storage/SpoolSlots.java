package org.orderly.broker.storage;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The spool's slot files and where each one is: {@code objects/} (received, waiting for routing), {@code routed/}
 * (its destination links hold it; waiting for deliveries) and {@code free/} (every destination confirmed; its disk
 * space is kept for the next object, up to {@code orderly.storage.reuse-mb}). Reusing a slot is what makes the flush
 * before Success cheap: overwriting space the file already has commits no file-system metadata (a new file per object
 * commits its inode, extents and directory entry with every flush, docs/benchmarks.md #7 session 6).
 *
 * <p>The directory is a hint; the slot's {@link SlotStamp} is the truth, and the start-up scan reads it. Moves
 * between the directories are never flushed.
 */
final class SpoolSlots {
    private static final Pattern SLOT_FILE = Pattern.compile("s(\\d+)\\.dcm");
    private static final Pattern SLOT_LINK = Pattern.compile("(s\\d+)-(\\d+)\\.dcm");

    /** One slot file. Fields other than the name change only while one thread owns the slot (see the callers). */
    static final class Slot {
        final String name;
        long generation;
        long datasetStart;
        long capacity;
        boolean routed;
        boolean freeing;
        boolean created;

        Slot(String name, long generation, long capacity) {
            this.name = name;
            this.generation = generation;
            this.capacity = capacity;
        }

        /** The id of the object the slot holds: its links and ledger rows carry it. */
        String id() {
            return name + "-" + generation;
        }
    }

    private final Path objects;
    private final Path routed;
    private final Path free;
    private final long maxPooledBytes;
    private final Map<String, Slot> inUse = new ConcurrentHashMap<>();
    private final Deque<Slot> pool = new ArrayDeque<>(); // guarded by this
    private long pooledBytes; // guarded by this
    private long lastNumber; // guarded by this

    SpoolSlots(Path objects, Path routed, Path free, long maxPooledBytes) {
        this.objects = objects;
        this.routed = routed;
        this.free = free;
        this.maxPooledBytes = maxPooledBytes;
    }

    static boolean isSlotFile(Path f) {
        return SLOT_FILE.matcher(f.getFileName().toString()).matches();
    }

    boolean reuses() {
        return maxPooledBytes > 0;
    }

    /** A slot for a new object, in {@code objects/}: a free one (generation + 1) or a new file (not yet created). */
    Slot acquire() throws IOException {
        Slot s;
        while (true) {
            synchronized (this) {
                s = pool.pollLast(); // the most recently freed: its pages are the likeliest still cached
                if (s != null) {
                    pooledBytes -= s.capacity;
                    s.created = false;
                } else {
                    s = new Slot("s" + ++lastNumber, 0, 0);
                    s.created = true;
                }
            }
            if (s.created) {
                break;
            }
            try {
                Files.move(free.resolve(s.name + ".dcm"), objects.resolve(s.name + ".dcm"));
                break;
            } catch (NoSuchFileException e) { // removed by hand: a new file under the same name
                s.created = true;
                s.capacity = 0;
                break;
            } catch (FileAlreadyExistsException e) { // never overwritten: that name is left alone, another slot taken
                continue;
            }
        }
        s.generation++;
        s.routed = false;
        s.freeing = false;
        inUse.put(s.name, s);
        return s;
    }

    /** The slot of a destination link {@code <slot>-<generation>.dcm} while it holds that object, else null. */
    Slot ofLink(Path link) {
        Matcher m = SLOT_LINK.matcher(link.getFileName().toString());
        if (!m.matches()) {
            return null;
        }
        Slot s = inUse.get(m.group(1));
        return s != null && s.generation == Long.parseLong(m.group(2)) ? s : null;
    }

    /** The slot of an object id while it holds that object, else null (a file of an older version). */
    Slot ofId(String id) {
        return id == null ? null : ofLink(Path.of(id + ".dcm"));
    }

    Path file(Slot s) {
        return (s.routed ? routed : objects).resolve(s.name + ".dcm");
    }

    /** Routing finished: the slot moves to {@code routed/}. */
    void movedToRouted(Slot s) throws IOException {
        Files.move(objects.resolve(s.name + ".dcm"), routed.resolve(s.name + ".dcm"),
                StandardCopyOption.REPLACE_EXISTING);
        s.routed = true;
    }

    /** The number of names the slot's data has: its own entry plus one per destination link. */
    static long links(Path file) throws IOException {
        return ((Number) Files.getAttribute(file, "unix:nlink")).longValue();
    }

    /**
     * The slot no longer holds an object and nothing links to it any more (durably): it goes to {@code free/}. The
     * pool keeps the most recently freed {@code reuse-mb}: older slots are deleted to make room, so that a full pool
     * (say after a backlog of 0.5 MB slices drained) still comes to hold slots of the size the traffic now has (50 MB
     * mammograms) instead of deleting each of them. A slot larger than the whole pool is deleted.
     */
    void recycle(Slot s, Path current) throws IOException {
        inUse.remove(s.name, s);
        if (s.capacity <= 0 || s.capacity > maxPooledBytes) {
            Files.deleteIfExists(current);
            return;
        }
        List<Slot> evicted = new ArrayList<>();
        synchronized (this) {
            while (pooledBytes + s.capacity > maxPooledBytes && !pool.isEmpty()) {
                Slot old = pool.pollFirst();
                pooledBytes -= old.capacity;
                evicted.add(old);
            }
        }
        for (Slot old : evicted) {
            Files.deleteIfExists(free.resolve(old.name + ".dcm"));
        }
        // concurrent recycles may pass the limit by a slot each until the next one makes room: a soft limit
        Files.move(current, free.resolve(s.name + ".dcm"), StandardCopyOption.REPLACE_EXISTING);
        synchronized (this) {
            pool.addLast(s);
            pooledBytes += s.capacity;
        }
    }

    /** The slot's object failed before Success: the slot goes back to the pool, or its file is deleted. */
    void abandon(Slot s, boolean deleteFile) throws IOException {
        Path f = objects.resolve(s.name + ".dcm");
        if (deleteFile || s.created) {
            inUse.remove(s.name, s);
            Files.deleteIfExists(f);
        } else {
            recycle(s, f);
        }
    }

    /** The slot left the spool (its object is kept elsewhere, or it was deleted). */
    void forget(Slot s) {
        inUse.remove(s.name, s);
    }

    synchronized long pooledBytes() {
        return pooledBytes;
    }

    /** Start-up: a slot found by the scan, holding an object (in {@code objects/} or {@code routed/}). */
    void adoptInUse(Slot s) {
        noteName(s.name);
        inUse.put(s.name, s);
    }

    /** Start-up: a slot found by the scan that holds nothing to keep. */
    void adoptFree(Slot s, Path current) throws IOException {
        noteName(s.name);
        recycle(s, current);
    }

    /** Start-up: a file named by an object id (kept in {@code unrouted/}). */
    void noteId(Path file) {
        Matcher m = SLOT_LINK.matcher(file.getFileName().toString());
        if (m.matches()) {
            noteName(m.group(1));
        }
    }

    private synchronized void noteName(String name) {
        lastNumber = Math.max(lastNumber, Long.parseLong(name.substring(1)));
    }
}
