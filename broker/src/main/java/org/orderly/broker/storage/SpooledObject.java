package org.orderly.broker.storage;

import java.nio.file.Path;
import java.util.Map;

/**
 * A received object, durable in the spool: the file and the identifiers and routing headers the routes see.
 *
 * @param id      spool object id (file name without extension)
 * @param file    the Part 10 file under {@code <data-dir>/spool/objects/}
 * @param headers the message headers for the routes ({@code DicomCallingAE}, ..., {@code Dicom<Keyword>})
 */
public record SpooledObject(String id, Path file, String sopClassUid, String sopInstanceUid, String transferSyntaxUid,
        Map<String, Object> headers) {
}
