package org.orderly.hl7.status;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes a status message (ER7, segments ended by CR) for a {@link StatusUpdate} in the profile's message type.
 *
 * <pre>
 * segment  ORM^O01 v2.3.1  OMG^O19  OMI^O23  ORU^R01   fields written
 * MSH      yes             yes      yes      yes       3-6 profile, 7 timestamp, 9 type, 10 control ID, 11 P, 12 version
 * PID      yes             yes      yes      yes       3 patient ID^^^issuer, 5 name
 * ORC      yes             yes      yes      yes       1 SC, 2 placer, 3 filler, 5 IP/CM/DC, 9 timestamp
 * OBR      yes             yes      yes      yes       2 placer, 3 filler, 4 procedure, 7 start, 8 end, 18 accession,
 *                                                      19 requested procedure ID, 20 SPS ID, 24 modality, 25 (ORU only)
 * IPC      -               -        yes      -         1 accession, 2 requested procedure ID, 3 study UID, 4 SPS ID, 5 modality
 * ZDS      yes             -        -        -         1 study instance UID^ORDERLY^Application^DICOM (IHE RAD TF-2 v2.3.1)
 * </pre>
 * Field separators {@code |^~\&}; text values are escaped (HL7 v2.5.1 §2.7).
 */
public final class StatusMessageBuilder {

    private final StatusProfile profile;

    public StatusMessageBuilder(StatusProfile profile) {
        this.profile = profile;
    }

    public StatusProfile profile() {
        return profile;
    }

    public String build(StatusUpdate u) {
        StatusMessageType type = profile.messageType();
        List<String> segs = new ArrayList<>();
        // MSH-1 is the '|' after "MSH", MSH-2 the encoding characters
        segs.add(seg("MSH", "^~\\&", e(profile.sendingApplication()), e(profile.sendingFacility()),
                e(profile.receivingApplication()), e(profile.receivingFacility()), u.timestamp(), "", type.msh9(),
                e(u.messageControlId()), "P", type.version()));
        String pid3 = u.patientId() == null ? "" : e(u.patientId())
                + (u.issuerOfPatientId() == null ? "" : "^^^" + e(u.issuerOfPatientId()));
        segs.add(seg("PID", "", "", pid3, "", u.patientName() == null ? "" : name(u.patientName())));
        segs.add(seg("ORC", u.orderControl(), e(u.placerOrderNumber()), e(u.fillerOrderNumber()), "",
                u.orderStatus(), "", "", "", u.timestamp()));
        String[] obr = new String[25];
        java.util.Arrays.fill(obr, "");
        obr[0] = "1";
        obr[1] = e(u.placerOrderNumber());
        obr[2] = e(u.fillerOrderNumber());
        obr[3] = u.procedureCode() == null ? "" : ce(u.procedureCode());
        obr[6] = nz(u.startDateTime());
        obr[7] = nz(u.endDateTime());
        obr[17] = e(u.accessionNumber());
        obr[18] = e(u.requestedProcedureId());
        obr[19] = e(u.spsId());
        obr[23] = e(u.modality());
        if (type == StatusMessageType.ORU_R01) {
            obr[24] = nz(u.resultStatus());
        }
        segs.add(trim(seg("OBR", obr)));
        if (type == StatusMessageType.OMI_O23) {
            segs.add(seg("IPC", e(u.accessionNumber()), e(u.requestedProcedureId()), e(u.studyInstanceUid()),
                    e(u.spsId()), e(u.modality())));
        } else if (type == StatusMessageType.ORM_O01 && u.studyInstanceUid() != null) {
            segs.add(seg("ZDS", e(u.studyInstanceUid()) + "^ORDERLY^Application^DICOM"));
        }
        StringBuilder b = new StringBuilder();
        for (String s : segs) {
            b.append(trim(s)).append('\r');
        }
        return b.toString();
    }

    private static String seg(String name, String... fields) {
        StringBuilder b = new StringBuilder(name);
        for (String f : fields) {
            b.append('|').append(f == null ? "" : f);
        }
        return b.toString();
    }

    /** Drops trailing empty fields. */
    private static String trim(String s) {
        int end = s.length();
        while (end > 3 && s.charAt(end - 1) == '|') {
            end--;
        }
        return s.substring(0, end);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** Escapes HL7 delimiters in a text value (HL7 v2.5.1 §2.7.4): \F\ \S\ \T\ \R\ \E\. */
    static String e(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '|' -> b.append("\\F\\");
                case '^' -> b.append("\\S\\");
                case '&' -> b.append("\\T\\");
                case '~' -> b.append("\\R\\");
                case '\\' -> b.append("\\E\\");
                case '\r', '\n' -> b.append(' ');
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** DICOM PN {@code Family^Given^Middle^Prefix^Suffix} (first component group) to XPN, each part escaped. */
    static String name(String pn) {
        String alphabetic = pn.split("=", -1)[0];
        String[] parts = alphabetic.split("\\^", -1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(parts.length, 5); i++) {
            if (i > 0) {
                b.append('^');
            }
            b.append(e(parts[i]));
        }
        return b.toString();
    }

    /** {@code code^text^scheme}: components kept, each escaped. */
    private static String ce(String codeTextScheme) {
        String[] p = codeTextScheme.split("\\^", -1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < p.length; i++) {
            if (i > 0) {
                b.append('^');
            }
            b.append(e(p[i]));
        }
        return b.toString();
    }
}
