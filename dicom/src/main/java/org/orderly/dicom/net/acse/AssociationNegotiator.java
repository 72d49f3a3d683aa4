package org.orderly.dicom.net.acse;

import org.orderly.dicom.net.pdu.AssociateRq;

/**
 * Decides the answer to an A-ASSOCIATE-RQ that the upper layer found acceptable (PS3.8 Table 9-6, AE-6 to Sta3):
 * the service-user's A-ASSOCIATE response. {@link AcceptorPolicy} is the standard implementation.
 */
@FunctionalInterface
public interface AssociationNegotiator {

    /**
     * @param rq       the request
     * @param settings our settings (max PDU length, implementation identification) for the A-ASSOCIATE-AC
     * @return accept or reject; never {@code null}
     */
    Negotiation negotiate(AssociateRq rq, AssociationSettings settings);
}
