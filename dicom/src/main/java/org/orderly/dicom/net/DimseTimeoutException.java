package org.orderly.dicom.net;

import java.io.IOException;

/** No response from the peer within the DIMSE response timeout; the association has been aborted. */
public final class DimseTimeoutException extends IOException {

    private static final long serialVersionUID = 1L;

    public DimseTimeoutException(String message) {
        super(message);
    }
}
