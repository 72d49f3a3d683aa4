package org.orderly.broker.storage;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one routing exchange (a message of {@code orderly.storage.received}) did: how many destinations it queued the
 * object for and which temporary coerced copies it wrote. An exchange property, shared by multicast copies.
 */
public final class RoutingState {
    public static final String PROPERTY = "OrderlyStorageRouting";

    final AtomicInteger destinations = new AtomicInteger();
    final List<Path> temporaryFiles = new CopyOnWriteArrayList<>();
    /** Directories the object was linked into: synced before the object's own spool entry goes. */
    final java.util.Set<Path> linkDirectories = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public void addTemporary(Path p) {
        temporaryFiles.add(p);
    }
}
