package org.orderly.mwl.scp;

import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.net.dimse.Status;
import org.orderly.dicom.net.service.CFindHandler;
import org.orderly.dicom.net.service.DicomServiceException;
import org.orderly.dicom.net.service.DicomServiceRegistry;
import org.orderly.dicom.net.service.FindRequest;
import org.orderly.dicom.net.service.Matches;
import org.orderly.dicom.net.service.RequestContext;
import org.orderly.mwl.access.CallingAeRule;
import org.orderly.mwl.access.MwlAccessPolicy;
import org.orderly.mwl.charset.CharsetTranscoder;
import org.orderly.mwl.log.QueryKeys;
import org.orderly.mwl.log.QueryLog;
import org.orderly.mwl.log.QueryLogEntry;
import org.orderly.mwl.query.InvalidQueryException;
import org.orderly.mwl.query.MatchOptions;
import org.orderly.mwl.query.WorklistCursor;
import org.orderly.mwl.query.WorklistQuery;
import org.orderly.mwl.store.WorklistStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The C-FIND SCP of the Modality Worklist Information Model - FIND (1.2.840.10008.5.1.4.31, PS3.4 Annex K):
 * compiles the Identifier into a {@link WorklistQuery} and streams the store's matches, one Pending response each,
 * while the framework sends them (PS3.4 §C.4.1.3.1.1).
 *
 * <p>Per calling AE ({@link MwlAccessPolicy}, read per query so that a reloaded rules file applies to the next
 * query): the caller's {@link CallingAeRule} coerces the query (ignored keys), restricts what it sees (station AE
 * titles, modalities, worklist labels; the calling AE as station AE when the query has none) and chooses the
 * Specific Character Set of the answers ({@link CharsetTranscoder}). A caller without a rule while unknown callers
 * are refused (the rules changed during its association) gets 0124H "Refused: not authorized" (PS3.7 Annex C).
 *
 * <p>Statuses (PS3.4 §C.4.1.1.4, as Annex K applies them to the worklist): a malformed key (e.g. a bad date range) is
 * Failure A900H "Identifier does not match SOP Class" with the Offending Element; a database failure is C000H
 * "Unable to process"; more matches than {@link MatchOptions#maxAnswers()} stop after that many and end with A700H
 * "Refused: Out of resources" asking the modality to narrow its query (a cut list is never presented as complete);
 * a C-CANCEL closes the cursor and ends with FE00H "Matching terminated due to Cancel" (PS3.4 §C.4.1.2.3). The
 * framework closes the matches (and so the database cursor) whatever happens.
 *
 * <p>Answers are trimmed here, once, by {@link WorklistQuery#trim} (return keys the item lacks come back
 * zero-length, PS3.4 §C.2.2.1.2), and flagged {@link Matches#trimmed()} so that the framework does not trim again.
 *
 * <p>Every query is reported to the {@link QueryLog} (calling AE, keys, answers, status, time) and logged at INFO
 * without PHI: calling AE, number of answers, milliseconds, status.
 */
public final class MwlFindScp implements CFindHandler {
    private static final Logger LOG = LoggerFactory.getLogger(MwlFindScp.class);

    private final WorklistStore store;
    private final MatchOptions options;
    private final Supplier<MwlAccessPolicy> access;
    private final QueryLog queryLog;
    private final Map<String, CharsetTranscoder> transcoders = new ConcurrentHashMap<>();

    /** Everybody sees everything, no query log. */
    public MwlFindScp(WorklistStore store, MatchOptions options) {
        this(store, options, () -> MwlAccessPolicy.OPEN, QueryLog.NONE);
    }

    /**
     * @param access   read for every query (return the current rules)
     * @param queryLog receives one entry per query; must not block
     */
    public MwlFindScp(WorklistStore store, MatchOptions options, Supplier<MwlAccessPolicy> access,
            QueryLog queryLog) {
        this.store = Objects.requireNonNull(store, "store");
        this.options = Objects.requireNonNull(options, "options");
        this.access = Objects.requireNonNull(access, "access");
        this.queryLog = Objects.requireNonNull(queryLog, "queryLog");
    }

    /** Registers this handler for Modality Worklist Information Model - FIND. */
    public DicomServiceRegistry register(DicomServiceRegistry registry) {
        return registry.cFind(UID.ModalityWorklistInformationModelFind, this);
    }

    @Override
    public Matches find(FindRequest request) throws DicomServiceException {
        Trace trace = new Trace(request.context(), request.keys());
        String calling = request.context().remoteAeTitle();
        Optional<CallingAeRule> found = access.get().ruleFor(calling);
        if (found.isEmpty()) {
            trace.finish(0, Status.NOT_AUTHORIZED);
            throw new DicomServiceException(Status.NOT_AUTHORIZED, "no worklist rule for calling AE " + calling);
        }
        CallingAeRule rule = found.get();
        trace.rule = rule.name();
        WorklistQuery query;
        try {
            Attributes keys = rule.coerce(request.keys());
            // the limit is applied by the framework (Matches.limit), which then answers A700H
            query = WorklistQuery.compile(keys, options.withMaxAnswers(0), rule.restriction(keys, calling));
        } catch (InvalidQueryException e) {
            LOG.info("{}: worklist query refused: {}", request.context(), e.getMessage());
            trace.finish(0, Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS);
            throw new DicomServiceException(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, e.getMessage(), e.tag());
        }
        WorklistCursor cursor;
        try {
            cursor = store.find(query);
        } catch (SQLException e) {
            LOG.warn("{}: worklist database failed: {}", request.context(), e.getMessage());
            trace.finish(0, Status.UNABLE_TO_PROCESS);
            throw new DicomServiceException(Status.UNABLE_TO_PROCESS, "worklist database unavailable", e);
        }
        LOG.debug("{}: worklist query {}", request.context(), query.sql());
        CharsetTranscoder transcoder = rule.answerCharset() == null ? null
                : transcoders.computeIfAbsent(rule.answerCharset(), CharsetTranscoder::new);
        return new CursorMatches(cursor, options.maxAnswers(), transcoder, trace);
    }

    /** Timing and identity of one query, for the query log and the INFO line. */
    private final class Trace {
        final RequestContext ctx;
        final Attributes keys;
        final OffsetDateTime at = OffsetDateTime.now();
        final long t0 = System.nanoTime();
        String rule = "";

        Trace(RequestContext ctx, Attributes keys) {
            this.ctx = ctx;
            this.keys = keys;
        }

        void finish(int answers, Status status) {
            long micros = (System.nanoTime() - t0) / 1000;
            String st = String.format("%04X %s", status.code(), status.description());
            LOG.info("{}: MWL C-FIND from {}: {} answer(s) in {} ms, {}", ctx.association().name(),
                    ctx.remoteAeTitle(), answers, String.format("%.1f", micros / 1000.0), st);
            queryLog.record(new QueryLogEntry(0, at, ctx.remoteAeTitle(), ctx.localAeTitle(), ctx.remoteAddress(),
                    QueryKeys.line(keys), rule, answers, st, micros));
        }
    }

    /** A cursor as framework matches: closed by the framework on completion, failure or C-CANCEL. */
    private static final class CursorMatches implements Matches {
        private final WorklistCursor cursor;
        private final int limit;
        private final CharsetTranscoder transcoder;
        private final Trace trace;
        private int given;
        private boolean exhausted;
        private boolean failed;

        CursorMatches(WorklistCursor cursor, int limit, CharsetTranscoder transcoder, Trace trace) {
            this.cursor = cursor;
            this.limit = limit;
            this.transcoder = transcoder;
            this.trace = trace;
        }

        @Override
        public boolean hasNext() {
            try {
                boolean more = cursor.hasNext();
                exhausted = !more;
                return more;
            } catch (RuntimeException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public Attributes next() {
            Attributes a = cursor.next();
            given++;
            return transcoder == null ? a : transcoder.transcode(a);
        }

        @Override
        public int limit() {
            return limit;
        }

        @Override
        public boolean trimmed() {
            return true;
        }

        @Override
        public void close() {
            cursor.close();
            Status status;
            int answers = given;
            if (failed) {
                status = Status.UNABLE_TO_PROCESS;
            } else if (limit > 0 && given > limit) {
                status = Status.OUT_OF_RESOURCES;
                answers = limit;
            } else if (exhausted) {
                status = Status.SUCCESS;
            } else {
                status = Status.CANCEL; // C-CANCEL, or the association went away
            }
            trace.finish(answers, status);
        }
    }
}
