package org.orderly.dicom.data;

/**
 * Value Representations of PS3.5 §6.2, Table 6.2-1 (current edition).
 *
 * <p>Per VR:
 * <ul>
 *   <li>{@link #hasLongHeader()}: explicit-VR header form, PS3.5 §7.1.2: OB OD OF OL OV OW SQ SV UC UN UR UT UV
 *       use 2 reserved bytes + a 4-byte length; every other VR a 2-byte length.</li>
 *   <li>{@link #paddingByte()}: PS3.5 §6.2 - text values are padded to even length with a space (20H),
 *       UI with NUL (00H), binary values with 00H.</li>
 *   <li>{@link #kind()}: text, binary or sequence.</li>
 *   <li>{@link #maxLength()}: the maximum length of one value in Table 6.2-1, in bytes for most VRs and in
 *       characters for LO SH ST LT UC UT PN (-1 = limited only by the 32-bit length field).</li>
 *   <li>{@link #isCharsetDependent()}: PS3.5 §6.1.2.3 - only SH LO ST LT UC UT PN are encoded with the
 *       Specific Character Set (0008,0005); AE AS CS DA DS DT IS TM UI UR use the default repertoire.</li>
 *   <li>{@link #bytesPerNumber()}: width of one binary number, used to swap byte order (PS3.5 §7.3).</li>
 * </ul>
 */
public enum VR {
    AE(Kind.TEXT, 16, false, true, 0),
    AS(Kind.TEXT, 4, false, true, 0),
    AT(Kind.BINARY, 4, false, false, 2),
    CS(Kind.TEXT, 16, false, true, 0),
    DA(Kind.TEXT, 8, false, true, 0),
    DS(Kind.TEXT, 16, false, true, 0),
    DT(Kind.TEXT, 26, false, true, 0),
    FD(Kind.BINARY, 8, false, false, 8),
    FL(Kind.BINARY, 4, false, false, 4),
    IS(Kind.TEXT, 12, false, true, 0),
    LO(Kind.TEXT, 64, true, true, 0),
    LT(Kind.TEXT, 10240, true, false, 0),
    OB(Kind.BINARY, -1, false, false, 1),
    OD(Kind.BINARY, -1, false, false, 8),
    OF(Kind.BINARY, -1, false, false, 4),
    OL(Kind.BINARY, -1, false, false, 4),
    OV(Kind.BINARY, -1, false, false, 8),
    OW(Kind.BINARY, -1, false, false, 2),
    PN(Kind.TEXT, 64, true, true, 0),
    SH(Kind.TEXT, 16, true, true, 0),
    SL(Kind.BINARY, 4, false, false, 4),
    SQ(Kind.SEQUENCE, -1, false, false, 0),
    SS(Kind.BINARY, 2, false, false, 2),
    ST(Kind.TEXT, 1024, true, false, 0),
    SV(Kind.BINARY, 8, false, false, 8),
    TM(Kind.TEXT, 14, false, true, 0),
    UC(Kind.TEXT, -1, true, true, 0),
    UI(Kind.TEXT, 64, false, true, 0),
    UL(Kind.BINARY, 4, false, false, 4),
    UN(Kind.BINARY, -1, false, false, 1),
    UR(Kind.TEXT, -1, false, false, 0),
    US(Kind.BINARY, 2, false, false, 2),
    UT(Kind.TEXT, -1, true, false, 0),
    UV(Kind.BINARY, 8, false, false, 8);

    /** What a value of this VR holds. */
    public enum Kind { TEXT, BINARY, SEQUENCE }

    private static final VR[] BY_CODE = new VR[0x10000];

    static {
        for (VR vr : values()) {
            BY_CODE[vr.code] = vr;
        }
    }

    private final Kind kind;
    private final int maxLength;
    private final boolean charsetDependent;
    private final boolean multiValued;
    private final int bytesPerNumber;
    private final int code;

    VR(Kind kind, int maxLength, boolean charsetDependent, boolean multiValued, int bytesPerNumber) {
        this.kind = kind;
        this.maxLength = maxLength;
        this.charsetDependent = charsetDependent;
        this.multiValued = multiValued;
        this.bytesPerNumber = bytesPerNumber;
        this.code = (name().charAt(0) << 8) | name().charAt(1);
    }

    /** The two ASCII characters of the VR as a big-endian 16-bit number, e.g. 0x5053 for PN. */
    public int code() {
        return code;
    }

    /** The VR whose two-character code is {@code code} (as {@link #code()}), or null. */
    public static VR ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isText() {
        return kind == Kind.TEXT;
    }

    public boolean isBinary() {
        return kind == Kind.BINARY;
    }

    /**
     * PS3.5 §7.1.2: true if the explicit-VR header is VR + 2 reserved bytes + 32-bit length, false if
     * it is VR + 16-bit length.
     */
    public boolean hasLongHeader() {
        return switch (this) {
            case OB, OD, OF, OL, OV, OW, SQ, SV, UC, UN, UR, UT, UV -> true;
            default -> false;
        };
    }

    /** PS3.5 §6.2: the byte that pads a value to even length: NUL for UI and binary VRs, space for text. */
    public byte paddingByte() {
        return kind == Kind.TEXT && this != UI ? (byte) ' ' : 0;
    }

    /** Table 6.2-1 maximum length of one value (bytes, or characters for charset-dependent VRs), -1 = none. */
    public int maxLength() {
        return maxLength;
    }

    /** PS3.5 §6.1.2.3: true for SH LO ST LT UC UT PN, which are encoded with Specific Character Set. */
    public boolean isCharsetDependent() {
        return charsetDependent;
    }

    /** True if a text value may hold several values separated by backslash (false for LT ST UT UR). */
    public boolean isMultiValuedText() {
        return multiValued;
    }

    /** Width in bytes of one binary number (1 for OB/UN, 0 for text and SQ). */
    public int bytesPerNumber() {
        return bytesPerNumber;
    }
}
