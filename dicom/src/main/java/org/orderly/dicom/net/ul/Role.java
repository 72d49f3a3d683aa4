package org.orderly.dicom.net.ul;

/** Which side of the association this upper layer is (decides AR-8's next state, PS3.8 Table 9-8). */
public enum Role {
    /** The side that sent the A-ASSOCIATE-RQ. */
    REQUESTOR,
    /** The side that received the A-ASSOCIATE-RQ. */
    ACCEPTOR
}
