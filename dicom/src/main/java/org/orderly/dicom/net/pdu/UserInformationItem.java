package org.orderly.dicom.net.pdu;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * User Information Item, PS3.8 §9.3.2.3, Table 9-16 (and §9.3.3.3, Table 9-20 in the A-ASSOCIATE-AC).
 * <pre>
 * offset length field
 *   0      1    item-type 50H
 *   1      1    reserved
 *   2      2    item-length
 *   4      n    user-data: sub-items ({@link UserSubItem}), PS3.7 Annex D.3.3
 * </pre>
 */
public record UserInformationItem(List<UserSubItem> subItems) {

    public static final int ITEM_TYPE = 0x50;

    public UserInformationItem {
        subItems = List.copyOf(subItems);
    }

    /** The Maximum Length Received, PS3.8 Annex D.1; empty when the sub-item is absent. */
    public Optional<Long> maximumLength() {
        return first(MaximumLengthSubItem.class).map(MaximumLengthSubItem::maximumLengthReceived);
    }

    public Optional<String> implementationClassUid() {
        return first(ImplementationClassUidSubItem.class).map(ImplementationClassUidSubItem::uid);
    }

    public Optional<String> implementationVersionName() {
        return first(ImplementationVersionNameSubItem.class).map(ImplementationVersionNameSubItem::name);
    }

    public Optional<AsynchronousOperationsWindowSubItem> asynchronousOperationsWindow() {
        return first(AsynchronousOperationsWindowSubItem.class);
    }

    public List<ScpScuRoleSelectionSubItem> roleSelections() {
        return all(ScpScuRoleSelectionSubItem.class);
    }

    public <T extends UserSubItem> Optional<T> first(Class<T> type) {
        for (UserSubItem s : subItems) {
            if (type.isInstance(s)) {
                return Optional.of(type.cast(s));
            }
        }
        return Optional.empty();
    }

    public <T extends UserSubItem> List<T> all(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (UserSubItem s : subItems) {
            if (type.isInstance(s)) {
                out.add(type.cast(s));
            }
        }
        return out;
    }

    byte[] encodeValue() {
        PduOutput out = new PduOutput(128);
        for (UserSubItem s : subItems) {
            byte[] v = s.encodeValue();
            if (v.length > 0xFFFF) {
                throw new IllegalArgumentException("sub-item " + s + " longer than 65535 bytes");
            }
            out.u8(s.itemType()).u8(0).u16(v.length).bytes(v);
        }
        return out.toByteArray();
    }

    void writeTo(PduOutput out) {
        byte[] v = encodeValue();
        if (v.length > 0xFFFF) {
            throw new IllegalArgumentException("user information item longer than 65535 bytes");
        }
        out.u8(ITEM_TYPE).u8(0).u16(v.length).bytes(v);
    }

    static UserInformationItem decode(PduInput in) throws InvalidPduException {
        List<UserSubItem> items = new ArrayList<>();
        while (in.hasRemaining()) {
            int type = in.u8();
            in.skip(1);
            int len = in.u16();
            PduInput v = in.slice(len, "user information sub-item " + Integer.toHexString(type) + "H");
            UserSubItem item = switch (type) {
                case MaximumLengthSubItem.ITEM_TYPE -> MaximumLengthSubItem.decode(v);
                case ImplementationClassUidSubItem.ITEM_TYPE -> ImplementationClassUidSubItem.decode(v);
                case AsynchronousOperationsWindowSubItem.ITEM_TYPE -> AsynchronousOperationsWindowSubItem.decode(v);
                case ScpScuRoleSelectionSubItem.ITEM_TYPE -> ScpScuRoleSelectionSubItem.decode(v);
                case ImplementationVersionNameSubItem.ITEM_TYPE -> ImplementationVersionNameSubItem.decode(v);
                case SopClassExtendedNegotiationSubItem.ITEM_TYPE -> SopClassExtendedNegotiationSubItem.decode(v);
                case SopClassCommonExtendedNegotiationSubItem.ITEM_TYPE ->
                        SopClassCommonExtendedNegotiationSubItem.decode(v);
                case UserIdentityRq.ITEM_TYPE -> UserIdentityRq.decode(v);
                case UserIdentityAc.ITEM_TYPE -> UserIdentityAc.decode(v);
                // PS3.7 Annex D.3.3: an unrecognized sub-item is ignored; keep it uninterpreted
                default -> new UnknownUserSubItem(type, v.bytes(v.remaining()));
            };
            items.add(item);
        }
        return new UserInformationItem(items);
    }
}
