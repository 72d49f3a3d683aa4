package org.orderly.broker.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.io.DatasetCodec;
import org.orderly.dicom.io.TransferSyntax;
import org.orderly.dicom.net.AeAddress;
import org.orderly.dicom.net.DicomClient;
import org.orderly.dicom.net.DimseResponse;
import org.orderly.dicom.net.acse.Association;
import org.orderly.dicom.net.service.ServiceDispatcher;
import org.orderly.dicom.net.dimse.Dimse;
import org.orderly.dicom.net.dimse.DimseCommand;
import org.orderly.dicom.net.dimse.Status;
import org.orderly.dicom.net.service.DicomServiceException;
import org.orderly.dicom.net.service.DicomServiceRegistry;
import org.orderly.dicom.net.service.NActionRequest;
import org.orderly.dicom.net.service.NResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage Commitment Push Model SCP (PS3.4 Annex J, SOP Class 1.2.840.10008.1.20.1).
 *
 * <p>N-ACTION Request Storage Commitment (Action Type ID 1, PS3.4 J.3.2): answered Success at once; the result
 * follows as N-EVENT-REPORT (PS3.4 J.3.3) when every referenced object reached every destination it was routed to
 * (success), was dead-lettered or matched no destination (failure 0110H), or the request timed out
 * ({@code orderly.storage.commitment.timeout-seconds}; never received: 0112H No such object instance, still pending:
 * 0110H). Event Type ID 1 = all success, 2 = failures exist (PS3.4 J.3.3, Table J.3-2).
 *
 * <p>Where the report goes (PS3.4 J.3.3.1): on the association of the N-ACTION if it is still open (the SCP may
 * use it; default roles), else on a new association to the requester's address in
 * {@code orderly.storage.commitment.peers}, proposing SCP/SCU Role Selection with us as SCP (PS3.7 D.3.3.4).
 */
public final class StorageCommitmentScp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StorageCommitmentScp.class);
    static final int FAILURE_PROCESSING = 0x0110;
    static final int FAILURE_NO_SUCH_OBJECT = 0x0112;

    private record Ref(String cuid, String iuid) {
    }

    private final class Request {
        final String transactionUid;
        final List<Ref> refs;
        final Association association;
        final int pcid;
        final String requester;
        final long deadline;
        boolean done;

        Request(String t, List<Ref> refs, Association a, int pcid, String requester, long deadline) {
            this.transactionUid = t;
            this.refs = refs;
            this.association = a;
            this.pcid = pcid;
            this.requester = requester;
            this.deadline = deadline;
        }
    }

    private final DeliveryLedger ledger;
    private final String aeTitle;
    private final Map<String, AeAddress> peers = new LinkedHashMap<>();
    private final Duration timeout;
    private final Set<Request> pending = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "storage-commitment");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger messageIds = new AtomicInteger(0x8000);

    StorageCommitmentScp(DeliveryLedger ledger, String aeTitle, String peerTable, Duration timeout) {
        this.ledger = ledger;
        this.aeTitle = aeTitle;
        this.timeout = timeout;
        if (peerTable != null && !peerTable.isBlank()) {
            for (String p : peerTable.split(",")) {
                AeAddress a = AeAddress.parse(p.strip());
                peers.put(a.aeTitle(), a);
            }
        }
        // no hand-over per delivery while no request waits: a request is in pending before its first evaluation
        ledger.onChange(iuid -> {
            if (!pending.isEmpty()) {
                executor.execute(() -> pending.stream()
                        .filter(r -> r.refs.stream().anyMatch(ref -> ref.iuid.equals(iuid))).forEach(this::evaluate));
            }
        });
    }

    void register(DicomServiceRegistry registry) {
        registry.nAction(UID.StorageCommitmentPushModel, this::action);
        registry.responses(new ServiceDispatcher.ResponseHandler() {
            @Override
            public void onResponse(Association as, int pcid, org.orderly.dicom.net.dimse.DimseCommand rsp,
                    java.io.InputStream dataset) throws java.io.IOException {
                StorageCommitmentScp.this.onResponse(as, rsp, dataset);
            }

            @Override
            public void onClosed(Association as) {
                sentReports.remove(as);
            }
        });
    }

    /** Reports sent on the requester's own association: its N-EVENT-REPORT-RSP comes back on our acceptor side. */
    private final Map<Association, Map<Integer, String>> sentReports = new java.util.concurrent.ConcurrentHashMap<>();

    private void onResponse(Association as, org.orderly.dicom.net.dimse.DimseCommand rsp,
            java.io.InputStream dataset) throws java.io.IOException {
        if (dataset != null) {
            dataset.transferTo(java.io.OutputStream.nullOutputStream());
        }
        Map<Integer, String> sent = sentReports.get(as);
        String tuid = sent == null ? null : sent.remove(rsp.messageIdBeingRespondedTo());
        if (tuid == null) {
            LOG.warn("{} unexpected {} (no N-EVENT-REPORT of ours has that message ID); ignored", as.name(), rsp);
        } else if (rsp.status().isOk()) {
            LOG.info("{} storage commitment {}: N-EVENT-REPORT-RSP {}", as.name(), tuid, rsp.status());
        } else {
            LOG.warn("{} storage commitment {}: requester answered the N-EVENT-REPORT with {}", as.name(), tuid,
                    rsp.status());
        }
        if (sent != null && sent.isEmpty()) {
            sentReports.remove(as, sent);
        }
    }

    private NResult action(NActionRequest rq) throws DicomServiceException {
        if (rq.actionTypeId() != 1) { // PS3.4 J.3.2: Request Storage Commitment
            throw new DicomServiceException(Status.NO_SUCH_ACTION, "Action Type ID must be 1");
        }
        Attributes info = rq.actionInformation();
        String tuid = info == null ? null : info.getString(Tag.TransactionUID);
        Sequence seq = info == null ? null : info.getSequence(Tag.ReferencedSOPSequence);
        if (tuid == null || seq == null || seq.size() == 0) {
            throw new DicomServiceException(Status.MISSING_ATTRIBUTE, "Transaction UID or Referenced SOP Sequence missing",
                    tuid == null ? Tag.TransactionUID : Tag.ReferencedSOPSequence);
        }
        List<Ref> refs = new ArrayList<>();
        for (int i = 0; i < seq.size(); i++) {
            Attributes item = seq.get(i);
            String iuid = item.getString(Tag.ReferencedSOPInstanceUID);
            if (iuid == null) {
                throw new DicomServiceException(Status.MISSING_ATTRIBUTE, "Referenced SOP Instance UID missing",
                        Tag.ReferencedSOPInstanceUID);
            }
            refs.add(new Ref(item.getString(Tag.ReferencedSOPClassUID), iuid.strip()));
        }
        Request r = new Request(tuid.strip(), refs, rq.context().association(), rq.context().pcid(),
                rq.context().remoteAeTitle(), System.nanoTime() + timeout.toNanos());
        pending.add(r);
        LOG.info("{} storage commitment {} for {} object(s) requested", rq.context(), r.transactionUid, refs.size());
        // first look after the N-ACTION-RSP has gone out; then on every ledger change; finally at the deadline
        executor.schedule(() -> evaluate(r), 200, TimeUnit.MILLISECONDS);
        executor.schedule(() -> evaluate(r), timeout.toMillis(), TimeUnit.MILLISECONDS);
        return NResult.success();
    }

    private void evaluate(Request r) {
        if (r.done) {
            return;
        }
        boolean timedOut = System.nanoTime() - r.deadline >= 0;
        List<Ref> ok = new ArrayList<>();
        Map<Ref, Integer> failed = new LinkedHashMap<>();
        for (Ref ref : r.refs) {
            List<DeliveryLedger.Entry> entries = ledger.entries(ref.iuid);
            if (entries.isEmpty()) {
                if (!timedOut) {
                    return;
                }
                failed.put(ref, FAILURE_NO_SUCH_OBJECT);
            } else if (entries.stream().anyMatch(e -> e.state() == DeliveryLedger.State.FAILED
                    || e.state() == DeliveryLedger.State.UNROUTED)) {
                failed.put(ref, FAILURE_PROCESSING);
            } else if (entries.stream().allMatch(e -> e.state() == DeliveryLedger.State.DELIVERED)) {
                ok.add(ref);
            } else if (!timedOut) {
                return;
            } else {
                failed.put(ref, FAILURE_PROCESSING);
            }
        }
        r.done = true;
        pending.remove(r);
        report(r, ok, failed);
    }

    private void report(Request r, List<Ref> ok, Map<Ref, Integer> failed) {
        Attributes info = new Attributes();
        info.setString(Tag.TransactionUID, VR.UI, r.transactionUid);
        if (!ok.isEmpty()) {
            Sequence s = info.newSequence(Tag.ReferencedSOPSequence);
            for (Ref ref : ok) {
                Attributes item = s.addNewItem();
                item.setString(Tag.ReferencedSOPClassUID, VR.UI, ref.cuid);
                item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, ref.iuid);
            }
        }
        if (!failed.isEmpty()) {
            Sequence s = info.newSequence(Tag.FailedSOPSequence);
            failed.forEach((ref, reason) -> {
                Attributes item = s.addNewItem();
                item.setString(Tag.ReferencedSOPClassUID, VR.UI, ref.cuid);
                item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, ref.iuid);
                item.setInt(Tag.FailureReason, VR.US, reason);
            });
        }
        int eventType = failed.isEmpty() ? 1 : 2; // PS3.4 J.3.3: 1 = all success, 2 = failures exist
        if (r.association.isEstablished()) {
            try {
                int id = messageIds.updateAndGet(n -> n >= 0xFFFF ? 0x8000 : n + 1);
                DimseCommand rq = DimseCommand.request(Dimse.N_EVENT_REPORT_RQ, id, UID.StorageCommitmentPushModel,
                        UID.StorageCommitmentPushModelInstance, true);
                rq.setEventTypeId(eventType);
                byte[] data = DatasetCodec.encode(info, TransferSyntax.of(
                        r.association.acceptedContexts().get(r.pcid).transferSyntax()));
                sentReports.computeIfAbsent(r.association, a -> new java.util.concurrent.ConcurrentHashMap<>())
                        .put(id, r.transactionUid);
                r.association.send(r.pcid, rq.encode(), out -> out.write(data));
                LOG.info("{} storage commitment {}: N-EVENT-REPORT type {} ({} ok, {} failed) on the same association",
                        r.association.name(), r.transactionUid, eventType, ok.size(), failed.size());
                return;
            } catch (java.io.IOException e) {
                LOG.warn("{} storage commitment {}: same association failed ({}); trying a new one",
                        r.association.name(), r.transactionUid, e.toString());
            }
        }
        AeAddress to = peers.get(r.requester);
        if (to == null) {
            LOG.error("storage commitment {}: {} closed its association and is not in orderly.storage.commitment.peers;"
                    + " result not delivered", r.transactionUid, r.requester);
            return;
        }
        try (DicomClient c = DicomClient.to(to).callingAe(aeTitle).context(UID.StorageCommitmentPushModel)
                .roleSelection(UID.StorageCommitmentPushModel, false, true).connect()) {
            DimseResponse rsp = c.nEventReport(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance,
                    eventType, info);
            LOG.info("storage commitment {}: N-EVENT-REPORT type {} ({} ok, {} failed) to {}: {}", r.transactionUid,
                    eventType, ok.size(), failed.size(), to, rsp.status());
        } catch (java.io.IOException e) {
            LOG.error("storage commitment {}: N-EVENT-REPORT to {} failed: {}", r.transactionUid, to, e.toString());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
