package org.orderly.hl7.intake;

import java.sql.Connection;
import java.sql.SQLException;
import org.orderly.hl7.mapping.MappedMerge;
import org.orderly.hl7.mapping.MappedOrder;
import org.orderly.hl7.mapping.MappedPatient;

/**
 * What the HL7 intake needs from the worklist store: apply one mapped change INSIDE the caller's
 * transaction. The intake opens the transaction, writes the message log row, calls this, and
 * commits once; only then is AA sent. That single commit is what makes "AA means durably applied"
 * and "a repeated control ID is applied once" hold together (see {@link OrderIntake}).
 *
 * <p>Implementations must not commit, roll back or close {@code tx}; they throw
 * {@link NotApplicableException} for a change that is understood but not applicable (AE), and let
 * {@link SQLException} through for failures (AE 207, the sender may retry).
 */
public interface WorklistWriter {

    /**
     * Applies one requested procedure of an ORM/OMI according to {@link MappedOrder#action()}:
     * NEW creates (or, for a retransmitted NW of a known order, updates) it, CHANGE replaces its
     * attributes keeping generated IDs, CANCEL / DISCONTINUE end its open steps, STATUS sets the
     * SPS Status. A generated Study Instance UID, Accession Number, Requested Procedure ID or SPS
     * ID ({@link MappedOrder#generated()}) of an order already stored keeps its stored value.
     *
     * @throws NotApplicableException 204 when CHANGE / CANCEL / DISCONTINUE / STATUS names an
     *                                order the store does not know
     */
    void applyOrder(Connection tx, MappedOrder order, Origin origin) throws NotApplicableException, SQLException;

    /**
     * ADT^A08 / A31: updates the patient and the patient attributes of that patient's items.
     *
     * @throws NotApplicableException 204 when the patient is unknown
     */
    void updatePatient(Connection tx, MappedPatient patient, Origin origin) throws NotApplicableException, SQLException;

    /**
     * ADT^A40: moves the prior patient's items to the surviving patient. Idempotent: a repeated
     * merge, or a merge whose prior patient is already merged into the survivor, changes nothing
     * and is not an error.
     *
     * @throws NotApplicableException 204 when neither patient is known
     */
    void mergePatient(Connection tx, MappedMerge merge, Origin origin) throws NotApplicableException, SQLException;
}
