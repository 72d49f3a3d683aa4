package org.orderly.camel.dicom;

import org.apache.camel.Exchange;
import org.orderly.dicom.data.Attributes;

/**
 * How a {@code dicom:} endpoint delivers when the application gives the component one: instead of sending at once,
 * the object is handed over (e.g. to a durable per-destination queue, Orderly's broker) and sent later by an endpoint
 * with {@code direct=true}. Without a delivery, or with {@code direct=true}, the producer sends synchronously.
 */
@FunctionalInterface
public interface DicomDelivery {

    /** Takes responsibility for sending the exchange's object to the endpoint's destination; returns when durable. */
    void enqueue(DicomEndpoint endpoint, Exchange exchange) throws Exception;

    /**
     * Bytes of the data set after the File Meta Information {@code fmi} of a file this delivery queued, when the file
     * holds more than its object (e.g. a reused spool slot); -1: up to the end of the file.
     */
    default long datasetLength(Attributes fmi) {
        return -1;
    }
}
