package org.orderly.camel.dicom;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.orderly.dicom.net.AeAddress;

/**
 * {@code dicom:AE@host:port[?options]}: a DICOM Storage SCP (a PACS, an archive, a workstation).
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "dicom", title = "DICOM C-STORE", syntax = "dicom:destination",
        producerOnly = true, category = {Category.HEALTH}, headersClass = DicomConstants.class)
public class DicomEndpoint extends DefaultEndpoint {

    private final AeAddress destination;

    @UriPath(description = "The destination as AE@host:port (called AE title, host name or IP, TCP port)")
    @Metadata(required = true)
    private String destinationText;
    @UriParam(defaultValue = "ORDERLY", description = "Our (calling) AE title; default: the component's")
    private String callingAe;
    @UriParam(defaultValue = "2", description = "Associations kept open to this destination at most (bounded pool)")
    private int maxAssociations = 2;
    @UriParam(defaultValue = "30000", description = "An association unused this long (ms) is released")
    private long idleTimeout = 30_000;
    @UriParam(defaultValue = "60000", description = "Wait for a C-STORE-RSP (ms); then A-ABORT and a failure")
    private long responseTimeout = 60_000;
    @UriParam(defaultValue = "10000", description = "TCP connect timeout (ms)")
    private long connectTimeout = 10_000;
    @UriParam(defaultValue = "false", description = "Send now, even if the component has a queued delivery"
            + " (the broker's per-destination delivery routes use this)")
    private boolean direct;

    DicomEndpoint(String uri, DicomComponent component, AeAddress destination) {
        super(uri, component);
        this.destination = destination;
        this.destinationText = destination.toString();
    }

    public AeAddress destination() {
        return destination;
    }

    @Override
    public DicomComponent getComponent() {
        return (DicomComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new DicomProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("dicom: is a producer (to:) only; Orderly's DICOM port receives");
    }

    @Override
    public boolean isRemote() {
        return true;
    }

    public String getDestinationText() {
        return destinationText;
    }

    public String getCallingAe() {
        return callingAe;
    }

    public void setCallingAe(String callingAe) {
        this.callingAe = callingAe;
    }

    public int getMaxAssociations() {
        return maxAssociations;
    }

    public void setMaxAssociations(int maxAssociations) {
        if (maxAssociations < 1) {
            throw new IllegalArgumentException("maxAssociations >= 1");
        }
        this.maxAssociations = maxAssociations;
    }

    public long getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(long idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public long getResponseTimeout() {
        return responseTimeout;
    }

    public void setResponseTimeout(long responseTimeout) {
        this.responseTimeout = responseTimeout;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public boolean isDirect() {
        return direct;
    }

    public void setDirect(boolean direct) {
        this.direct = direct;
    }
}
