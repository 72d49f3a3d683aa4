package org.orderly.dicom.net;

import java.io.IOException;

/** The peer did not accept a presentation context for the abstract (and transfer) syntax of an operation. */
public final class NoPresentationContextException extends IOException {

    private static final long serialVersionUID = 1L;

    public NoPresentationContextException(String message) {
        super(message);
    }
}
