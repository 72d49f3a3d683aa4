package org.orderly.broker.storage;

import java.io.IOException;
import org.orderly.dicom.io.DicomStreamException;
import org.orderly.dicom.net.dimse.Status;
import org.orderly.dicom.net.service.CStoreHandler;
import org.orderly.dicom.net.service.DicomServiceException;
import org.orderly.dicom.net.service.StoreRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * C-STORE SCP for every storage SOP class (PS3.4 Annex B): the object is spooled durably, handed over for routing
 * (queued on JMS by {@link RoutingQueue}, off the response path), then answered. Statuses (PS3.4 B.2.3, PS3.7 Annex C.4.2):
 * <ul>
 *   <li>0000H Success: the file is on disk (fsync) - whatever happens next, it is not lost.</li>
 *   <li>A700H Refused: out of resources - the spool is below {@code orderly.storage.min-free-mb} or the disk is full.</li>
 *   <li>A900H Error: data set does not match SOP class - its (0008,0016) differs from the Affected SOP Class UID.</li>
 *   <li>C000H Error: cannot understand - the data set does not parse (e.g. a bad length inside).</li>
 * </ul>
 * Each failure is one WARN line naming the peer and the reason; the association goes on.
 */
public final class StorageScp implements CStoreHandler {
    private static final Logger LOG = LoggerFactory.getLogger(StorageScp.class);

    /**
     * Hands a durable object over for routing. It may return before the routing message is in the JMS journal: the
     * spool's start-up scan routes every object still in the spool, so Success never depends on the queue.
     */
    @FunctionalInterface
    public interface Router {
        void enqueue(SpooledObject o) throws Exception;
    }

    private final SpoolStore spool;
    private final Router router;

    public StorageScp(SpoolStore spool, Router router) {
        this.spool = spool;
        this.router = router;
    }

    @Override
    public Status store(StoreRequest rq) throws DicomServiceException, IOException {
        SpooledObject o;
        try {
            o = spool.receive(rq.sopClassUid(), rq.sopInstanceUid(), rq.transferSyntax(), rq.callingAeTitle(),
                    rq.context().localAeTitle(), rq.dataset());
        } catch (SpoolStore.OutOfSpaceException e) {
            LOG.warn("{} C-STORE {} refused A700: {}", rq.context(), rq.sopInstanceUid(), e.getMessage());
            throw new DicomServiceException(Status.OUT_OF_RESOURCES, "Out of resources: spool full", e);
        } catch (DicomStreamException e) {
            LOG.warn("{} C-STORE {} refused C000: data set does not parse: {}", rq.context(), rq.sopInstanceUid(),
                    e.getMessage());
            throw new DicomServiceException(Status.UNABLE_TO_PROCESS, "Cannot understand: corrupt data set", e);
        }
        String dsCuid = (String) o.headers().get(org.orderly.camel.dicom.DicomConstants.SOP_CLASS_UID);
        if (dsCuid != null && !dsCuid.equals(rq.sopClassUid())) {
            spool.discard(o.id()); // refused
            LOG.warn("{} C-STORE {} refused A900: data set SOP class {} is not the affected {}", rq.context(),
                    rq.sopInstanceUid(), dsCuid, rq.sopClassUid());
            throw new DicomServiceException(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS,
                    "Data set does not match SOP class", org.orderly.dicom.data.Tag.SOPClassUID);
        }
        try {
            router.enqueue(o);
        } catch (Exception e) {
            // durable already: the start-up recovery routes it (everything left in objects/ is routed again)
            LOG.error("{} C-STORE {}: spooled as {} but not queued for routing ({}); routed at next start",
                    rq.context(), rq.sopInstanceUid(), o.id(), e.toString());
        }
        LOG.debug("{} C-STORE {} spooled as {}", rq.context(), rq.sopInstanceUid(), o.id());
        return Status.SUCCESS;
    }
}
