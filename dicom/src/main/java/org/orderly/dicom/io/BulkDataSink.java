package org.orderly.dicom.io;

import java.io.IOException;
import java.io.InputStream;
import org.orderly.dicom.data.BulkData;
import org.orderly.dicom.data.VR;

/**
 * Where {@link DicomInputStream} puts large values instead of the heap. Implementations copy the value in
 * bounded chunks and return a {@link BulkData} reference.
 */
public interface BulkDataSink {

    /**
     * Copies exactly {@code length} bytes of {@code value} (which ends after them) and returns where they
     * are stored.
     *
     * @param bigEndian byte order of the value, recorded in the returned reference
     */
    BulkData store(int tag, VR vr, InputStream value, long length, boolean bigEndian) throws IOException;
}
