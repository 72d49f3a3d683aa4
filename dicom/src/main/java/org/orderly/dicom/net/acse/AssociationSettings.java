package org.orderly.dicom.net.acse;

import java.time.Duration;
import java.util.Objects;

import org.orderly.dicom.net.pdu.PduDecoder;

/**
 * Local configuration of associations, both roles: our AE title, PDU limits, implementation identification and the
 * named timeouts. Immutable; build with {@link #builder()}.
 */
public final class AssociationSettings {

    /** Orderly's Implementation Class UID (PS3.7 Annex D.3.3.2), a UUID-derived OID (PS3.5 Annex B.2). */
    public static final String ORDERLY_IMPLEMENTATION_CLASS_UID = "2.25.204262684337562002215593618957401611592";
    /** Orderly's Implementation Version Name (PS3.7 Annex D.3.3.2), at most 16 characters. */
    public static final String ORDERLY_IMPLEMENTATION_VERSION_NAME = "ORDERLY_0.1";

    private final String aeTitle;
    private final long maxPduLengthReceive;
    private final long maxPduLengthSend;
    private final int maxAssociateLength;
    private final int maxCommandLength;
    private final Duration connectTimeout;
    private final Duration artimTimeout;
    private final Duration idleTimeout;
    private final Duration writeTimeout;
    private final String implementationClassUid;
    private final String implementationVersionName;
    private final int maxOperationsInvoked;
    private final int maxOperationsPerformed;

    private AssociationSettings(Builder b) {
        this.aeTitle = b.aeTitle;
        this.maxPduLengthReceive = b.maxPduLengthReceive;
        this.maxPduLengthSend = b.maxPduLengthSend;
        this.maxAssociateLength = b.maxAssociateLength;
        this.maxCommandLength = b.maxCommandLength;
        this.connectTimeout = b.connectTimeout;
        this.artimTimeout = b.artimTimeout;
        this.idleTimeout = b.idleTimeout;
        this.writeTimeout = b.writeTimeout;
        this.implementationClassUid = b.implementationClassUid;
        this.implementationVersionName = b.implementationVersionName;
        this.maxOperationsInvoked = b.maxOperationsInvoked;
        this.maxOperationsPerformed = b.maxOperationsPerformed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Our AE title: the calling AE of requests we send, the called AE an acceptor answers to by default. */
    public String aeTitle() {
        return aeTitle;
    }

    /** The Maximum Length Received we advertise (PS3.8 Annex D.1) and enforce on incoming P-DATA-TF. */
    public long maxPduLengthReceive() {
        return maxPduLengthReceive;
    }

    /** Our own cap on P-DATA-TF PDUs we send, applied below the peer's advertised maximum (or if it is 0). */
    public long maxPduLengthSend() {
        return maxPduLengthSend;
    }

    /** Cap on A-ASSOCIATE-RQ/AC PDU-length we accept. */
    public int maxAssociateLength() {
        return maxAssociateLength;
    }

    /** Cap on one received command set; longer commands abort the association. */
    public int maxCommandLength() {
        return maxCommandLength;
    }

    /** TCP connect timeout (requestor). */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * ARTIM timeout, PS3.8 §9.1.5: how long an acceptor waits for the A-ASSOCIATE-RQ, and how long either side waits
     * for the transport to close after a reject, release or abort. Also bounds waiting for A-ASSOCIATE-AC/RJ and
     * A-RELEASE-RP.
     */
    public Duration artimTimeout() {
        return artimTimeout;
    }

    /** No PDU from the peer for this long while associated: A-ABORT. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** One PDU write that takes longer than this closes the transport (a peer that stopped reading). */
    public Duration writeTimeout() {
        return writeTimeout;
    }

    public String implementationClassUid() {
        return implementationClassUid;
    }

    public String implementationVersionName() {
        return implementationVersionName;
    }

    /** Asynchronous Operations Window we support, PS3.7 Annex D.3.3.3; 1/1 = synchronous (the default). */
    public int maxOperationsInvoked() {
        return maxOperationsInvoked;
    }

    public int maxOperationsPerformed() {
        return maxOperationsPerformed;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.aeTitle = aeTitle;
        b.maxPduLengthReceive = maxPduLengthReceive;
        b.maxPduLengthSend = maxPduLengthSend;
        b.maxAssociateLength = maxAssociateLength;
        b.maxCommandLength = maxCommandLength;
        b.connectTimeout = connectTimeout;
        b.artimTimeout = artimTimeout;
        b.idleTimeout = idleTimeout;
        b.writeTimeout = writeTimeout;
        b.implementationClassUid = implementationClassUid;
        b.implementationVersionName = implementationVersionName;
        b.maxOperationsInvoked = maxOperationsInvoked;
        b.maxOperationsPerformed = maxOperationsPerformed;
        return b;
    }

    /** Builder with defaults suitable for a hospital LAN. */
    public static final class Builder {
        private String aeTitle = "ORDERLY";
        private long maxPduLengthReceive = 16384;
        private long maxPduLengthSend = 65536;
        private int maxAssociateLength = PduDecoder.DEFAULT_MAX_ASSOCIATE_LENGTH;
        private int maxCommandLength = 64 * 1024;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration artimTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration writeTimeout = Duration.ofSeconds(60);
        private String implementationClassUid = ORDERLY_IMPLEMENTATION_CLASS_UID;
        private String implementationVersionName = ORDERLY_IMPLEMENTATION_VERSION_NAME;
        private int maxOperationsInvoked = 1;
        private int maxOperationsPerformed = 1;

        private Builder() {
        }

        public Builder aeTitle(String v) {
            if (v == null || v.isBlank() || v.length() > 16) {
                throw new IllegalArgumentException("AE title must be 1..16 characters: " + v);
            }
            aeTitle = v;
            return this;
        }

        /** 0 = unlimited (PS3.8 Annex D.1); we still never accept more than 16 MiB in one PDU. */
        public Builder maxPduLengthReceive(long v) {
            if (v != 0 && v < 64 || v > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("max PDU length must be 0 or >= 64: " + v);
            }
            maxPduLengthReceive = v;
            return this;
        }

        public Builder maxPduLengthSend(long v) {
            if (v < 64) {
                throw new IllegalArgumentException("max PDU send length must be >= 64: " + v);
            }
            maxPduLengthSend = v;
            return this;
        }

        public Builder maxAssociateLength(int v) {
            if (v < 1024) {
                throw new IllegalArgumentException("max A-ASSOCIATE length must be >= 1024: " + v);
            }
            maxAssociateLength = v;
            return this;
        }

        public Builder maxCommandLength(int v) {
            if (v < 64) {
                throw new IllegalArgumentException("max command length must be >= 64: " + v);
            }
            maxCommandLength = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            connectTimeout = positive(v);
            return this;
        }

        public Builder artimTimeout(Duration v) {
            artimTimeout = positive(v);
            return this;
        }

        public Builder idleTimeout(Duration v) {
            idleTimeout = positive(v);
            return this;
        }

        public Builder writeTimeout(Duration v) {
            writeTimeout = positive(v);
            return this;
        }

        public Builder implementationClassUid(String v) {
            implementationClassUid = Objects.requireNonNull(v);
            return this;
        }

        public Builder implementationVersionName(String v) {
            implementationVersionName = v;
            return this;
        }

        public Builder asynchronousOperationsWindow(int invoked, int performed) {
            if (invoked < 0 || invoked > 0xFFFF || performed < 0 || performed > 0xFFFF) {
                throw new IllegalArgumentException("operation counts are 0..65535");
            }
            maxOperationsInvoked = invoked;
            maxOperationsPerformed = performed;
            return this;
        }

        public AssociationSettings build() {
            return new AssociationSettings(this);
        }

        private static Duration positive(Duration d) {
            if (d == null || d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("timeout must be positive: " + d);
            }
            return d;
        }
    }
}
