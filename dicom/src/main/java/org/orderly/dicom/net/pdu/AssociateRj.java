package org.orderly.dicom.net.pdu;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A-ASSOCIATE-RJ PDU, PS3.8 §9.3.4, Table 9-21.
 * <pre>
 * offset length field
 *   0      1    PDU-type 03H
 *   1      1    reserved
 *   2      4    PDU-length = 00000004H
 *   6      1    reserved
 *   7      1    result: 1 rejected-permanent, 2 rejected-transient
 *   8      1    source: 1 service-user, 2 service-provider (ACSE), 3 service-provider (presentation)
 *   9      1    reason/diag, meaning depends on source (see {@link Reason})
 * </pre>
 *
 * @param result     the result field
 * @param source     the source field
 * @param reasonCode the reason/diag byte; {@link #reason()} names it when the standard defines it
 */
public record AssociateRj(Result result, Source source, int reasonCode) implements Pdu {

    /** Result field, PS3.8 Table 9-21. */
    public enum Result {
        REJECTED_PERMANENT(1), REJECTED_TRANSIENT(2);

        private final int code;

        Result(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** Source field, PS3.8 Table 9-21. */
    public enum Source {
        /** 1 - DICOM UL service-user. */
        SERVICE_USER(1),
        /** 2 - DICOM UL service-provider (ACSE related function). */
        SERVICE_PROVIDER_ACSE(2),
        /** 3 - DICOM UL service-provider (Presentation related function). */
        SERVICE_PROVIDER_PRESENTATION(3);

        private final int code;

        Source(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** The reason/diag values PS3.8 Table 9-21 defines, each with the source it belongs to. */
    public enum Reason {
        USER_NO_REASON_GIVEN(Source.SERVICE_USER, 1, "no-reason-given"),
        APPLICATION_CONTEXT_NAME_NOT_SUPPORTED(Source.SERVICE_USER, 2, "application-context-name-not-supported"),
        CALLING_AE_TITLE_NOT_RECOGNIZED(Source.SERVICE_USER, 3, "calling-AE-title-not-recognized"),
        CALLED_AE_TITLE_NOT_RECOGNIZED(Source.SERVICE_USER, 7, "called-AE-title-not-recognized"),
        ACSE_NO_REASON_GIVEN(Source.SERVICE_PROVIDER_ACSE, 1, "no-reason-given"),
        PROTOCOL_VERSION_NOT_SUPPORTED(Source.SERVICE_PROVIDER_ACSE, 2, "protocol-version-not-supported"),
        TEMPORARY_CONGESTION(Source.SERVICE_PROVIDER_PRESENTATION, 1, "temporary-congestion"),
        LOCAL_LIMIT_EXCEEDED(Source.SERVICE_PROVIDER_PRESENTATION, 2, "local-limit-exceeded");

        private final Source source;
        private final int code;
        private final String standardName;

        Reason(Source source, int code, String standardName) {
            this.source = source;
            this.code = code;
            this.standardName = standardName;
        }

        public Source source() {
            return source;
        }

        public int code() {
            return code;
        }

        public String standardName() {
            return standardName;
        }
    }

    public AssociateRj {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(source, "source");
        if (reasonCode < 0 || reasonCode > 0xFF) {
            throw new IllegalArgumentException("reason/diag must fit a byte: " + reasonCode);
        }
    }

    /** A rejection with a reason the standard defines; the source follows from the reason. */
    public static AssociateRj of(Result result, Reason reason) {
        return new AssociateRj(result, reason.source(), reason.code());
    }

    /** The named reason, or {@code null} when the byte is a reserved value for this source. */
    public Reason reason() {
        for (Reason r : Reason.values()) {
            if (r.source == source && r.code == reasonCode) {
                return r;
            }
        }
        return null;
    }

    @Override
    public PduType type() {
        return PduType.A_ASSOCIATE_RJ;
    }

    @Override
    public long pduLength() {
        return 4;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(new byte[] {0x03, 0, 0, 0, 0, 4, 0, (byte) result.code, (byte) source.code, (byte) reasonCode});
    }

    static AssociateRj decode(PduInput in) throws InvalidPduException {
        in.skip(1); // reserved
        int r = in.u8();
        int s = in.u8();
        int reason = in.u8();
        Result result = null;
        for (Result x : Result.values()) {
            if (x.code == r) {
                result = x;
            }
        }
        Source source = null;
        for (Source x : Source.values()) {
            if (x.code == s) {
                source = x;
            }
        }
        if (result == null || source == null) {
            throw new InvalidPduException(Abort.Reason.INVALID_PDU_PARAMETER_VALUE,
                    "A-ASSOCIATE-RJ result " + r + " / source " + s + " undefined (PS3.8 Table 9-21)");
        }
        return new AssociateRj(result, source, reason);
    }

    @Override
    public String toString() {
        Reason named = reason();
        return "A-ASSOCIATE-RJ[" + result.code + "/" + source.code + "/" + reasonCode + " " + result + ", " + source
                + ", " + (named != null ? named.standardName : "reserved") + "]";
    }
}
