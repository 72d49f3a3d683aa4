package org.orderly.dicom.net.acse;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a data set into the stream returned by the association; the stream fragments it into PDVs and P-DATA-TF
 * PDUs sized to the peer's maximum (PS3.8 Annex D.1) and never holds more than one PDU.
 */
@FunctionalInterface
public interface DatasetWriter {

    /** Writes the encoded data set. Do not close {@code out}; the association finishes the last fragment. */
    void writeTo(OutputStream out) throws IOException;
}
