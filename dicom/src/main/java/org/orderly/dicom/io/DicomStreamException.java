package org.orderly.dicom.io;

import java.io.IOException;
import org.orderly.dicom.data.Tags;

/**
 * Malformed or truncated DICOM encoding: the reader's only failure for bad input (besides I/O errors of
 * the underlying stream). The message names the tag and the byte offset where the problem was found.
 */
public class DicomStreamException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int tag;
    private final long offset;

    public DicomStreamException(String message, int tag, long offset) {
        this(message, tag, offset, null);
    }

    public DicomStreamException(String message, int tag, long offset, Throwable cause) {
        super(message + " at " + Tags.toString(tag) + ", offset " + offset, cause);
        this.tag = tag;
        this.offset = offset;
    }

    /** The tag being read, or -1 if none yet. */
    public int tag() {
        return tag;
    }

    /** Byte offset in the (inflated) stream where the problem was detected. */
    public long offset() {
        return offset;
    }
}
