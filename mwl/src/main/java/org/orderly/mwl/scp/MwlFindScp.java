package org.orderly.mwl.scp;

import java.sql.SQLException;
import java.util.Objects;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.net.dimse.Status;
import org.orderly.dicom.net.service.CFindHandler;
import org.orderly.dicom.net.service.DicomServiceException;
import org.orderly.dicom.net.service.DicomServiceRegistry;
import org.orderly.dicom.net.service.FindRequest;
import org.orderly.dicom.net.service.Matches;
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
 * <p>Statuses (PS3.4 §C.4.1.1.4, as Annex K applies them to the worklist): a malformed key (e.g. a bad date range) is Failure
 * A900H "Identifier does not match SOP Class" with the Offending Element; a database failure is C000H "Unable to
 * process"; more matches than {@link MatchOptions#maxAnswers()} stop after that many and end with A700H "Refused:
 * Out of resources" asking the modality to narrow its query (the framework's rule for {@link Matches#limit()}: a cut
 * list is never presented as complete); a C-CANCEL closes the cursor and ends with FE00H "Matching terminated due to
 * Cancel" (PS3.4 §C.4.1.2.3). The framework closes the matches (and so the database cursor) whatever happens.
 *
 * <p>Wiring: {@code new MwlFindScp(new WorklistStore(dataSource), options).register(registry)} on the registry of
 * the broker's {@code DicomServer}.
 */
public final class MwlFindScp implements CFindHandler {
    private static final Logger LOG = LoggerFactory.getLogger(MwlFindScp.class);

    private final WorklistStore store;
    private final MatchOptions options;

    public MwlFindScp(WorklistStore store, MatchOptions options) {
        this.store = Objects.requireNonNull(store, "store");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Registers this handler for Modality Worklist Information Model - FIND. */
    public DicomServiceRegistry register(DicomServiceRegistry registry) {
        return registry.cFind(UID.ModalityWorklistInformationModelFind, this);
    }

    @Override
    public Matches find(FindRequest request) throws DicomServiceException {
        WorklistQuery query;
        try {
            // the limit is applied by the framework (Matches.limit), which then answers A700H
            query = WorklistQuery.compile(request.keys(), options.withMaxAnswers(0));
        } catch (InvalidQueryException e) {
            LOG.info("{}: worklist query refused: {}", request.context(), e.getMessage());
            throw new DicomServiceException(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, e.getMessage(), e.tag());
        }
        WorklistCursor cursor;
        try {
            cursor = store.find(query);
        } catch (SQLException e) {
            LOG.warn("{}: worklist database failed: {}", request.context(), e.getMessage());
            throw new DicomServiceException(Status.UNABLE_TO_PROCESS, "worklist database unavailable", e);
        }
        LOG.debug("{}: worklist query {}", request.context(), query.sql());
        return Matches.limited(new CursorMatches(cursor), options.maxAnswers(), false);
    }

    /** A cursor as framework matches: closed by the framework on completion, failure or C-CANCEL. */
    private record CursorMatches(WorklistCursor cursor) implements Matches {
        @Override
        public boolean hasNext() {
            return cursor.hasNext();
        }

        @Override
        public Attributes next() {
            return cursor.next();
        }

        @Override
        public void close() {
            cursor.close();
        }
    }
}
