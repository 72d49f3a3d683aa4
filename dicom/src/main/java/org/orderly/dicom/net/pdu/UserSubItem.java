package org.orderly.dicom.net.pdu;

/**
 * A sub-item of the User Information Item, PS3.7 Annex D.3.3 and PS3.8 Annex D. Every sub-item has the header
 * <pre>
 * offset length field
 *   0      1    item-type (51H..59H, see implementations)
 *   1      1    reserved (sub-item version for 57H)
 *   2      2    item-length
 *   4      n    value, laid out in each implementation's Javadoc
 * </pre>
 */
public sealed interface UserSubItem permits MaximumLengthSubItem, ImplementationClassUidSubItem,
        AsynchronousOperationsWindowSubItem, ScpScuRoleSelectionSubItem, ImplementationVersionNameSubItem,
        SopClassExtendedNegotiationSubItem, SopClassCommonExtendedNegotiationSubItem, UserIdentityRq,
        UserIdentityAc, UnknownUserSubItem {

    /** The item-type byte. */
    int itemType();

    /** The encoded value (the bytes after item-length). */
    byte[] encodeValue();
}
