package org.orderly.mwl.importer;

/** A worklist item that cannot be imported; the message says why (names the attribute, never its value). */
public final class ImportRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public ImportRefusedException(String reason) {
        super(reason);
    }
}
