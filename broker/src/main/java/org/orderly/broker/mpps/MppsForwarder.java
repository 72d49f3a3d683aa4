package org.orderly.broker.mpps;

import java.io.IOException;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.io.DatasetCodec;
import org.orderly.dicom.io.TransferSyntax;
import org.orderly.dicom.net.AeAddress;
import org.orderly.dicom.net.DicomClient;
import org.orderly.dicom.net.DimseResponse;
import org.orderly.dicom.net.dimse.Status;
import org.orderly.mpps.store.MppsEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bean of routes/mpps-forward.camel.yaml: forwards one MPPS N-CREATE or N-SET to another MPPS SCP (IHE RAD TF-2
 * RAD-20 / RAD-21, the Performed Procedure Step Manager forwarding Modality PPS In Progress / Completed), as Orderly's
 * AE title, with the attribute list as the modality sent it.
 *
 * <p>Never a reason to refuse the modality: it runs from a JMS queue long after the modality was answered. Kept and
 * retried until delivered: a connection failure, a rejected association, no response or a resource status (A7xx,
 * 0213) is retried here with backoff (1 s doubling to 60 s) on the route's single consumer, so the order of
 * N-CREATE and N-SET to a destination is kept; at broker shutdown the exchange fails, the JMS transaction rolls back
 * and the message is delivered again after the restart. A final answer ends it: Success; 0111 on N-CREATE (it was
 * delivered before a restart) counts as delivered; any other failure status is logged (WARN) and not retried - the
 * destination has decided.
 *
 * <p>Loops: an event that came from the destination's own AE title is not sent back to it.
 */
public final class MppsForwarder {

    public static final String BEAN_NAME = "mppsForwarder";
    private static final Logger LOG = LoggerFactory.getLogger(MppsForwarder.class);
    private static final long MAX_BACKOFF_MS = 60_000;

    private final String callingAe;
    private final Duration timeout;
    private volatile boolean running = true;

    public MppsForwarder(String callingAe, Duration timeout) {
        this.callingAe = callingAe;
        this.timeout = timeout;
    }

    /** Route entry point: {@code forward(*, 'PACS@10.0.0.5:104')}. */
    public void forward(Exchange exchange, String destination) throws Exception {
        AeAddress to = AeAddress.parse(destination);
        String op = exchange.getMessage().getHeader("orderlyMppsOperation", String.class);
        String iuid = exchange.getMessage().getHeader("orderlyMppsUid", String.class);
        String from = exchange.getMessage().getHeader("orderlyCallingAe", String.class);
        if (from != null && from.strip().equals(to.aeTitle())) {
            LOG.info("mpps-forward: {} {} came from {}: not sent back", op, iuid, from);
            return;
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        Attributes attrs = DatasetCodec.decode(body, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        long backoff = 1_000;
        for (int attempt = 1; ; attempt++) {
            String problem;
            try {
                Status s = send(to, op, iuid, attrs);
                if (s.isSuccess() || s.isWarning()) {
                    LOG.info("mpps-forward: {} {} -> {} {}", op, iuid, to, s);
                    return;
                }
                if (MppsEvent.N_CREATE.equals(op) && s.code() == Status.DUPLICATE_SOP_INSTANCE.code()) {
                    LOG.info("mpps-forward: {} {} -> {} exists already (delivered before): done", op, iuid, to);
                    return;
                }
                if (s.code() != Status.RESOURCE_LIMITATION.code() && (s.code() & 0xFF00) != 0xA700) {
                    LOG.warn("mpps-forward: {} {} refused by {}: {} - not retried", op, iuid, to, s);
                    return;
                }
                problem = s.toString();
            } catch (IOException e) {
                problem = e.toString();
            }
            if (!running) {
                throw new IOException("stopping; " + op + " " + iuid + " to " + to + " stays queued: " + problem);
            }
            LOG.warn("mpps-forward: {} {} -> {} attempt {} failed ({}), retry in {} ms", op, iuid, to, attempt,
                    problem, backoff);
            sleep(backoff);
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
    }

    private Status send(AeAddress to, String op, String iuid, Attributes attrs) throws IOException {
        try (DicomClient c = DicomClient.to(to).callingAe(callingAe).responseTimeout(timeout)
                .context(UID.ModalityPerformedProcedureStep).connect()) {
            DimseResponse r = MppsEvent.N_CREATE.equals(op)
                    ? c.nCreate(UID.ModalityPerformedProcedureStep, iuid, attrs)
                    : c.nSet(UID.ModalityPerformedProcedureStep, iuid, attrs);
            c.release();
            return r.status();
        }
    }

    private void sleep(long ms) throws IOException {
        long end = System.currentTimeMillis() + ms;
        try {
            while (running && System.currentTimeMillis() < end) {
                Thread.sleep(Math.min(200, end - System.currentTimeMillis() + 1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /** Broker shutdown: retry loops end, their messages stay in JMS. */
    public void stop() {
        running = false;
    }
}
