package org.orderly.dicom.net.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.io.DatasetCodec;
import org.orderly.dicom.io.DicomInputStream;
import org.orderly.dicom.io.DicomStreamException;
import org.orderly.dicom.io.TransferSyntax;
import org.orderly.dicom.net.acse.Association;
import org.orderly.dicom.net.acse.DimseMessageHandler;
import org.orderly.dicom.net.acse.PresentationContext;
import org.orderly.dicom.net.dimse.Dimse;
import org.orderly.dicom.net.dimse.DimseCommand;
import org.orderly.dicom.net.dimse.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DIMSE service provider for requests (PS3.7 §8, §9, §10): decodes each command, validates it against the
 * {@link Dimse} table, dispatches it to the registry's handler and sends the response. Three tiers of errors:
 * <ul>
 *   <li>a command set that cannot be decoded, or a request without Message ID (it cannot be answered):
 *       A-ABORT (the association layer logs the WARN line);</li>
 *   <li>a request missing another mandatory element: 0120H Missing attribute with Offending Element; an unknown or
 *       unsupported operation: 0211H Unrecognized operation; a SOP class we do not serve: 0122H SOP class not
 *       supported (PS3.7 Annex C);</li>
 *   <li>a handler's {@link DicomServiceException} becomes the response; any other handler exception becomes
 *       C000H (C-STORE, C-FIND) or 0110H (N-services) with one WARN line naming the peer. The association goes on.</li>
 * </ul>
 * C-FIND runs on {@code findExecutor} so that C-CANCEL (handled on the reader thread) stops it at once.
 * Responses (bit 15 of the Command Field set) go to the {@link ResponseHandler}, if any (the requestor side).
 */
public final class ServiceDispatcher implements DimseMessageHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceDispatcher.class);
    /** Largest value of a C-FIND Identifier or N-service data set held in memory. */
    static final int MAX_IDENTIFIER_VALUE_LENGTH = 4 * 1024 * 1024;

    /** Receives DIMSE responses (requestor side: the client correlates them with its requests). */
    public interface ResponseHandler {
        void onResponse(Association as, int pcid, DimseCommand response, InputStream datasetOrNull)
                throws IOException;

        default void onClosed(Association as) {
        }
    }

    private final DicomServiceRegistry registry;
    private final Executor findExecutor;
    private final ResponseHandler responses;
    private final Map<Association, Map<Integer, FindTask>> runningFinds = new ConcurrentHashMap<>();

    /**
     * @param findExecutor runs C-FIND handlers; should be bounded and reject when full (answered A700H)
     * @param responses    null on a pure acceptor: responses are then logged and ignored
     */
    public ServiceDispatcher(DicomServiceRegistry registry, Executor findExecutor, ResponseHandler responses) {
        this.registry = Objects.requireNonNull(registry);
        this.findExecutor = Objects.requireNonNull(findExecutor);
        this.responses = responses;
    }

    @Override
    public void onMessage(Association as, int pcid, byte[] command, InputStream dataset) throws IOException {
        DimseCommand cmd;
        try {
            cmd = DimseCommand.decode(command);
        } catch (DicomStreamException e) {
            throw new IOException("command set cannot be decoded (PS3.7 §6.3.1): " + e.getMessage(), e);
        }
        int cf = cmd.commandField();
        if (cf < 0) {
            throw new IOException("command set without Command Field (0000,0100)");
        }
        if ((cf & 0x8000) != 0) {
            onResponse(as, pcid, cmd, dataset);
            return;
        }
        if (cf == Dimse.C_CANCEL_RQ.commandField()) {
            cancel(as, cmd.messageIdBeingRespondedTo());
            return;
        }
        if (cmd.messageId() < 0) {
            throw new IOException("request (command field " + String.format("%04XH", cf)
                    + ") without Message ID (0000,0110) cannot be answered");
        }
        PresentationContext pc = as.context(pcid).orElseThrow(() -> new IOException("no context " + pcid));
        RequestContext ctx = new RequestContext(as, pcid, TransferSyntax.of(pc.transferSyntax()), cmd);
        LOG.debug("{} >> {}", as.name(), cmd);
        Dimse dimse = cmd.dimse().orElse(null);
        if (dimse == null || !dimse.isRequest()) {
            drain(dataset);
            refuse(ctx, cf | 0x8000, Status.UNRECOGNIZED_OPERATION, "unknown command field "
                    + String.format("%04XH", cf));
            return;
        }
        List<Integer> missing = cmd.missingElements();
        if (!missing.isEmpty() || cmd.dataSetTypeMismatch()) {
            drain(dataset);
            int[] offending = missing.isEmpty() ? new int[] {Tag.CommandDataSetType}
                    : missing.stream().mapToInt(Integer::intValue).toArray();
            String why = missing.isEmpty() ? "Command Data Set Type (0000,0800) contradicts " + dimse
                    : "missing " + DimseCommand.tagsToString(missing) + " in " + dimse;
            refuse(ctx, dimse.commandField() | 0x8000, new DicomServiceException(Status.MISSING_ATTRIBUTE, why,
                    offending));
            return;
        }
        String cuid = cmd.sopClassUid();
        if (!registry.supports(cuid)) {
            drain(dataset);
            refuse(ctx, dimse.commandField() | 0x8000, Status.SOP_CLASS_NOT_SUPPORTED,
                    "SOP class " + cuid + " not supported");
            return;
        }
        switch (dimse) {
            case C_ECHO_RQ -> echo(ctx);
            case C_STORE_RQ -> store(ctx, dataset);
            case C_FIND_RQ -> find(ctx, dataset);
            case N_CREATE_RQ, N_SET_RQ, N_GET_RQ, N_ACTION_RQ, N_EVENT_REPORT_RQ, N_DELETE_RQ ->
                    nService(ctx, dimse, dataset);
            default -> {
                drain(dataset);
                refuse(ctx, dimse.commandField() | 0x8000, Status.UNRECOGNIZED_OPERATION,
                        dimse + " not supported");
            }
        }
    }

    @Override
    public void onClosed(Association as) {
        Map<Integer, FindTask> finds = runningFinds.remove(as);
        if (finds != null) {
            finds.values().forEach(FindTask::cancel);
        }
        ResponseHandler handler = responses != null ? responses : registry.responses();
        if (handler != null) {
            handler.onClosed(as);
        }
    }

    // ---------------------------------------------------------------- C-ECHO

    private void echo(RequestContext ctx) throws IOException {
        CEchoHandler h = handler(ctx, Dimse.C_ECHO_RQ, CEchoHandler.class);
        if (h == null) {
            return;
        }
        try {
            h.echo(ctx);
            respond(ctx, DimseCommand.response(ctx.command(), Status.SUCCESS, false), null);
        } catch (DicomServiceException e) {
            respondFailure(ctx, e);
        } catch (RuntimeException e) {
            respondFailure(ctx, handlerFailed(ctx, Dimse.C_ECHO_RQ, e, Status.PROCESSING_FAILURE));
        }
    }

    // ---------------------------------------------------------------- C-STORE

    private void store(RequestContext ctx, InputStream dataset) throws IOException {
        CStoreHandler h = handler(ctx, Dimse.C_STORE_RQ, CStoreHandler.class);
        if (h == null) {
            drain(dataset);
            return;
        }
        TrackingInputStream in = new TrackingInputStream(dataset);
        DimseCommand cmd = ctx.command();
        Status status;
        DicomServiceException failure = null;
        try {
            status = h.store(new StoreRequest(ctx, cmd.sopClassUid(), cmd.sopInstanceUid(), ctx.transferSyntax(),
                    cmd.priority(), in));
            if (status == null) {
                status = Status.SUCCESS;
            }
        } catch (DicomServiceException e) {
            status = e.status();
            failure = e;
        } catch (IOException | RuntimeException e) {
            if (in.networkFailure() != null) {
                throw in.networkFailure(); // the association itself is broken: A-ABORT
            }
            failure = handlerFailed(ctx, Dimse.C_STORE_RQ, e, Status.UNABLE_TO_PROCESS);
            status = failure.status();
        }
        in.drain(); // PS3.7 §9.1.1: the whole data set is received before the response
        if (failure != null) {
            respondFailure(ctx, failure);
        } else {
            respond(ctx, DimseCommand.response(cmd, status, false), null);
        }
    }

    // ---------------------------------------------------------------- C-FIND

    private void find(RequestContext ctx, InputStream dataset) throws IOException {
        CFindHandler h = handler(ctx, Dimse.C_FIND_RQ, CFindHandler.class);
        if (h == null) {
            drain(dataset);
            return;
        }
        Attributes keys;
        try {
            keys = readDataset(dataset, ctx.transferSyntax());
        } catch (DicomStreamException e) {
            drain(dataset);
            LOG.warn("{} C-FIND-RQ from {} {}: Identifier cannot be decoded: {}; answering C000H", ctx.association()
                    .name(), ctx.remoteAeTitle(), ctx.remoteAddress(), e.getMessage());
            respondFailure(ctx, new DicomServiceException(Status.UNABLE_TO_PROCESS,
                    "Identifier cannot be decoded"));
            return;
        }
        FindTask task = new FindTask(ctx, h, new FindRequest(ctx, ctx.command().sopClassUid(),
                ctx.command().priority(), keys));
        Map<Integer, FindTask> finds = runningFinds.computeIfAbsent(ctx.association(),
                k -> new ConcurrentHashMap<>());
        finds.put(ctx.messageId(), task);
        try {
            findExecutor.execute(task);
        } catch (RejectedExecutionException e) {
            finds.remove(ctx.messageId());
            LOG.warn("{} C-FIND-RQ from {} {}: no worker free; answering A700H", ctx.association().name(),
                    ctx.remoteAeTitle(), ctx.remoteAddress());
            respondFailure(ctx, new DicomServiceException(Status.OUT_OF_RESOURCES, "too many queries at once"));
        }
    }

    /** PS3.7 §9.3.2.3: C-CANCEL-RQ names the C-FIND by Message ID Being Responded To; it has no response. */
    private void cancel(Association as, int messageId) {
        Map<Integer, FindTask> finds = runningFinds.get(as);
        FindTask t = finds == null ? null : finds.get(messageId);
        if (t != null) {
            LOG.debug("{} >> C-CANCEL-RQ for msg {}", as.name(), messageId);
            t.cancel();
        } else {
            LOG.debug("{} >> C-CANCEL-RQ for msg {}: no such operation running (ignored)", as.name(), messageId);
        }
    }

    /** One C-FIND on a worker: a Pending response per match, then the final one. */
    private final class FindTask implements Runnable {
        private final RequestContext ctx;
        private final CFindHandler handler;
        private final FindRequest request;
        private volatile boolean cancelled;

        FindTask(RequestContext ctx, CFindHandler handler, FindRequest request) {
            this.ctx = ctx;
            this.handler = handler;
            this.request = request;
        }

        void cancel() {
            cancelled = true;
        }

        @Override
        public void run() {
            Status finalStatus = Status.SUCCESS;
            DicomServiceException failure = null;
            int sent = 0;
            Matches matches = null;
            try {
                matches = handler.find(request);
                Status pending = matches.optionalKeysUnsupported() ? Status.PENDING_WARNING : Status.PENDING;
                int limit = matches.limit();
                boolean trimmed = matches.trimmed();
                while (true) {
                    if (cancelled) {
                        finalStatus = Status.CANCEL;
                        break;
                    }
                    if (!matches.hasNext()) {
                        break;
                    }
                    Attributes match = matches.next();
                    if (cancelled) {
                        finalStatus = Status.CANCEL;
                        break;
                    }
                    if (limit > 0 && sent == limit) {
                        failure = new DicomServiceException(Status.OUT_OF_RESOURCES,
                                "more than " + limit + " matches; narrow the query");
                        LOG.warn("{} C-FIND from {}: more than {} matches; answering A700H",
                                ctx.association().name(), ctx.remoteAeTitle(), limit);
                        break;
                    }
                    respond(ctx, DimseCommand.response(ctx.command(), pending, true),
                            trimmed ? match : ReturnKeys.trim(match, request.keys()));
                    sent++;
                }
            } catch (DicomServiceException e) {
                failure = e;
            } catch (IOException e) {
                LOG.debug("{} C-FIND response not sent: {}", ctx.association().name(), e.toString());
                finish();
                close(matches);
                return; // the association is gone
            } catch (RuntimeException e) {
                failure = handlerFailed(ctx, Dimse.C_FIND_RQ, e, Status.UNABLE_TO_PROCESS);
            }
            close(matches);
            try {
                if (failure != null) {
                    respondFailure(ctx, failure);
                } else {
                    respond(ctx, DimseCommand.response(ctx.command(), finalStatus, false), null);
                }
                LOG.debug("{} C-FIND msg {}: {} match(es), final {}", ctx.association().name(), ctx.messageId(),
                        sent, failure != null ? failure.status() : finalStatus);
            } catch (IOException e) {
                LOG.debug("{} C-FIND final response not sent: {}", ctx.association().name(), e.toString());
            } finally {
                finish();
            }
        }

        private void finish() {
            Map<Integer, FindTask> finds = runningFinds.get(ctx.association());
            if (finds != null) {
                finds.remove(ctx.messageId(), this);
            }
        }

        private void close(Matches m) {
            if (m != null) {
                try {
                    m.close();
                } catch (RuntimeException e) {
                    LOG.warn("{} closing C-FIND matches failed: {}", ctx.association().name(), e.toString());
                }
            }
        }
    }

    // ---------------------------------------------------------------- N-services

    private void nService(RequestContext ctx, Dimse dimse, InputStream dataset) throws IOException {
        Class<?> type = switch (dimse) {
            case N_CREATE_RQ -> NCreateHandler.class;
            case N_SET_RQ -> NSetHandler.class;
            case N_GET_RQ -> NGetHandler.class;
            case N_ACTION_RQ -> NActionHandler.class;
            case N_EVENT_REPORT_RQ -> NEventReportHandler.class;
            default -> NDeleteHandler.class;
        };
        Object h = handler(ctx, dimse, type);
        if (h == null) {
            drain(dataset);
            return;
        }
        Attributes data = null;
        if (dataset != null) {
            try {
                data = readDataset(dataset, ctx.transferSyntax());
            } catch (DicomStreamException e) {
                drain(dataset);
                LOG.warn("{} {} from {} {}: data set cannot be decoded: {}; answering 0110H",
                        ctx.association().name(), dimse, ctx.remoteAeTitle(), ctx.remoteAddress(), e.getMessage());
                respondFailure(ctx, new DicomServiceException(Status.PROCESSING_FAILURE,
                        "data set cannot be decoded"));
                return;
            }
        }
        DimseCommand c = ctx.command();
        String cuid = c.sopClassUid();
        String iuid = c.sopInstanceUid();
        NResult result;
        try {
            result = switch (dimse) {
                case N_CREATE_RQ -> ((NCreateHandler) h).create(new NCreateRequest(ctx, cuid, iuid, data));
                case N_SET_RQ -> ((NSetHandler) h).set(new NSetRequest(ctx, cuid, iuid, data));
                case N_GET_RQ -> ((NGetHandler) h).get(new NGetRequest(ctx, cuid, iuid,
                        c.attributeIdentifierList()));
                case N_ACTION_RQ -> ((NActionHandler) h).action(new NActionRequest(ctx, cuid, iuid,
                        c.actionTypeId(), data));
                case N_EVENT_REPORT_RQ -> ((NEventReportHandler) h).eventReport(new NEventReportRequest(ctx, cuid,
                        iuid, c.eventTypeId(), data));
                default -> ((NDeleteHandler) h).delete(new NDeleteRequest(ctx, cuid, iuid));
            };
        } catch (DicomServiceException e) {
            respondFailure(ctx, e);
            return;
        } catch (RuntimeException e) {
            respondFailure(ctx, handlerFailed(ctx, dimse, e, Status.PROCESSING_FAILURE));
            return;
        }
        if (result == null) {
            result = NResult.success();
        }
        Attributes reply = result.dataset();
        DimseCommand rsp = DimseCommand.response(c, result.status(), reply != null);
        if (result.affectedSopInstanceUid() != null) {
            rsp.setAffectedSopInstanceUid(result.affectedSopInstanceUid());
        }
        respond(ctx, rsp, reply);
    }

    // ---------------------------------------------------------------- responses

    private void onResponse(Association as, int pcid, DimseCommand rsp, InputStream dataset) throws IOException {
        ResponseHandler handler = responses != null ? responses : registry.responses();
        if (handler != null) {
            handler.onResponse(as, pcid, rsp, dataset);
        } else {
            drain(dataset);
            LOG.warn("{} unexpected {} from {} {} (we sent no request); ignored", as.name(), rsp,
                    as.remoteAeTitle(), as.remoteAddress());
        }
    }

    private <H> H handler(RequestContext ctx, Dimse dimse, Class<H> type) throws IOException {
        H h = registry.handler(ctx.command().sopClassUid(), dimse, type).orElse(null);
        if (h == null) {
            refuse(ctx, dimse.commandField() | 0x8000, Status.UNRECOGNIZED_OPERATION,
                    dimse + " not supported for " + ctx.command().sopClassUid());
        }
        return h;
    }

    private DicomServiceException handlerFailed(RequestContext ctx, Dimse dimse, Exception e, Status status) {
        LOG.warn("{} {} from {} {} failed in the handler: {}; answering {}", ctx.association().name(), dimse,
                ctx.remoteAeTitle(), ctx.remoteAddress(), e.toString(), status);
        LOG.debug("handler failure", e);
        String msg = e.getMessage() != null ? e.getClass().getSimpleName() + ": " + e.getMessage()
                : e.getClass().getSimpleName();
        return new DicomServiceException(status, msg);
    }

    private void refuse(RequestContext ctx, int responseField, Status status, String comment) throws IOException {
        refuse(ctx, responseField, new DicomServiceException(status, comment));
    }

    private void refuse(RequestContext ctx, int responseField, DicomServiceException e) throws IOException {
        LOG.warn("{} {} from {} {}: {}; answering {}", ctx.association().name(), ctx.command(),
                ctx.remoteAeTitle(), ctx.remoteAddress(), e.getMessage(), e.status());
        DimseCommand rsp = DimseCommand.of(new Attributes());
        rsp.setUS(Tag.CommandField, responseField);
        rsp.setUS(Tag.MessageIDBeingRespondedTo, ctx.messageId());
        String cuid = ctx.command().sopClassUid();
        if (cuid != null) {
            rsp.attributes().setString(Tag.AffectedSOPClassUID, org.orderly.dicom.data.VR.UI, cuid);
        }
        rsp.setUS(Tag.CommandDataSetType, DimseCommand.NO_DATA_SET);
        e.applyTo(rsp);
        respond(ctx, rsp, null);
    }

    private void respondFailure(RequestContext ctx, DicomServiceException e) throws IOException {
        DimseCommand rsp = DimseCommand.response(ctx.command(), e.status(), false);
        e.applyTo(rsp);
        respond(ctx, rsp, null);
    }

    private static void respond(RequestContext ctx, DimseCommand rsp, Attributes dataset) throws IOException {
        LOG.debug("{} << {}", ctx.association().name(), rsp);
        if (dataset == null) {
            ctx.association().send(ctx.pcid(), rsp.encode(), null);
        } else {
            byte[] data = DatasetCodec.encode(dataset, ctx.transferSyntax());
            ctx.association().send(ctx.pcid(), rsp.encode(), out -> out.write(data));
        }
    }

    static Attributes readDataset(InputStream in, TransferSyntax ts) throws IOException {
        DicomInputStream din = new DicomInputStream(in).maxValueLength(MAX_IDENTIFIER_VALUE_LENGTH);
        return din.readDataset(ts);
    }

    static void drain(InputStream in) throws IOException {
        if (in != null) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
