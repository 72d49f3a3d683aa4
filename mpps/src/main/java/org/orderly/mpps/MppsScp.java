package org.orderly.mpps;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.net.dimse.Status;
import org.orderly.dicom.net.service.DicomServiceException;
import org.orderly.dicom.net.service.DicomServiceRegistry;
import org.orderly.dicom.net.service.NCreateRequest;
import org.orderly.dicom.net.service.NGetRequest;
import org.orderly.dicom.net.service.NResult;
import org.orderly.dicom.net.service.NSetRequest;
import org.orderly.mpps.store.MppsRecord;
import org.orderly.mpps.store.MppsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MPPS SCP: Modality Performed Procedure Step SOP Class (PS3.4 §F.7, UID 1.2.840.10008.3.1.2.3.3) N-CREATE and
 * N-SET, and the Modality Performed Procedure Step Retrieve SOP Class (PS3.4 §F.8, 1.2.840.10008.3.1.2.3.4) N-GET.
 *
 * <p>Each request is validated ({@link MppsValidator}), then committed ({@link MppsStore}: instance + worklist step
 * status + outbox row in one transaction) BEFORE the response is returned; only then is {@code onCommitted} told
 * (it wakes the relay - a lost wake-up only delays, the relay also polls). One INFO line per operation with UIDs and
 * AE titles, never patient data.
 */
public final class MppsScp {

    private static final Logger LOG = LoggerFactory.getLogger(MppsScp.class);

    private final MppsStore store;
    private final Consumer<MppsStore.Committed> onCommitted;

    public MppsScp(MppsStore store, Consumer<MppsStore.Committed> onCommitted) {
        this.store = Objects.requireNonNull(store, "store");
        this.onCommitted = Objects.requireNonNull(onCommitted, "onCommitted");
    }

    /** Registers N-CREATE, N-SET (MPPS SOP Class) and N-GET (MPPS Retrieve SOP Class). */
    public void register(DicomServiceRegistry registry) {
        registry.nCreate(UID.ModalityPerformedProcedureStep, this::create);
        registry.nSet(UID.ModalityPerformedProcedureStep, this::set);
        registry.nGet(UID.ModalityPerformedProcedureStepRetrieve, this::get);
    }

    /** N-CREATE, PS3.4 §F.7.2.1: the Attribute List of a new instance; the response carries it back. */
    public NResult create(NCreateRequest rq) throws DicomServiceException {
        Attributes attrs = rq.attributes() == null ? new Attributes() : rq.attributes();
        String iuid = rq.sopInstanceUid() == null || rq.sopInstanceUid().isBlank() ? newUid() : rq.sopInstanceUid().strip();
        try {
            MppsStatus status = MppsValidator.validateCreate(attrs);
            MppsStore.Committed done = store.create(iuid, attrs, rq.context().remoteAeTitle(), status);
            LOG.info("mpps {} N-CREATE {} {} ({})", rq.context(), iuid, status.term(),
                    done.instance().unscheduled() ? "UNSCHEDULED" : "scheduled");
            onCommitted.accept(done);
            return NResult.created(iuid, attrs);
        } catch (DicomServiceException e) {
            LOG.info("mpps {} N-CREATE {} refused: {} {}", rq.context(), iuid, e.status(), e.getMessage());
            throw e;
        } catch (SQLException e) {
            throw failure(rq.context() + " N-CREATE " + iuid, e);
        }
    }

    /** N-SET, PS3.4 §F.7.2.2: the Modification List; the response carries the attributes set. */
    public NResult set(NSetRequest rq) throws DicomServiceException {
        String iuid = rq.sopInstanceUid();
        Attributes mods = rq.modifications() == null ? new Attributes() : rq.modifications();
        try {
            MppsStore.Committed done = store.set(iuid, mods, rq.context().remoteAeTitle(), MppsValidator::validateSet);
            LOG.info("mpps {} N-SET {} {}", rq.context(), iuid, done.instance().status().term());
            onCommitted.accept(done);
            return NResult.success(mods);
        } catch (DicomServiceException e) {
            LOG.info("mpps {} N-SET {} refused: {} {}", rq.context(), iuid, e.status(), e.getMessage());
            throw e;
        } catch (SQLException e) {
            throw failure(rq.context() + " N-SET " + iuid, e);
        }
    }

    /** N-GET, PS3.4 §F.8: the requested attributes of an instance (all when the identifier list is empty). */
    public NResult get(NGetRequest rq) throws DicomServiceException {
        MppsRecord r;
        try {
            r = store.get(rq.sopInstanceUid()).orElseThrow(() -> new DicomServiceException(Status.NO_SUCH_SOP_INSTANCE,
                    "no such MPPS instance"));
        } catch (SQLException e) {
            throw failure(rq.context() + " N-GET " + rq.sopInstanceUid(), e);
        }
        int[] ids = rq.attributeIdentifiers();
        if (ids == null || ids.length == 0) {
            return NResult.success(r.attributes());
        }
        java.util.Set<Integer> wanted = new java.util.HashSet<>();
        for (int tag : ids) {
            wanted.add(tag);
        }
        Attributes out = new Attributes(r.attributes());
        for (int tag : out.tags()) {
            if (!wanted.contains(tag)) {
                out.remove(tag);
            }
        }
        for (int tag : ids) {
            if (!out.contains(tag)) {
                out.setNull(tag, org.orderly.dicom.data.ElementDictionary.implicitVR(tag)); // asked for, not set
            }
        }
        return NResult.success(out);
    }

    private static DicomServiceException failure(String what, SQLException e) {
        LOG.warn("mpps {}: database failure {}", what, e.toString());
        return new DicomServiceException(Status.PROCESSING_FAILURE, "database failure; not stored, please retry", e);
    }

    /** A UID from a UUID, PS3.5 §B.2. */
    static String newUid() {
        UUID u = UUID.randomUUID();
        ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }
}
