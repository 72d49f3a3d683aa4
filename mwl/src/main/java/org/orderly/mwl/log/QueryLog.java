package org.orderly.mwl.log;

/** Where the worklist SCP reports each query; must not block the query (write asynchronously). */
@FunctionalInterface
public interface QueryLog {

    /** Discards everything. */
    QueryLog NONE = e -> {
    };

    void record(QueryLogEntry entry);
}
