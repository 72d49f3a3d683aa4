package org.orderly.hl7.mapping;

import java.util.Locale;
import java.util.Optional;

/**
 * The transforms a mapping rule may name in {@code transform:}.
 *
 * <p>{@link #PN_FROM_XPN} and {@link #PN_FROM_XCN} read the components of a whole field and
 * therefore need sources that are whole-field paths ({@code PID-5}, not {@code PID-5-1}).
 */
public enum Transform {
    /** HL7 DTM/TS to DICOM DA YYYYMMDD. */
    DATE("date"),
    /** HL7 DTM/TS (time part) or TM to DICOM TM HHMMSS[.FFFFFF]. */
    TIME("time"),
    /** HL7 DTM/TS to DICOM DT. */
    DATETIME("datetime"),
    /** Upper case (Locale.ROOT). */
    UPPER("upper"),
    /** Lower case (Locale.ROOT). */
    LOWER("lower"),
    /** Leading and trailing white space removed. */
    TRIM("trim"),
    /** XPN (PID-5, PID-6, PID-9) to PN: XPN.1.1 family, .2 given, .3 middle, .5 prefix, .4 suffix. */
    PN_FROM_XPN("pn-from-xpn"),
    /** XCN (OBR-16, PV1-8, OBR-34, ORC-12) to PN: XCN.2.1 family, .3 given, .4 middle, .6 prefix, .5 suffix. */
    PN_FROM_XCN("pn-from-xcn"),
    /** NDL (OBR-32 to OBR-35, e.g. OBR-34 Technician) to PN: the CNN in component 1, subcomponents .2 family, .3 given, .4 middle, .6 prefix, .5 suffix. */
    PN_FROM_NDL("pn-from-ndl");

    private final String yamlName;

    Transform(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    public boolean readsWholeField() {
        return this == PN_FROM_XPN || this == PN_FROM_XCN || this == PN_FROM_NDL;
    }

    public static Optional<Transform> byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Transform t : values()) {
            if (t.yamlName.equals(n)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Names for error messages. */
    public static String names() {
        StringBuilder sb = new StringBuilder();
        for (Transform t : values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(t.yamlName);
        }
        return sb.toString();
    }

    String apply(String v) {
        return switch (this) {
            case DATE -> DicomValues.da(v);
            case TIME -> DicomValues.tm(v);
            case DATETIME -> DicomValues.dt(v);
            case UPPER -> v.toUpperCase(Locale.ROOT);
            case LOWER -> v.toLowerCase(Locale.ROOT);
            case TRIM -> v.strip();
            case PN_FROM_XPN, PN_FROM_XCN, PN_FROM_NDL -> v;
        };
    }
}
