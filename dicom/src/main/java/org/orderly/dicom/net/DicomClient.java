package org.orderly.dicom.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.io.DatasetCodec;
import org.orderly.dicom.io.DicomInputStream;
import org.orderly.dicom.io.FileMetaInformation;
import org.orderly.dicom.io.TransferSyntax;
import org.orderly.dicom.net.acse.Association;
import org.orderly.dicom.net.acse.AssociationRequest;
import org.orderly.dicom.net.acse.AssociationSettings;
import org.orderly.dicom.net.acse.DatasetWriter;
import org.orderly.dicom.net.acse.PresentationContext;
import org.orderly.dicom.net.dimse.Dimse;
import org.orderly.dicom.net.dimse.DimseCommand;
import org.orderly.dicom.net.dimse.Status;
import org.orderly.dicom.net.service.DicomServiceRegistry;
import org.orderly.dicom.net.service.ServiceDispatcher;

/**
 * An open association we requested, with one blocking method per DIMSE operation (PS3.7 §9, §10):
 * <pre>{@code
 * try (DicomClient c = DicomClient.connect("PACS@10.0.0.5:104", "ORDERLY", UID.Verification)) {
 *     c.echo();
 * }
 * try (DicomClient c = DicomClient.to("WLM@ris:11112").callingAe("ORDERLY")
 *         .context(UID.ModalityWorklistInformationModelFind).connect()) {
 *     DimseResponse last = c.find(UID.ModalityWorklistInformationModelFind, keys, item -> ...);
 * }
 * }</pre>
 * Thread-safe: several threads may run operations on one client (they are sent one after the other; the peer
 * answers them in order unless an asynchronous operations window was negotiated). Message IDs are allocated
 * 1..65535 and wrap. Every operation waits at most the DIMSE response timeout for a response (for C-FIND: between
 * two responses); without one the association is aborted and {@link DimseTimeoutException} thrown.
 * Requests the peer sends us on this association (e.g. Storage Commitment N-EVENT-REPORT, PS3.4 Annex J) go to the
 * handlers of the {@link Builder#services registry} given.
 */
public final class DicomClient implements AutoCloseable {

    /** Default wait for a DIMSE response. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    /** Read size when a data set is streamed from a file or stream into P-DATA: about one PDU. */
    private static final int STREAM_CHUNK = 64 * 1024;

    private final Association association;
    private final Responses responses;
    private final Duration responseTimeout;
    private final AtomicInteger nextMessageId = new AtomicInteger();
    private final Set<Integer> runningFinds = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Integer> findContexts = new ConcurrentHashMap<>();

    private DicomClient(Association association, Responses responses, Duration responseTimeout) {
        this.association = association;
        this.responses = responses;
        this.responseTimeout = responseTimeout;
    }

    /** Starts building a client for {@code AE@host:port}. */
    public static Builder to(String aeAtHostPort) {
        return new Builder(AeAddress.parse(aeAtHostPort));
    }

    public static Builder to(AeAddress address) {
        return new Builder(address);
    }

    /**
     * Opens an association proposing each abstract syntax with Explicit and Implicit VR Little Endian.
     *
     * @param aeAtHostPort    {@code AE@host:port} of the peer (the called AE title)
     * @param callingAeTitle  our AE title
     */
    public static DicomClient connect(String aeAtHostPort, String callingAeTitle, String... abstractSyntaxes)
            throws IOException {
        Builder b = to(aeAtHostPort).callingAe(callingAeTitle);
        for (String as : abstractSyntaxes) {
            b.context(as);
        }
        return b.connect();
    }

    // ---------------------------------------------------------------- operations

    /** C-ECHO (PS3.7 §9.1.5) on the Verification SOP Class. */
    public Status echo() throws IOException {
        int pcid = context(UID.Verification, null);
        int id = messageId();
        DimseCommand rq = DimseCommand.request(Dimse.C_ECHO_RQ, id, UID.Verification, null, false);
        return invoke(pcid, rq, null, null).status();
    }

    /**
     * C-FIND (PS3.7 §9.1.2): sends the Identifier and calls {@code onMatch} for each Pending response's Identifier,
     * on the association's reader thread, in order (do not call this client from it; {@link #cancel()} is fine).
     *
     * @return the final response (Success, Cancel FE00H, or a failure)
     */
    public DimseResponse find(String sopClassUid, Attributes keys, Consumer<Attributes> onMatch) throws IOException {
        Objects.requireNonNull(onMatch, "onMatch");
        int pcid = context(sopClassUid, null);
        int id = messageId();
        DimseCommand rq = DimseCommand.request(Dimse.C_FIND_RQ, id, sopClassUid, null, true);
        byte[] data = DatasetCodec.encode(keys, ts(pcid));
        runningFinds.add(id);
        findContexts.put(id, pcid);
        try {
            return invoke(pcid, rq, out -> out.write(data), onMatch);
        } finally {
            runningFinds.remove(id);
            findContexts.remove(id);
        }
    }

    /**
     * Sends C-CANCEL-RQ (PS3.7 §9.3.2.3) for every C-FIND of this client still running; their {@link #find} calls
     * then return the peer's final response (normally Cancel FE00H). Safe from any thread, including an
     * {@code onMatch} callback.
     */
    public void cancel() throws IOException {
        for (int id : List.copyOf(runningFinds)) {
            Integer pcid = findContexts.get(id);
            if (pcid != null) {
                DimseCommand c = DimseCommand.request(Dimse.C_CANCEL_RQ, id, null, null, false);
                association.send(pcid, c.encode(), null);
            }
        }
    }

    /**
     * C-STORE (PS3.7 §9.1.1) of a data set already encoded in {@code transferSyntaxUid} (without File Meta
     * Information), streamed by {@code dataset}; needs a context accepted with that transfer syntax.
     */
    public DimseResponse store(String sopClassUid, String sopInstanceUid, String transferSyntaxUid,
            DatasetWriter dataset) throws IOException {
        int pcid = context(sopClassUid, transferSyntaxUid);
        int id = messageId();
        DimseCommand rq = DimseCommand.request(Dimse.C_STORE_RQ, id, sopClassUid, sopInstanceUid, true);
        return invoke(pcid, rq, dataset, null);
    }

    /** C-STORE of an encoded data set read from a stream (not closed). */
    public DimseResponse store(String sopClassUid, String sopInstanceUid, String transferSyntaxUid,
            InputStream dataset) throws IOException {
        return store(sopClassUid, sopInstanceUid, transferSyntaxUid, out -> copy(dataset, out));
    }

    /** Like InputStream.transferTo, with reads as large as a typical PDU (transferTo reads 8 KiB at a time). */
    private static void copy(InputStream in, java.io.OutputStream out) throws IOException {
        byte[] buf = new byte[STREAM_CHUNK];
        for (int n; (n = in.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
        }
    }

    /** C-STORE of a parsed data set, encoded in the transfer syntax of the first accepted context. */
    public DimseResponse store(Attributes dataset) throws IOException {
        String cuid = dataset.getString(Tag.SOPClassUID);
        String iuid = dataset.getString(Tag.SOPInstanceUID);
        int pcid = context(cuid, null);
        TransferSyntax ts = ts(pcid);
        byte[] data = DatasetCodec.encode(dataset, ts);
        return store(cuid, iuid, ts.uid(), out -> out.write(data));
    }

    /**
     * C-STORE of a Part 10 file: SOP class, instance and transfer syntax from its File Meta Information; the data
     * set is streamed from the file without being parsed.
     */
    public DimseResponse store(Path part10File) throws IOException {
        FileMetaInformation.InFile header = FileMetaInformation.read(part10File);
        Attributes fmi = header.fmi();
        long datasetOffset = header.datasetOffset();
        if (fmi == null) {
            throw new IOException(part10File + " is not a DICOM Part 10 file");
        }
        String cuid = fmi.getString(Tag.MediaStorageSOPClassUID);
        String iuid = fmi.getString(Tag.MediaStorageSOPInstanceUID);
        String ts = fmi.getString(Tag.TransferSyntaxUID);
        if (cuid == null || iuid == null || ts == null) {
            throw new IOException(part10File + ": File Meta Information lacks (0002,0002), (0002,0003) or (0002,0010)");
        }
        try (InputStream in = Files.newInputStream(part10File)) {
            in.skipNBytes(datasetOffset);
            return store(cuid.trim(), iuid.trim(), ts.trim(), in);
        }
    }

    /** N-CREATE (PS3.7 §10.1.5); {@code sopInstanceUid} null lets the SCP assign it (see the response). */
    public DimseResponse nCreate(String sopClassUid, String sopInstanceUid, Attributes attributes)
            throws IOException {
        return nRequest(Dimse.N_CREATE_RQ, sopClassUid, sopInstanceUid, attributes, null);
    }

    /** N-SET (PS3.7 §10.1.3) with the Modification List. */
    public DimseResponse nSet(String sopClassUid, String sopInstanceUid, Attributes modifications)
            throws IOException {
        return nRequest(Dimse.N_SET_RQ, sopClassUid, sopInstanceUid, Objects.requireNonNull(modifications), null);
    }

    /** N-GET (PS3.7 §10.1.2); no tags = all attributes. */
    public DimseResponse nGet(String sopClassUid, String sopInstanceUid, int... tags) throws IOException {
        return nRequest(Dimse.N_GET_RQ, sopClassUid, sopInstanceUid, null, c -> c.setAttributeIdentifierList(tags));
    }

    /** N-ACTION (PS3.7 §10.1.4) with the Action Information (may be null). */
    public DimseResponse nAction(String sopClassUid, String sopInstanceUid, int actionTypeId,
            Attributes actionInformation) throws IOException {
        return nRequest(Dimse.N_ACTION_RQ, sopClassUid, sopInstanceUid, actionInformation,
                c -> c.setActionTypeId(actionTypeId));
    }

    /** N-EVENT-REPORT (PS3.7 §10.1.1) with the Event Information (may be null). */
    public DimseResponse nEventReport(String sopClassUid, String sopInstanceUid, int eventTypeId,
            Attributes eventInformation) throws IOException {
        return nRequest(Dimse.N_EVENT_REPORT_RQ, sopClassUid, sopInstanceUid, eventInformation,
                c -> c.setEventTypeId(eventTypeId));
    }

    /** N-DELETE (PS3.7 §10.1.6). */
    public DimseResponse nDelete(String sopClassUid, String sopInstanceUid) throws IOException {
        return nRequest(Dimse.N_DELETE_RQ, sopClassUid, sopInstanceUid, null, null);
    }

    private DimseResponse nRequest(Dimse dimse, String cuid, String iuid, Attributes data,
            Consumer<DimseCommand> extra) throws IOException {
        int pcid = context(cuid, null);
        int id = messageId();
        DimseCommand rq = DimseCommand.request(dimse, id, cuid, iuid, data != null);
        if (extra != null) {
            extra.accept(rq);
        }
        if (data == null) {
            return invoke(pcid, rq, null, null);
        }
        byte[] bytes = DatasetCodec.encode(data, ts(pcid));
        return invoke(pcid, rq, out -> out.write(bytes), null);
    }

    // ---------------------------------------------------------------- association

    /** A-RELEASE (PS3.8 §7.2). Call it after the operations returned: it does not wait for outstanding responses. */
    public void release() throws IOException {
        association.release();
    }

    /** A-ABORT (PS3.8 §7.3). */
    public void abort() {
        association.abort();
    }

    /** Releases the association; aborts it if the release fails. */
    @Override
    public void close() {
        if (association.isClosed()) {
            return;
        }
        try {
            association.release();
        } catch (IOException e) {
            association.abort();
        }
    }

    public Association association() {
        return association;
    }

    /** True if a context was accepted for the abstract syntax (and transfer syntax, if not null). */
    public boolean accepted(String abstractSyntax, String transferSyntaxOrNull) {
        return association.findContext(abstractSyntax, transferSyntaxOrNull).isPresent();
    }

    // ---------------------------------------------------------------- internals

    private int messageId() {
        return nextMessageId.updateAndGet(n -> n >= 0xFFFF ? 1 : n + 1);
    }

    private int context(String abstractSyntax, String transferSyntax) throws NoPresentationContextException {
        if (abstractSyntax == null) {
            throw new IllegalArgumentException("SOP class UID missing");
        }
        return association.findContext(abstractSyntax, transferSyntax).map(PresentationContext::id)
                .orElseThrow(() -> new NoPresentationContextException(association.name() + ": "
                        + association.remoteAeTitle() + " accepted no presentation context for " + abstractSyntax
                        + (transferSyntax != null ? " with " + transferSyntax : "")));
    }

    private TransferSyntax ts(int pcid) {
        return TransferSyntax.of(association.acceptedContexts().get(pcid).transferSyntax());
    }

    private DimseResponse invoke(int pcid, DimseCommand rq, DatasetWriter data, Consumer<Attributes> onMatch)
            throws IOException {
        int id = rq.messageId();
        Responses.Pending p = responses.register(id, onMatch);
        try {
            association.send(pcid, rq.encode(), data);
            p.touch(); // the timeout counts from the end of the request (a large C-STORE takes a while to send)
            return await(p, rq);
        } finally {
            responses.unregister(id, p);
        }
    }

    private DimseResponse await(Responses.Pending p, DimseCommand rq) throws IOException {
        long timeout = responseTimeout.toNanos();
        while (true) {
            long wait = p.lastActivityNanos() + timeout - System.nanoTime();
            if (wait <= 0) {
                org.slf4j.LoggerFactory.getLogger(DicomClient.class).warn(
                        "{} no response from {} {} to {} within {} ms; A-ABORT", association.name(),
                        association.remoteAeTitle(), association.remoteAddress(), rq, responseTimeout.toMillis());
                association.abort();
                throw new DimseTimeoutException(association.name() + ": no response to " + rq + " within "
                        + responseTimeout.toMillis() + " ms");
            }
            try {
                return p.result().get(wait, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // loop: a Pending response may have moved the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for the response to " + rq);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException(e.getCause());
            }
        }
    }

    // ---------------------------------------------------------------- builder

    /** Configures and opens a client association. */
    public static final class Builder {
        private final AeAddress address;
        private String callingAe = "ORDERLY";
        private AssociationSettings settings;
        private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
        private DicomServiceRegistry services;
        private final Map<String, List<List<String>>> contexts = new LinkedHashMap<>();
        private final Map<String, boolean[]> roles = new LinkedHashMap<>();

        private Builder(AeAddress address) {
            this.address = address;
        }

        /** Our AE title (default ORDERLY; overrides the settings' AE title). */
        public Builder callingAe(String ae) {
            callingAe = ae;
            return this;
        }

        /** Association settings (PDU sizes, connect/ARTIM/idle timeouts). */
        public Builder settings(AssociationSettings s) {
            settings = s;
            return this;
        }

        public Builder responseTimeout(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("response timeout must be positive");
            }
            responseTimeout = d;
            return this;
        }

        /** Handlers for requests the peer sends us on this association (e.g. N-EVENT-REPORT). */
        public Builder services(DicomServiceRegistry registry) {
            services = registry;
            return this;
        }

        /**
         * Proposes a presentation context; without transfer syntaxes, Explicit and Implicit VR Little Endian. Call
         * again with other transfer syntaxes to propose further contexts for the same abstract syntax (one transfer
         * syntax per context is how a sender gets each accepted as it is, PS3.8 §9.3.2.2).
         */
        public Builder context(String abstractSyntax, String... transferSyntaxes) {
            List<String> ts = transferSyntaxes.length > 0 ? List.of(transferSyntaxes)
                    : List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian);
            contexts.computeIfAbsent(abstractSyntax, k -> new ArrayList<>()).add(ts);
            return this;
        }

        /**
         * Proposes SCP/SCU roles for a SOP class (PS3.7 Annex D.3.3.4), e.g. {@code scu=false, scp=true} when we
         * open an association to send Storage Commitment N-EVENT-REPORTs as the SCP (PS3.4 J.3.3.1).
         */
        public Builder roleSelection(String sopClassUid, boolean scu, boolean scp) {
            roles.put(sopClassUid, new boolean[] {scu, scp});
            return this;
        }

        public DicomClient connect() throws IOException {
            if (contexts.isEmpty()) {
                throw new IllegalStateException("propose one or more presentation contexts");
            }
            AssociationSettings s = (settings != null ? settings.toBuilder() : AssociationSettings.builder())
                    .aeTitle(callingAe).build();
            AssociationRequest.Builder rq = AssociationRequest.builder(address.aeTitle());
            contexts.forEach((as, list) -> list.forEach(ts -> rq.addPresentationContext(as,
                    ts.toArray(String[]::new))));
            roles.forEach((cuid, r) -> rq.addRoleSelection(cuid, r[0], r[1]));
            Responses responses = new Responses();
            ServiceDispatcher dispatcher = new ServiceDispatcher(
                    services != null ? services : new DicomServiceRegistry(), Runnable::run, responses);
            Association as = Association.open(address.socketAddress(), rq.build(), s, dispatcher);
            return new DicomClient(as, responses, responseTimeout);
        }
    }

    /** Response correlation by Message ID Being Responded To (PS3.7 §9.3, §10.3). */
    static final class Responses implements ServiceDispatcher.ResponseHandler {

        static final class Pending {
            private final java.util.concurrent.CompletableFuture<DimseResponse> result =
                    new java.util.concurrent.CompletableFuture<>();
            private final Consumer<Attributes> onMatch;
            private volatile long lastActivity = System.nanoTime();

            Pending(Consumer<Attributes> onMatch) {
                this.onMatch = onMatch;
            }

            void touch() {
                lastActivity = System.nanoTime();
            }

            long lastActivityNanos() {
                return lastActivity;
            }

            java.util.concurrent.CompletableFuture<DimseResponse> result() {
                return result;
            }
        }

        private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();

        Pending register(int messageId, Consumer<Attributes> onMatch) {
            Pending p = new Pending(onMatch);
            pending.put(messageId, p);
            return p;
        }

        void unregister(int messageId, Pending p) {
            pending.remove(messageId, p);
        }

        @Override
        public void onResponse(Association as, int pcid, DimseCommand rsp, InputStream dataset) throws IOException {
            Pending p = pending.get(rsp.messageIdBeingRespondedTo());
            if (p == null) {
                if (dataset != null) {
                    dataset.transferTo(java.io.OutputStream.nullOutputStream());
                }
                org.slf4j.LoggerFactory.getLogger(DicomClient.class).warn(
                        "{} {} from {} {} answers no request of ours; ignored", as.name(), rsp, as.remoteAeTitle(),
                        as.remoteAddress());
                return;
            }
            p.touch();
            Attributes data = null;
            if (dataset != null) {
                try {
                    data = new DicomInputStream(dataset).readDataset(
                            TransferSyntax.of(as.acceptedContexts().get(pcid).transferSyntax()));
                } catch (org.orderly.dicom.io.DicomStreamException e) {
                    dataset.transferTo(java.io.OutputStream.nullOutputStream());
                    org.slf4j.LoggerFactory.getLogger(DicomClient.class).warn(
                            "{} {} from {} {}: data set cannot be decoded: {}", as.name(), rsp, as.remoteAeTitle(),
                            as.remoteAddress(), e.getMessage());
                    if (rsp.status().isPending()) {
                        return; // skip this match; the final response still ends the operation
                    }
                }
            }
            if (rsp.status().isPending()) {
                if (p.onMatch != null && data != null) {
                    try {
                        p.onMatch.accept(data);
                    } catch (RuntimeException e) {
                        org.slf4j.LoggerFactory.getLogger(DicomClient.class).warn(
                                "{} C-FIND match consumer failed: {}", as.name(), e.toString());
                    }
                }
                return;
            }
            pending.remove(rsp.messageIdBeingRespondedTo(), p);
            p.result.complete(new DimseResponse(rsp, data));
        }

        @Override
        public void onClosed(Association as) {
            for (Pending p : pending.values()) {
                p.result.completeExceptionally(new org.orderly.dicom.net.acse.AssociationAbortedException(
                        as.name() + ": association closed before the response arrived"));
            }
            pending.clear();
        }
    }
}
