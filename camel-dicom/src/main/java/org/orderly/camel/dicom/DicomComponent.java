package org.orderly.camel.dicom;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.orderly.dicom.net.AeAddress;

/**
 * The {@code dicom:} component: {@code dicom:AE@host:port} sends Part 10 files (the message body: a {@link
 * java.nio.file.Path}, {@link java.io.File} or path string) to a DICOM Storage SCP with C-STORE (PS3.4 Annex B),
 * over associations pooled per destination (see {@link AssociationPool}).
 */
@Component("dicom")
public class DicomComponent extends DefaultComponent {

    @Metadata(defaultValue = "ORDERLY", description = "Our (calling) AE title")
    private String callingAe = "ORDERLY";
    @Metadata(description = "Optional queued delivery (the broker's durable per-destination queues)")
    private DicomDelivery delivery;

    private final Map<String, AssociationPool> pools = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        AeAddress destination = AeAddress.parse(remaining);
        DicomEndpoint endpoint = new DicomEndpoint(uri, this, destination);
        endpoint.setCallingAe(callingAe);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /**
     * The association pool of a destination, shared by every endpoint naming it with the same calling AE; its size
     * is the first endpoint's {@code maxAssociations}.
     */
    AssociationPool pool(DicomEndpoint e) {
        String key = e.getCallingAe() + "->" + e.destination();
        return pools.computeIfAbsent(key, k -> new AssociationPool(e.destination(), e.getCallingAe(),
                e.getMaxAssociations(), java.time.Duration.ofMillis(e.getIdleTimeout()),
                java.time.Duration.ofMillis(e.getResponseTimeout()), java.time.Duration.ofMillis(e.getConnectTimeout())));
    }

    @Override
    protected void doStop() throws Exception {
        pools.values().forEach(AssociationPool::close);
        pools.clear();
        super.doStop();
    }

    public String getCallingAe() {
        return callingAe;
    }

    public void setCallingAe(String callingAe) {
        this.callingAe = callingAe;
    }

    public DicomDelivery getDelivery() {
        return delivery;
    }

    public void setDelivery(DicomDelivery delivery) {
        this.delivery = delivery;
    }
}
