package org.orderly.dicom.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.orderly.dicom.data.BulkData;
import org.orderly.dicom.data.Tags;
import org.orderly.dicom.data.VR;

/**
 * Appends bulk data values to one file, each copied in 64 KiB chunks, and returns references to them.
 * The file is created (or truncated) on construction; each value is flushed before {@link #store} returns,
 * so the returned {@link BulkData} can be read at once.
 */
public final class FileBulkDataSink implements BulkDataSink, Closeable {

    private static final int CHUNK = 64 * 1024;

    private final Path file;
    private final OutputStream out;
    private final byte[] buffer = new byte[CHUNK];
    private long offset;

    public FileBulkDataSink(Path file) throws IOException {
        this.file = file;
        this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
    }

    public Path file() {
        return file;
    }

    @Override
    public BulkData store(int tag, VR vr, InputStream value, long length, boolean bigEndian) throws IOException {
        long start = offset;
        long copied = 0;
        for (int n; (n = value.read(buffer, 0, (int) Math.min(CHUNK, length - copied))) > 0; ) {
            out.write(buffer, 0, n);
            copied += n;
            offset += n;
            if (copied == length) {
                break;
            }
        }
        if (copied != length) {
            throw new IOException("bulk data of " + Tags.toString(tag) + " ended after " + copied + " of "
                    + length + " bytes");
        }
        out.flush();
        return new BulkData(file, start, length, bigEndian);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
