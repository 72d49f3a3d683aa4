package org.orderly.dicom.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.orderly.dicom.data.Attributes;

/**
 * Writes Part 10 files (PS3.10 §7.1): preamble, "DICM", File Meta Information, data set.
 *
 * <p>{@link #writeRaw} is the C-STORE spool's fast path: the data set bytes received over the network
 * (already encoded in the negotiated transfer syntax, deflated if it is a deflated one) are copied after
 * the File Meta Information in bounded chunks without being parsed.
 */
public final class Part10Writer {

    /** Write buffer for the preamble and File Meta Information of {@link #writeRaw}: a few hundred bytes. */
    private static final int FMI_BUFFER = 1024;

    private Part10Writer() {
    }

    /** Writes a parsed data set in the transfer syntax named by {@code fmi}. Does not close {@code out}. */
    public static void write(OutputStream out, Attributes fmi, Attributes dataset) throws IOException {
        DicomOutputStream dos = new DicomOutputStream(out);
        dos.writeDicomFile(fmi, dataset);
        dos.flush();
    }

    /**
     * Writes {@code fmi} then copies {@code rawDataset} unchanged; returns the number of data set bytes
     * copied. Does not close either stream.
     */
    public static long writeRaw(OutputStream out, Attributes fmi, InputStream rawDataset) throws IOException {
        // the buffer only holds the File Meta Information: the data set bypasses it (DicomOutputStream.writeRaw)
        DicomOutputStream dos = new DicomOutputStream(out, FMI_BUFFER);
        dos.writeFileMetaInformation(fmi);
        long n = dos.writeRaw(rawDataset);
        dos.flush();
        return n;
    }

    /** {@link #writeRaw} into a new file. */
    public static long writeRaw(Path file, Attributes fmi, InputStream rawDataset) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            return writeRaw(out, fmi, rawDataset);
        }
    }
}
