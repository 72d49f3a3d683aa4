package org.orderly.dicom.net.acse;

import java.io.IOException;

/** The association ended by A-ABORT, A-P-ABORT or a lost transport before the operation could complete. */
public final class AssociationAbortedException extends IOException {

    private static final long serialVersionUID = 1L;

    public AssociationAbortedException(String message) {
        super(message);
    }
}
