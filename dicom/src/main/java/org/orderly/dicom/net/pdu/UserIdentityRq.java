package org.orderly.dicom.net.pdu;

import java.util.Arrays;

/**
 * User Identity Sub-Item of the A-ASSOCIATE-RQ, PS3.7 Annex D.3.3.7.1, Table D.3-14.
 * <pre>
 * offset length field
 *   4      1    user-identity-type: 1 username, 2 username+passcode, 3 Kerberos, 4 SAML, 5 JWT
 *   5      1    positive-response-requested: 1 = yes
 *   6      2    primary-field-length
 *   8      n    primary-field
 * 8+n      2    secondary-field-length (non-zero only for type 2)
 * 10+n     m    secondary-field
 * </pre>
 * {@link #toString()} never shows the fields: they are credentials.
 */
public record UserIdentityRq(int userIdentityType, boolean positiveResponseRequested, byte[] primaryField,
        byte[] secondaryField) implements UserSubItem {

    public static final int ITEM_TYPE = 0x58;

    public UserIdentityRq {
        if (userIdentityType < 0 || userIdentityType > 0xFF) {
            throw new IllegalArgumentException("user identity type must fit a byte");
        }
        primaryField = primaryField.clone();
        secondaryField = secondaryField.clone();
        if (primaryField.length > 0xFFFF || secondaryField.length > 0xFFFF) {
            throw new IllegalArgumentException("user identity fields are at most 65535 bytes");
        }
    }

    @Override
    public byte[] primaryField() {
        return primaryField.clone();
    }

    @Override
    public byte[] secondaryField() {
        return secondaryField.clone();
    }

    @Override
    public int itemType() {
        return ITEM_TYPE;
    }

    @Override
    public byte[] encodeValue() {
        return new PduOutput(6 + primaryField.length + secondaryField.length).u8(userIdentityType)
                .u8(positiveResponseRequested ? 1 : 0).u16(primaryField.length).bytes(primaryField)
                .u16(secondaryField.length).bytes(secondaryField).toByteArray();
    }

    static UserIdentityRq decode(PduInput in) throws InvalidPduException {
        int type = in.u8();
        int positive = in.u8();
        byte[] primary = in.bytes(in.u16());
        byte[] secondary = in.bytes(in.u16());
        if (in.hasRemaining()) {
            throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE,
                    "user identity sub-item lengths do not add up");
        }
        return new UserIdentityRq(type, positive == 1, primary, secondary);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserIdentityRq u && u.userIdentityType == userIdentityType
                && u.positiveResponseRequested == positiveResponseRequested
                && Arrays.equals(u.primaryField, primaryField) && Arrays.equals(u.secondaryField, secondaryField);
    }

    @Override
    public int hashCode() {
        return userIdentityType * 31 + Arrays.hashCode(primaryField);
    }

    @Override
    public String toString() {
        return "UserIdentityRq[type=" + userIdentityType + ", positiveResponseRequested=" + positiveResponseRequested
                + "]";
    }
}
