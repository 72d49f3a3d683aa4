package org.orderly.dicom.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A value whose bytes live outside the heap: {@code length} bytes at {@code offset} of {@code file}, in
 * the byte order of the data set that holds it ({@code bigEndian}). Used for pixel data and other large
 * values so that image-sized data is streamed, never loaded (see {@code DicomInputStream}).
 */
public record BulkData(Path file, long offset, long length, boolean bigEndian) {

    public BulkData {
        Objects.requireNonNull(file, "file");
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset/length: " + offset + "/" + length);
        }
    }

    /** Opens a stream over exactly the referenced bytes. */
    public InputStream openStream() throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        ch.position(offset);
        return new LimitedInputStream(Channels.newInputStream(ch), length);
    }
}
