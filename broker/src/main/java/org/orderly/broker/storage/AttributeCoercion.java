package org.orderly.broker.storage;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.camel.Exchange;
import org.orderly.camel.dicom.DicomConstants;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.ElementDictionary;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.io.DicomInputStream;
import org.orderly.dicom.io.DicomOutputStream;
import org.orderly.dicom.io.FileBulkDataSink;
import org.orderly.dicom.io.TransferSyntax;

/**
 * Bean {@code #dicomCoerce}: writes a coerced COPY of the object (the spooled original is never changed) and makes it
 * the message body, so the next {@code dicom:} step sends the copy. Streaming: pixel data and other bulk values go
 * through a temporary bulk file, never the heap. The values to set come from headers named
 * {@code DicomCoerce.<Keyword>} (e.g. set header {@code DicomCoerce.IssuerOfPatientID} to {@code HOSPITAL_A});
 * an empty value removes the attribute. The routing header {@code Dicom<Keyword>} is updated too.
 *
 * <p>Filling a missing AccessionNumber / StudyInstanceUID from the matching worklist item is bean
 * {@code #worklistCoerce} ({@link WorklistCoercion}): the same copy, plus the worklist's identifiers; an explicit
 * {@code DicomCoerce.<Keyword>} header wins over the worklist.
 */
public final class AttributeCoercion {
    public static final String HEADER_PREFIX = "DicomCoerce.";
    private final SpoolStore spool;

    AttributeCoercion(SpoolStore spool) {
        this.spool = spool;
    }

    public void coerce(Exchange ex) throws IOException {
        coerce(ex, null);
    }

    /** Identifiers to add from the data set as received (e.g. from the worklist); headers win over them. */
    interface Supplement {
        java.util.Map<Integer, String> from(Attributes dataset) throws java.sql.SQLException;
    }

    void coerce(Exchange ex, Supplement supplement) throws IOException {
        java.util.Map<Integer, String> changes = new java.util.TreeMap<>();
        ex.getMessage().getHeaders().forEach((k, v) -> {
            if (k.startsWith(HEADER_PREFIX)) {
                int tag = ElementDictionary.tagOf(k.substring(HEADER_PREFIX.length()));
                if (tag == -1 || tag == 0) {
                    throw new IllegalArgumentException("unknown attribute keyword in header " + k);
                }
                changes.put(tag, v == null ? "" : v.toString());
            }
        });
        if (changes.isEmpty() && supplement == null) {
            return;
        }
        Path source = Path.of(ex.getMessage().getBody(String.class).strip());
        Path target = spool.newTempFile(".dcm");
        Path bulk = spool.newTempFile(".bulk");
        try (DicomInputStream in = new DicomInputStream(SpoolStore.open(source));
                FileBulkDataSink sink = new FileBulkDataSink(bulk)) {
            Attributes fmi = in.readFileMetaInformation();
            TransferSyntax ts = TransferSyntax.of(fmi.getString(Tag.TransferSyntaxUID).strip());
            Attributes ds = in.bulkData(sink, 4096).readDataset(ts);
            if (supplement != null) {
                try {
                    supplement.from(ds).forEach(changes::putIfAbsent);
                } catch (java.sql.SQLException e) {
                    throw new IOException("worklist lookup failed: " + e.getMessage(), e);
                }
                if (changes.isEmpty()) { // nothing to change: the original goes on
                    Files.deleteIfExists(target);
                    return;
                }
            }
            for (var c : changes.entrySet()) {
                if (c.getValue().isEmpty()) {
                    ds.remove(c.getKey());
                } else {
                    ds.setString(c.getKey(), ElementDictionary.lookup(c.getKey()).vr(), c.getValue());
                }
                ex.getMessage().setHeader(DicomConstants.ATTRIBUTE_PREFIX + ElementDictionary.keywordOf(c.getKey()),
                        c.getValue());
            }
            // the copy is exactly its object: without the slot stamp, whose length is the original's
            fmi.remove(Tag.PrivateInformationCreatorUID);
            fmi.remove(Tag.PrivateInformation);
            try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 256 * 1024);
                DicomOutputStream dos = new DicomOutputStream(out);
                dos.writeDicomFile(fmi, ds);
                dos.flush();
                ch.force(true);
            }
        } finally {
            Files.deleteIfExists(bulk);
        }
        RoutingState state = ex.getProperty(RoutingState.PROPERTY, RoutingState.class);
        if (state != null) {
            state.addTemporary(target);
        }
        ex.getMessage().setBody(target.toString());
    }
}
