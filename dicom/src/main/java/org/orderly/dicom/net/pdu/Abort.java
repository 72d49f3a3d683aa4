package org.orderly.dicom.net.pdu;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A-ABORT PDU, PS3.8 §9.3.8, Table 9-26.
 * <pre>
 * offset length field
 *   0      1    PDU-type 07H
 *   1      1    reserved
 *   2      4    PDU-length = 00000004H
 *   6      1    reserved
 *   7      1    reserved
 *   8      1    source: 0 service-user, 1 reserved, 2 service-provider
 *   9      1    reason/diag: significant only when source = 2 (see {@link Reason})
 * </pre>
 */
public record Abort(Source source, Reason reason) implements Pdu {

    /** Source field values, PS3.8 Table 9-26. */
    public enum Source {
        /** 0 - DICOM UL service-user (initiated abort). */
        SERVICE_USER(0),
        /** 1 - reserved. */
        RESERVED(1),
        /** 2 - DICOM UL service-provider (initiated abort). */
        SERVICE_PROVIDER(2);

        private final int code;

        Source(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static Source ofCode(int code) throws InvalidPduException {
            for (Source s : values()) {
                if (s.code == code) {
                    return s;
                }
            }
            throw new InvalidPduException(Reason.INVALID_PDU_PARAMETER_VALUE, "A-ABORT source " + code + " undefined");
        }
    }

    /** Reason/Diag field values when the source is the service-provider, PS3.8 Table 9-26. */
    public enum Reason {
        /** 0 - reason-not-specified. */
        REASON_NOT_SPECIFIED(0, "reason-not-specified"),
        /** 1 - unrecognized-PDU. */
        UNRECOGNIZED_PDU(1, "unrecognized-PDU"),
        /** 2 - unexpected-PDU. */
        UNEXPECTED_PDU(2, "unexpected-PDU"),
        /** 3 - reserved. */
        RESERVED(3, "reserved"),
        /** 4 - unrecognized-PDU parameter. */
        UNRECOGNIZED_PDU_PARAMETER(4, "unrecognized-PDU-parameter"),
        /** 5 - unexpected-PDU parameter. */
        UNEXPECTED_PDU_PARAMETER(5, "unexpected-PDU-parameter"),
        /** 6 - invalid-PDU-parameter value. */
        INVALID_PDU_PARAMETER_VALUE(6, "invalid-PDU-parameter-value");

        private final int code;
        private final String standardName;

        Reason(int code, String standardName) {
            this.code = code;
            this.standardName = standardName;
        }

        public int code() {
            return code;
        }

        public String standardName() {
            return standardName;
        }

        static Reason ofCode(int code) throws InvalidPduException {
            for (Reason r : values()) {
                if (r.code == code) {
                    return r;
                }
            }
            throw new InvalidPduException(INVALID_PDU_PARAMETER_VALUE, "A-ABORT reason/diag " + code + " undefined");
        }
    }

    /** An abort by the local service-user (source 0, reason not significant), as sent by action AA-1. */
    public static final Abort BY_SERVICE_USER = new Abort(Source.SERVICE_USER, Reason.REASON_NOT_SPECIFIED);

    public Abort {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public PduType type() {
        return PduType.A_ABORT;
    }

    @Override
    public long pduLength() {
        return 4;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        // reason is "not significant" for a service-user abort: send 00H, PS3.8 Table 9-26
        int reasonCode = source == Source.SERVICE_PROVIDER ? reason.code : 0;
        out.write(new byte[] {0x07, 0, 0, 0, 0, 4, 0, 0, (byte) source.code, (byte) reasonCode});
    }

    static Abort decode(PduInput in) throws InvalidPduException {
        in.skip(2); // reserved, not tested
        Source source = Source.ofCode(in.u8());
        int reasonCode = in.u8();
        // PS3.8 Table 9-26: reason/diag is not significant unless the source is the service-provider
        Reason reason = source == Source.SERVICE_PROVIDER ? Reason.ofCode(reasonCode) : Reason.REASON_NOT_SPECIFIED;
        return new Abort(source, reason);
    }

    @Override
    public String toString() {
        return "A-ABORT[source=" + source + (source == Source.SERVICE_PROVIDER ? ", reason=" + reason.standardName : "") + "]";
    }
}
