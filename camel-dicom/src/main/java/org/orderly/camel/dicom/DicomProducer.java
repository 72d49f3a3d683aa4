package org.orderly.camel.dicom;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.io.FileMetaInformation;
import org.orderly.dicom.data.LimitedInputStream;
import org.orderly.dicom.net.DimseResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the Part 10 file in the message body with C-STORE (PS3.7 §9.1.1): SOP class, instance and transfer syntax
 * from its File Meta Information; the data set streamed from the file as it is (the original transfer syntax passes
 * through; no transcoding). Success and warnings (PS3.4 B.2.3: the object was stored) set header
 * {@link DicomConstants#STATUS}; a failure status throws {@link DicomStoreException}; a transfer syntax the
 * destination refused throws {@code NoPresentationContextException}. With a {@link DicomDelivery} on the component, the
 * data set is as long as {@link DicomDelivery#datasetLength} says (a file with space after its object), and with
 * {@code direct=false} the object is handed to it instead.
 */
public class DicomProducer extends DefaultProducer {
    private static final Logger LOG = LoggerFactory.getLogger(DicomProducer.class);

    public DicomProducer(DicomEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public DicomEndpoint getEndpoint() {
        return (DicomEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        DicomEndpoint e = getEndpoint();
        DicomDelivery delivery = e.getComponent().getDelivery();
        if (delivery != null && !e.isDirect()) {
            delivery.enqueue(e, exchange);
            return;
        }
        Path file = bodyPath(exchange);
        FileMetaInformation.InFile header;
        try {
            header = FileMetaInformation.read(file);
        } catch (NoSuchFileException ex) {
            throw new NoSuchFileException(file + " (spooled object gone)");
        }
        Attributes fmi = header.fmi();
        if (fmi == null) {
            throw new IOException(file + " is not a DICOM Part 10 file");
        }
        String cuid = trim(fmi.getString(Tag.MediaStorageSOPClassUID));
        String iuid = trim(fmi.getString(Tag.MediaStorageSOPInstanceUID));
        String ts = trim(fmi.getString(Tag.TransferSyntaxUID));
        if (cuid == null || iuid == null || ts == null) {
            throw new IOException(file + ": File Meta Information lacks (0002,0002), (0002,0003) or (0002,0010)");
        }
        long datasetOffset = header.datasetOffset();
        long length = delivery != null ? delivery.datasetLength(fmi) : -1;
        DimseResponse rsp = e.getComponent().pool(e).execute(cuid, ts, client -> {
            try (InputStream data = Files.newInputStream(file)) {
                data.skipNBytes(datasetOffset);
                return client.store(cuid, iuid, ts, length < 0 ? data : new LimitedInputStream(data, length));
            }
        });
        exchange.getMessage().setHeader(DicomConstants.STATUS, rsp.status().code());
        if (!rsp.status().isOk()) {
            throw new DicomStoreException(String.format("%s refused %s: status %04XH %s", e.destination(), iuid,
                    rsp.status().code(), rsp.errorComment() == null ? "" : rsp.errorComment()), rsp.status().code());
        }
        LOG.debug("{} stored {} ({})", e.destination(), iuid, rsp.status());
    }

    static Path bodyPath(Exchange exchange) throws IOException {
        Object body = exchange.getMessage().getBody();
        if (body instanceof Path p) {
            return p;
        }
        if (body instanceof File f) {
            return f.toPath();
        }
        String s = exchange.getMessage().getBody(String.class);
        if (s == null || s.isBlank()) {
            throw new IOException("dicom: needs the path of a Part 10 file as the message body");
        }
        return Path.of(s.strip());
    }

    private static String trim(String s) {
        return s == null ? null : s.strip();
    }
}
