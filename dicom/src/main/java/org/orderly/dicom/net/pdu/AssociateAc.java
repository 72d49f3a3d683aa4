package org.orderly.dicom.net.pdu;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;

/**
 * A-ASSOCIATE-AC PDU, PS3.8 §9.3.3, Table 9-17; byte layout in {@link AssociateCodec}:
 * <pre>
 * offset length field
 *   0      1    PDU-type 02H
 *   2      4    PDU-length
 *   6      2    protocol-version (bit 0 = version 1)
 *  10     16    reserved: the called AE title as received in the RQ, not tested
 *  26     16    reserved: the calling AE title as received in the RQ, not tested
 *  74      n    Application Context Item, Presentation Context Items (21H), User Information Item
 * </pre>
 */
public record AssociateAc(int protocolVersion, String calledAeTitle, String callingAeTitle,
        ApplicationContextItem applicationContext, List<PresentationContextAcItem> presentationContexts,
        UserInformationItem userInformation) implements Pdu {

    public AssociateAc {
        if (protocolVersion < 0 || protocolVersion > 0xFFFF) {
            throw new IllegalArgumentException("protocol version is a 16-bit field");
        }
        Fields.requireAeTitle(calledAeTitle);
        Fields.requireAeTitle(callingAeTitle);
        Objects.requireNonNull(applicationContext, "applicationContext");
        presentationContexts = List.copyOf(presentationContexts);
        Objects.requireNonNull(userInformation, "userInformation");
    }

    @Override
    public PduType type() {
        return PduType.A_ASSOCIATE_AC;
    }

    private byte[] encode() {
        return AssociateCodec.encode(0x02, protocolVersion, calledAeTitle, callingAeTitle, applicationContext,
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

    static AssociateAc decode(PduInput in) throws InvalidPduException {
        AssociateCodec.Parts p = AssociateCodec.decode(in, false);
        return new AssociateAc(p.protocolVersion(), p.calledAe(), p.callingAe(), p.applicationContext(),
                p.presentationContexts().stream().map(PresentationContextAcItem.class::cast).toList(),
                p.userInformation());
    }

    @Override
    public String toString() {
        long accepted = presentationContexts.stream().filter(PresentationContextAcItem::isAccepted).count();
        return "A-ASSOCIATE-AC[" + callingAeTitle + "->" + calledAeTitle + ", " + accepted + "/"
                + presentationContexts.size() + " presentation context(s) accepted]";
    }
}
