package org.orderly.dicom.net.acse;

import java.io.IOException;

import org.orderly.dicom.net.pdu.AssociateRj;

/** The peer answered our A-ASSOCIATE-RQ with an A-ASSOCIATE-RJ (PS3.8 §9.3.4, Table 9-21). */
public final class AssociationRejectedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient AssociateRj rejection;

    public AssociationRejectedException(String message, AssociateRj rejection) {
        super(message + ": " + rejection);
        this.rejection = rejection;
    }

    public AssociateRj rejection() {
        return rejection;
    }
}
