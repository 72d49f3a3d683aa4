package org.orderly.dicom.net.service;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.orderly.dicom.data.UID;
import org.orderly.dicom.net.acse.AcceptorPolicy;
import org.orderly.dicom.net.dimse.Dimse;

/**
 * The services of an application entity, keyed by SOP Class UID: one small handler per operation (PS3.4 service
 * classes), the transfer syntaxes accepted for each SOP class in our order of preference, and from both the
 * {@link AcceptorPolicy} an acceptor negotiates with (PS3.8 §9.3.3.2). Verification (C-ECHO, PS3.4 Annex A) is
 * built in. Thread-safe: registrations may change while associations run (new associations see them).
 */
public final class DicomServiceRegistry {

    /** Default for non-storage SOP classes: Explicit VR Little Endian first, then the default one (PS3.5 §10.1). */
    public static final List<String> DEFAULT_TRANSFER_SYNTAXES = List.of(
            UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian);

    /**
     * Default for storage SOP classes: the uncompressed ones first, then the common encapsulated ones - received data
     * sets are spooled as they arrive, never transcoded, so any of these can be accepted.
     */
    public static final List<String> DEFAULT_STORAGE_TRANSFER_SYNTAXES = List.of(
            UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian, UID.DeflatedExplicitVRLittleEndian,
            UID.ExplicitVRBigEndian, UID.JPEGLosslessSV1, UID.JPEGLossless, UID.JPEGLSLossless,
            UID.JPEG2000Lossless, UID.RLELossless, UID.JPEGBaseline8Bit, UID.JPEGExtended12Bit,
            UID.JPEGLSNearLossless, UID.JPEG2000);

    private final Map<String, Service> services = new ConcurrentHashMap<>();
    private volatile ServiceDispatcher.ResponseHandler responses;

    /**
     * Receives the DIMSE responses that arrive on an ACCEPTED association, i.e. answers to requests a service sent
     * on it (e.g. the N-EVENT-REPORT-RSP of a Storage Commitment report on the association of the N-ACTION, PS3.4
     * J.3.3.1). Without one such responses are logged as unexpected and ignored.
     */
    public DicomServiceRegistry responses(ServiceDispatcher.ResponseHandler handler) {
        this.responses = handler;
        return this;
    }

    /** The handler of {@link #responses(ServiceDispatcher.ResponseHandler)}, or null. */
    public ServiceDispatcher.ResponseHandler responses() {
        return responses;
    }

    /** A registry with the built-in Verification service. */
    public DicomServiceRegistry() {
        cEcho(context -> {
        });
    }

    /** Replaces the built-in C-ECHO handler (Verification SOP Class). */
    public DicomServiceRegistry cEcho(CEchoHandler handler) {
        return put(UID.Verification, Dimse.C_ECHO_RQ, handler, DEFAULT_TRANSFER_SYNTAXES);
    }

    public DicomServiceRegistry cFind(String sopClassUid, CFindHandler handler) {
        return put(sopClassUid, Dimse.C_FIND_RQ, handler, DEFAULT_TRANSFER_SYNTAXES);
    }

    public DicomServiceRegistry cStore(String sopClassUid, CStoreHandler handler) {
        return put(sopClassUid, Dimse.C_STORE_RQ, handler, DEFAULT_STORAGE_TRANSFER_SYNTAXES);
    }

    /** One C-STORE handler for several storage SOP classes. */
    public DicomServiceRegistry cStore(Collection<String> sopClassUids, CStoreHandler handler) {
        sopClassUids.forEach(c -> cStore(c, handler));
        return this;
    }

    public DicomServiceRegistry nCreate(String sopClassUid, NCreateHandler handler) {
        return put(sopClassUid, Dimse.N_CREATE_RQ, handler, DEFAULT_TRANSFER_SYNTAXES);
    }

    public DicomServiceRegistry nSet(String sopClassUid, NSetHandler handler) {
        return put(sopClassUid, Dimse.N_SET_RQ, handler, DEFAULT_TRANSFER_SYNTAXES);
    }

    public DicomServiceRegistry nGet(String sopClassUid, NGetHandler handler) {
        return put(sopClassUid, Dimse.N_GET_RQ, handler, DEFAULT_TRANSFER_SYNTAXES);
    }

    public DicomServiceRegistry nAction(String sopClassUid, NActionHandler handler) {
        return put(sopClassUid, Dimse.N_ACTION_RQ, handler, DEFAULT_TRANSFER_SYNTAXES);
    }

    /** N-EVENT-REPORT receiver, e.g. Storage Commitment results on an association we opened (PS3.4 Annex J). */
    public DicomServiceRegistry nEventReport(String sopClassUid, NEventReportHandler handler) {
        return put(sopClassUid, Dimse.N_EVENT_REPORT_RQ, handler, DEFAULT_TRANSFER_SYNTAXES);
    }

    public DicomServiceRegistry nDelete(String sopClassUid, NDeleteHandler handler) {
        return put(sopClassUid, Dimse.N_DELETE_RQ, handler, DEFAULT_TRANSFER_SYNTAXES);
    }

    /** Sets the transfer syntaxes accepted for a registered SOP class, in our order of preference. */
    public DicomServiceRegistry transferSyntaxes(String sopClassUid, String... inPreferenceOrder) {
        if (inPreferenceOrder.length == 0) {
            throw new IllegalArgumentException("one or more transfer syntaxes");
        }
        Service s = services.get(sopClassUid);
        if (s == null) {
            throw new IllegalStateException("register a handler for " + sopClassUid + " first");
        }
        s.transferSyntaxes = List.of(inPreferenceOrder);
        return this;
    }

    /** Removes every handler of a SOP class (its presentation contexts are no longer accepted). */
    public DicomServiceRegistry remove(String sopClassUid) {
        services.remove(sopClassUid);
        return this;
    }

    public boolean supports(String sopClassUid) {
        return sopClassUid != null && services.containsKey(sopClassUid);
    }

    public Set<String> sopClasses() {
        return new TreeSet<>(services.keySet());
    }

    public List<String> transferSyntaxes(String sopClassUid) {
        Service s = services.get(sopClassUid);
        return s == null ? List.of() : s.transferSyntaxes;
    }

    /** The handler of {@code request} for a SOP class, if registered. */
    public <H> Optional<H> handler(String sopClassUid, Dimse request, Class<H> type) {
        Service s = sopClassUid == null ? null : services.get(sopClassUid);
        return s == null ? Optional.empty() : Optional.ofNullable(type.cast(s.handlers.get(request)));
    }

    /**
     * An acceptor policy that accepts exactly the registered SOP classes with their transfer syntaxes; add AE title
     * rules to the returned builder (called AE titles, calling AE allow-list).
     */
    public AcceptorPolicy.Builder acceptorPolicy() {
        AcceptorPolicy.Builder b = AcceptorPolicy.builder();
        services.forEach((cuid, s) -> b.abstractSyntax(cuid, s.transferSyntaxes.toArray(String[]::new)));
        return b;
    }

    private DicomServiceRegistry put(String sopClassUid, Dimse request, Object handler, List<String> defaultTs) {
        Objects.requireNonNull(sopClassUid, "sopClassUid");
        Objects.requireNonNull(handler, "handler");
        services.computeIfAbsent(sopClassUid, k -> new Service(defaultTs)).handlers.put(request, handler);
        return this;
    }

    private static final class Service {
        final Map<Dimse, Object> handlers = java.util.Collections.synchronizedMap(new EnumMap<>(Dimse.class));
        volatile List<String> transferSyntaxes;

        Service(List<String> ts) {
            transferSyntaxes = ts;
        }
    }
}
