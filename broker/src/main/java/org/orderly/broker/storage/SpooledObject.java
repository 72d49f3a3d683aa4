package org.orderly.broker.storage;

import java.nio.file.Path;
import java.util.Map;

/**
 * A received object, durable in the spool: the file and the identifiers and routing headers the routes see.
 *
 * @param id      spool object id: {@code s<n>-<generation>} (for a file of an older version: its name without
 *                extension)
 * @param file    its slot file under {@code <data-dir>/spool/objects/} (read it with {@link SpoolStore#open}: a reused
 *                slot holds more bytes than its object)
 * @param headers the message headers for the routes ({@code DicomCallingAE}, ..., {@code Dicom<Keyword>})
 */
public record SpooledObject(String id, Path file, String sopClassUid, String sopInstanceUid, String transferSyntaxUid,
        Map<String, Object> headers) {
}
