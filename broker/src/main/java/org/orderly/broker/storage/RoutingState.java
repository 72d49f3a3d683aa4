package org.orderly.broker.storage;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one routing exchange (a message of {@code orderly.storage.received}) did: how many destinations it queued the
 * object for, which temporary coerced copies it wrote, and whether its destination messages are in the journal yet.
 * An exchange property, shared by multicast copies.
 */
public final class RoutingState {
    public static final String PROPERTY = "OrderlyStorageRouting";

    final AtomicInteger destinations = new AtomicInteger();
    final List<Path> temporaryFiles = new CopyOnWriteArrayList<>();
    /** Directories the object was linked into: synced before the object's own spool entry goes. */
    final Set<Path> linkDirectories = ConcurrentHashMap.newKeySet();
    /** Destination messages sent and not yet confirmed, plus one until the routing exchange completed. */
    private final AtomicInteger unconfirmed = new AtomicInteger(1);
    private final CompletableFuture<Void> journaled = new CompletableFuture<>();

    public void addTemporary(Path p) {
        temporaryFiles.add(p);
    }

    void sending() {
        unconfirmed.incrementAndGet();
    }

    /** A destination message is in the journal (or, with {@code failure}, it may not be). */
    void sent(Exception failure) {
        if (failure != null) {
            journaled.completeExceptionally(failure);
        } else if (unconfirmed.decrementAndGet() == 0) {
            journaled.complete(null);
        }
    }

    /**
     * Completes when every destination message of the object is in the journal; call once, when the routing
     * exchange completed (no more sends).
     */
    CompletableFuture<Void> journaled() {
        sent(null);
        return journaled;
    }
}
