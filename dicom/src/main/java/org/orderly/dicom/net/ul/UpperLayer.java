package org.orderly.dicom.net.ul;

import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;

import org.orderly.dicom.net.pdu.Abort;
import org.orderly.dicom.net.pdu.AssociateRj;
import org.orderly.dicom.net.pdu.AssociateRq;
import org.orderly.dicom.net.pdu.Pdu;
import org.orderly.dicom.net.pdu.ReleaseRp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service-provider side effects of the actions of PS3.8 Tables 9-6..9-9 over one {@link Transport}, with the
 * ARTIM timer of PS3.8 §9.1.5. Indications to the service-user are not delivered here: {@link StateMachine#fire}
 * returns the action and the caller (ACSE) acts on it.
 * <p>
 * A-ABORT PDUs: AA-1 on a local A-ABORT request sends the user's abort (source 0). AA-1 in Sta2, AA-7 and AA-8
 * are answers to a received PDU; they send source 2 (service-provider) with reason 2 unexpected-PDU, or for Evt19
 * the reason of the invalid PDU, because PS3.8 Table 9-26 defines a reason only for the provider source.
 */
public final class UpperLayer implements StateMachine.ActionPerformer {

    private static final Logger LOG = LoggerFactory.getLogger(UpperLayer.class);

    private final Transport transport;
    private final ArtimTimer artim;
    private final StateMachine stateMachine;
    private SocketAddress connectTo;
    private int connectTimeoutMillis;
    private AssociateRq pendingRq;

    public UpperLayer(Role role, Transport transport, Duration artimTimeout, String name) {
        this.transport = transport;
        this.stateMachine = new StateMachine(role, this, name);
        this.artim = new ArtimTimer(artimTimeout, this::artimExpired);
    }

    public StateMachine stateMachine() {
        return stateMachine;
    }

    public Transport transport() {
        return transport;
    }

    public ArtimTimer artim() {
        return artim;
    }

    /** Where AE-1 connects to (requestor side). */
    public void setConnectTarget(SocketAddress address, int connectTimeoutMillis) {
        this.connectTo = address;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    private void artimExpired(long generation) {
        synchronized (stateMachine) {
            if (!artim.isCurrent(generation)) {
                return;
            }
            try {
                stateMachine.fire(Event.EVT18);
            } catch (IOException | RuntimeException e) {
                LOG.debug("ARTIM expiry handling failed", e);
                transport.close();
            }
        }
    }

    /** PS3.8 §9.3.2, Table 9-11: bit 0 of the protocol version = version 1, the only version defined. */
    @Override
    public boolean isAcceptable(AssociateRq rq) {
        return (rq.protocolVersion() & 0x0001) != 0;
    }

    @Override
    public void perform(Action action, Event event, Pdu pdu, State next) throws IOException {
        switch (action) {
            case AE_1 -> {
                pendingRq = (AssociateRq) pdu;
                transport.connect(connectTo, connectTimeoutMillis);
            }
            case AE_2 -> transport.write(pendingRq);
            case AE_3, DT_2, AR_2, AR_6, AR_8, AR_10, AA_6 -> {
                // indications to the service-user: returned by StateMachine.fire; AA-6 ignores the PDU
            }
            case AE_4, AR_3 -> transport.close();
            case AE_5 -> artim.start();
            case AE_6 -> {
                artim.stop();
                if (next == State.STA13) {
                    sendQuietly(AssociateRj.of(AssociateRj.Result.REJECTED_PERMANENT,
                            AssociateRj.Reason.PROTOCOL_VERSION_NOT_SUPPORTED));
                    artim.start();
                }
            }
            case AE_7, DT_1, AR_1, AR_7 -> transport.write(pdu);
            case AE_8 -> {
                sendQuietly(pdu);
                artim.start();
            }
            case AR_4 -> {
                sendQuietly(ReleaseRp.INSTANCE);
                artim.start();
            }
            case AR_9 -> transport.write(ReleaseRp.INSTANCE);
            case AR_5, AA_5 -> {
                artim.stop();
                transport.close();
            }
            case AA_1 -> {
                sendQuietly(event == Event.EVT15 ? (pdu instanceof Abort a ? a : Abort.BY_SERVICE_USER)
                        : providerAbort(event, pdu));
                artim.start();
            }
            case AA_2 -> {
                artim.stop();
                transport.close();
            }
            case AA_3, AA_4 -> transport.close();
            case AA_7 -> sendQuietly(providerAbort(event, pdu));
            case AA_8 -> {
                sendQuietly(providerAbort(event, pdu));
                artim.start();
            }
        }
    }

    private static Abort providerAbort(Event event, Pdu pdu) {
        if (event == Event.EVT19 && pdu instanceof Abort a) {
            return a;
        }
        return new Abort(Abort.Source.SERVICE_PROVIDER, Abort.Reason.UNEXPECTED_PDU);
    }

    /** Sends a PDU after which the association is over anyway; a failure just closes the transport. */
    private void sendQuietly(Pdu pdu) {
        try {
            transport.write(pdu);
        } catch (IOException e) {
            LOG.debug("could not send {}: {}", pdu, e.toString());
        }
    }
}
