package org.orderly.dicom.net.pdu;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;

/**
 * A-ASSOCIATE-RQ PDU, PS3.8 §9.3.2, Table 9-11; byte layout in {@link AssociateCodec}:
 * <pre>
 * offset length field
 *   0      1    PDU-type 01H
 *   2      4    PDU-length
 *   6      2    protocol-version (bit 0 = version 1)
 *  10     16    called-AE-title
 *  26     16    calling-AE-title
 *  74      n    Application Context Item, Presentation Context Items (20H), User Information Item
 * </pre>
 */
public record AssociateRq(int protocolVersion, String calledAeTitle, String callingAeTitle,
        ApplicationContextItem applicationContext, List<PresentationContextRqItem> presentationContexts,
        UserInformationItem userInformation) implements Pdu {

    /** PS3.8 §9.3.2, Table 9-11: protocol version 1 is bit 0. */
    public static final int PROTOCOL_VERSION_1 = 0x0001;

    public AssociateRq {
        if (protocolVersion < 0 || protocolVersion > 0xFFFF) {
            throw new IllegalArgumentException("protocol version is a 16-bit field");
        }
        Fields.requireAeTitle(calledAeTitle);
        Fields.requireAeTitle(callingAeTitle);
        Objects.requireNonNull(applicationContext, "applicationContext");
        presentationContexts = List.copyOf(presentationContexts);
        Objects.requireNonNull(userInformation, "userInformation");
    }

    public AssociateRq(String calledAeTitle, String callingAeTitle, List<PresentationContextRqItem> contexts,
            UserInformationItem userInformation) {
        this(PROTOCOL_VERSION_1, calledAeTitle, callingAeTitle, ApplicationContextItem.DICOM, contexts,
                userInformation);
    }

    @Override
    public PduType type() {
        return PduType.A_ASSOCIATE_RQ;
    }

    private byte[] encode() {
        return AssociateCodec.encode(0x01, protocolVersion, calledAeTitle, callingAeTitle, applicationContext,
                presentationContexts, userInformation);
    }

    @Override
    public long pduLength() {
        return encode().length - 6L;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(encode());
    }

    @Override
    public byte[] toBytes() {
        return encode();
    }

    static AssociateRq decode(PduInput in) throws InvalidPduException {
        AssociateCodec.Parts p = AssociateCodec.decode(in, true);
        return new AssociateRq(p.protocolVersion(), p.calledAe(), p.callingAe(), p.applicationContext(),
                p.presentationContexts().stream().map(PresentationContextRqItem.class::cast).toList(),
                p.userInformation());
    }

    @Override
    public String toString() {
        return "A-ASSOCIATE-RQ[" + callingAeTitle + "->" + calledAeTitle + ", " + presentationContexts.size()
                + " presentation context(s)]";
    }
}
