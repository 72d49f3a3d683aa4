package org.orderly.camel.dicom;

import org.apache.camel.Exchange;

/**
 * How a {@code dicom:} endpoint delivers when the application gives the component one: instead of sending at once,
 * the object is handed over (e.g. to a durable per-destination queue, Orderly's broker) and sent later by an endpoint
 * with {@code direct=true}. Without a delivery, or with {@code direct=true}, the producer sends synchronously.
 */
@FunctionalInterface
public interface DicomDelivery {

    /** Takes responsibility for sending the exchange's object to the endpoint's destination; returns when durable. */
    void enqueue(DicomEndpoint endpoint, Exchange exchange) throws Exception;
}
