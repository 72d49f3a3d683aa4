package org.orderly.mwl.query;

/** A database failure while streaming worklist answers (an Iterator cannot throw SQLException). */
public final class WorklistStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WorklistStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
