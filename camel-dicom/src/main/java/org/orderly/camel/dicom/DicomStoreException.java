package org.orderly.camel.dicom;

import java.io.IOException;

/**
 * The destination answered a C-STORE with a failure status (PS3.4 Annex B.2.3, PS3.7 Annex C.4.2): the object was not
 * stored there. Warnings (B000H, B006H, B007H) are not failures: the object was stored.
 */
public class DicomStoreException extends IOException {

    private static final long serialVersionUID = 1L;
    private final int status;

    public DicomStoreException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The Status (0000,0900) of the C-STORE-RSP. */
    public int status() {
        return status;
    }
}
