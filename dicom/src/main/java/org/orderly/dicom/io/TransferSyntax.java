package org.orderly.dicom.io;

import java.util.Objects;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.data.UIDDictionary;

/**
 * How a data set is encoded (PS3.5 §10): VR explicit or implicit, byte order, whether the data set is
 * deflated (PS3.5 §A.5) and whether pixel data is encapsulated (PS3.5 §A.4).
 *
 * <p>PS3.5 §10.1: every transfer syntax other than Implicit VR Little Endian, Explicit VR Big Endian and
 * the deflated ones encodes the data set as Explicit VR Little Endian; {@link #of(String)} therefore
 * treats an unknown UID as Explicit VR Little Endian with encapsulated pixel data.
 */
public record TransferSyntax(String uid, boolean explicitVR, boolean bigEndian, boolean deflated,
                             boolean encapsulated) {

    /** PS3.5 §A.1: the default transfer syntax; all DIMSE command sets use it (PS3.7 §6.3.1). */
    public static final TransferSyntax IMPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax(UID.ImplicitVRLittleEndian, false, false, false, false);
    /** PS3.5 §A.2. */
    public static final TransferSyntax EXPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax(UID.ExplicitVRLittleEndian, true, false, false, false);
    /** PS3.5 §A.5: Explicit VR Little Endian, then deflated (RFC 1951, no zlib header). */
    public static final TransferSyntax DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax(UID.DeflatedExplicitVRLittleEndian, true, false, true, false);
    /** PS3.5 §A.3 (retired, still read). */
    public static final TransferSyntax EXPLICIT_VR_BIG_ENDIAN =
            new TransferSyntax(UID.ExplicitVRBigEndian, true, true, false, false);
    public static final TransferSyntax JPEG_BASELINE = encapsulated(UID.JPEGBaseline8Bit);
    public static final TransferSyntax JPEG_EXTENDED = encapsulated(UID.JPEGExtended12Bit);
    public static final TransferSyntax JPEG_LOSSLESS = encapsulated(UID.JPEGLossless);
    public static final TransferSyntax JPEG_LOSSLESS_SV1 = encapsulated(UID.JPEGLosslessSV1);
    public static final TransferSyntax JPEG_LS_LOSSLESS = encapsulated(UID.JPEGLSLossless);
    public static final TransferSyntax JPEG_LS_NEAR_LOSSLESS = encapsulated(UID.JPEGLSNearLossless);
    public static final TransferSyntax JPEG_2000_LOSSLESS = encapsulated(UID.JPEG2000Lossless);
    public static final TransferSyntax JPEG_2000 = encapsulated(UID.JPEG2000);
    public static final TransferSyntax RLE_LOSSLESS = encapsulated(UID.RLELossless);

    public TransferSyntax {
        Objects.requireNonNull(uid, "uid");
    }

    private static TransferSyntax encapsulated(String uid) {
        return new TransferSyntax(uid, true, false, false, true);
    }

    /** The transfer syntax for a UID (trailing NUL/space padding ignored). */
    public static TransferSyntax of(String uid) {
        String u = uid.trim().replace("\0", "");
        switch (u) {
            case UID.ImplicitVRLittleEndian:
            case UID.Papyrus3ImplicitVRLittleEndian:
                return new TransferSyntax(u, false, false, false, false);
            case UID.ExplicitVRLittleEndian:
                return EXPLICIT_VR_LITTLE_ENDIAN;
            case UID.ExplicitVRBigEndian:
                return EXPLICIT_VR_BIG_ENDIAN;
            case UID.DeflatedExplicitVRLittleEndian:
            case UID.JPIPReferencedDeflate:
            case UID.JPIPHTJ2KReferencedDeflate:
                return new TransferSyntax(u, true, false, true, false);
            case UID.JPIPReferenced:
            case UID.JPIPHTJ2KReferenced:
                return new TransferSyntax(u, true, false, false, false);
            default:
                break;
        }
        // SMPTE ST 2110 and the retired MIME/XML encodings carry no encapsulated pixel data.
        boolean encapsulated = !u.startsWith("1.2.840.10008.1.2.7.") && !u.startsWith("1.2.840.10008.1.2.6.");
        return new TransferSyntax(u, true, false, false, encapsulated);
    }

    /** The registered name, or the UID. */
    public String name() {
        return UIDDictionary.nameOf(uid);
    }

    @Override
    public String toString() {
        return name();
    }
}
