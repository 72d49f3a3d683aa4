package org.orderly.dicom.net.acse;

import java.io.IOException;
import java.io.InputStream;

/**
 * Receives the DIMSE messages of one association (PS3.7 §6.3, PS3.8 Annex E): a command set and, if the command
 * says one follows, a data set as a stream. Called on the association's single reader thread, in arrival order.
 */
@FunctionalInterface
public interface DimseMessageHandler {

    /**
     * One message.
     *
     * @param as         the association; {@link Association#send} may be called from here or from any thread
     * @param pcid       the presentation context ID of the message (an accepted context)
     * @param command    the complete command set (Implicit VR Little Endian, PS3.7 §6.3.1), at most
     *                   {@link AssociationSettings#maxCommandLength()} bytes
     * @param datasetOrNull the data set, read lazily from successive P-DATA-TF PDUs; {@code null} when the
     *                   command's Command Data Set Type is 0101H. Whatever the handler does not read is read and
     *                   discarded after it returns; the reader thread blocks until then.
     * @throws IOException if handling fails; the association is aborted (a DIMSE layer should turn operation
     *                     failures into a failure status instead)
     */
    void onMessage(Association as, int pcid, byte[] command, InputStream datasetOrNull) throws IOException;

    /** The association is established (after A-ASSOCIATE-AC). */
    default void onEstablished(Association as) {
    }

    /** The association is over (released, aborted or transport closed); no more messages follow. */
    default void onClosed(Association as) {
    }
}
