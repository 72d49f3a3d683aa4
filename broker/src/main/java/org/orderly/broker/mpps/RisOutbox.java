package org.orderly.broker.mpps;

import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tag;
import org.orderly.hl7.status.StatusMessageBuilder;
import org.orderly.hl7.status.StatusUpdate;
import org.orderly.mpps.MppsStatus;
import org.orderly.mpps.images.ImageArrivalCheck;
import org.orderly.mpps.store.MppsEvent;
import org.orderly.mpps.store.MppsRecord;
import org.orderly.mpps.store.MppsStore;
import org.orderly.mpps.store.OrderIdentifiers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bean of route {@code mpps-ris} (routes/mpps-ris.camel.yaml): turns one MPPS event from JMS into the HL7 status
 * message(s) for the RIS - one per order the MPPS performs, in the message type of hl7-mappings/status.yaml - and
 * puts them in the durable {@link RisOutboundQueue}, from which {@link RisDispatcher} sends them.
 *
 * <p>Idempotent: (event, order) is unique, and MSH-10 is derived from it ({@code MPPS<event>-<part>}), so a JMS
 * redelivery after a crash adds nothing and a re-built message carries the same control ID.
 */
public final class RisOutbox {

    public static final String BEAN_NAME = "mppsRisOutbox";
    /** JMS property with the outbox row id. */
    public static final String EVENT_ID = "orderlyMppsEventId";

    private static final Logger LOG = LoggerFactory.getLogger(RisOutbox.class);
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final MppsStore store;
    private final RisOutboundQueue queue;
    private final RisSettings settings;
    private final Supplier<StatusMessageBuilder> builder;
    private final ImageArrivalCheck images;
    private final Runnable wakeDispatcher;

    public RisOutbox(MppsStore store, RisOutboundQueue queue, RisSettings settings,
            Supplier<StatusMessageBuilder> builder, ImageArrivalCheck images, Runnable wakeDispatcher) {
        this.store = store;
        this.queue = queue;
        this.settings = settings;
        this.builder = builder;
        this.images = images;
        this.wakeDispatcher = wakeDispatcher;
    }

    /** Route entry point: the exchange's {@value #EVENT_ID} header names the event. */
    public void accept(Exchange exchange) throws SQLException {
        Long id = exchange.getMessage().getHeader(EVENT_ID, Long.class);
        if (id == null) {
            throw new IllegalArgumentException("message without header " + EVENT_ID);
        }
        queueEvent(id);
    }

    /** Adds the status message(s) of one event; returns how many were added now. */
    public int queueEvent(long eventId) throws SQLException {
        if (!settings.enabled()) {
            return 0; // orderly.ris.host unset: status messages disabled (documented)
        }
        MppsEvent event = store.event(eventId).orElse(null);
        if (event == null || !event.changesStatus()) {
            return 0; // an N-SET that did not change the status tells the RIS nothing new
        }
        MppsRecord mpps = store.get(event.mppsUid()).orElseThrow(() -> new SQLException("MPPS " + event.mppsUid()
                + " of event " + eventId + " is missing"));
        List<OrderIdentifiers> orders = store.orders(event.mppsUid());
        StatusMessageBuilder b = builder.get();
        boolean hold = settings.holdForImages() && event.status() == MppsStatus.COMPLETED
                && !MppsStore.referencedInstances(mpps.attributes()).isEmpty();
        long now = System.currentTimeMillis();
        int added = 0;
        for (int part = 0; part < orders.size(); part++) {
            OrderIdentifiers o = orders.get(part);
            String msh10 = "MPPS" + eventId + "-" + part;
            String message = b.build(update(msh10, event.status(), o, mpps.attributes()));
            boolean waiting = hold && images.missing(MppsStore.referencedInstances(mpps.attributes())) > 0;
            if (queue.add(eventId, part, o.orderKey(), event.mppsUid(), msh10, b.profile().messageType().name(),
                    message, waiting ? RisOutboundQueue.State.WAITING_IMAGES : RisOutboundQueue.State.PENDING,
                    waiting ? now + settings.holdTimeout().toMillis() : null)) {
                added++;
                LOG.info("ris: queued {} {} for MPPS {} {} ({}{})", b.profile().messageType(), msh10, event.mppsUid(),
                        event.status().term(), o.scheduled() ? "order " + o.orderKey() : "UNSCHEDULED",
                        waiting ? ", held until the images arrive" : "");
            }
        }
        if (added > 0) {
            wakeDispatcher.run();
        }
        return added;
    }

    /** The state table decides ORC-1, ORC-5 and OBR-25; the order is named as the RIS sent it. */
    static StatusUpdate update(String msh10, MppsStatus status, OrderIdentifiers o, Attributes mpps) {
        return new StatusUpdate(msh10, LocalDateTime.now().format(TS), status.orderControl(), status.orderStatus(),
                status.resultStatus(), o.placerOrderNumber(), o.fillerOrderNumber(), o.accessionNumber(),
                o.requestedProcedureId(), o.studyInstanceUid(), o.spsId(), o.patientId(), o.issuerOfPatientId(),
                blankToNull(mpps.getString(Tag.PatientName)), blankToNull(mpps.getString(Tag.Modality)),
                code(mpps.getSequence(Tag.ProcedureCodeSequence)),
                dateTime(mpps.getString(Tag.PerformedProcedureStepStartDate),
                        mpps.getString(Tag.PerformedProcedureStepStartTime)),
                dateTime(mpps.getString(Tag.PerformedProcedureStepEndDate),
                        mpps.getString(Tag.PerformedProcedureStepEndTime)));
    }

    private static String code(Sequence seq) {
        if (seq == null || seq.isEmpty()) {
            return null;
        }
        Attributes c = seq.get(0);
        return nz(c.getString(Tag.CodeValue)) + "^" + nz(c.getString(Tag.CodeMeaning)) + "^"
                + nz(c.getString(Tag.CodingSchemeDesignator));
    }

    /** DICOM DA + TM to HL7 TS: yyyyMMdd + HHmmss (fraction dropped). */
    static String dateTime(String da, String tm) {
        if (da == null || da.isBlank()) {
            return null;
        }
        String t = tm == null ? "" : tm.strip().replace(":", "");
        int dot = t.indexOf('.');
        if (dot >= 0) {
            t = t.substring(0, dot);
        }
        return da.strip().replace(".", "") + t;
    }

    private static String nz(String s) {
        return s == null ? "" : s.strip();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
