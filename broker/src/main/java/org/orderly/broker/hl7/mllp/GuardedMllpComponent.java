package org.orderly.broker.hl7.mllp;

import java.util.Map;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpConfiguration;
import org.apache.camel.component.mllp.MllpEndpoint;
import org.apache.camel.support.CamelContextHelper;

/**
 * The {@code mllp:} component of Orderly: camel-mllp with strict framing on the server side
 * ({@link GuardedMllpConsumer}, {@link MllpFrameGuard}). Bound in the Camel registry under the name
 * {@value #NAME}, so route files keep their {@code mllp://host:port?...} URIs and every camel-mllp
 * option; producers ({@code to: mllp:...}) are camel-mllp's unchanged. PHI is never logged by it
 * ({@code logPhi=false}).
 */
@org.apache.camel.spi.annotations.Component(GuardedMllpComponent.NAME)
public final class GuardedMllpComponent extends MllpComponent {
    /** The scheme it replaces. */
    public static final String NAME = "mllp";

    public GuardedMllpComponent() {
        setLogPhi(false);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MllpEndpoint endpoint = new GuardedEndpoint(uri, this,
                hasConfiguration() ? getConfiguration().copy() : new MllpConfiguration());
        if (endpoint.getConfiguration().getSslContextParameters() == null && isUseGlobalSslContextParameters()) {
            endpoint.getConfiguration().setSslContextParameters(retrieveGlobalSslContextParameters());
        }
        endpoint.setCharsetName(getDefaultCharset());
        int colon = remaining.lastIndexOf(':');
        if (colon >= 0) {
            endpoint.setHostname(remaining.substring(0, colon));
            endpoint.setPort(CamelContextHelper.parseInt(getCamelContext(), remaining.substring(colon + 1)));
        } else {
            endpoint.setPort(CamelContextHelper.parseInt(getCamelContext(), remaining));
        }
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** camel-mllp's endpoint whose consumer is the guarded one. */
    static final class GuardedEndpoint extends MllpEndpoint {
        GuardedEndpoint(String uri, MllpComponent component, MllpConfiguration configuration) {
            super(uri, component, configuration);
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            GuardedMllpConsumer consumer = new GuardedMllpConsumer(this, processor);
            configureConsumer(consumer);
            return consumer;
        }
    }
}
