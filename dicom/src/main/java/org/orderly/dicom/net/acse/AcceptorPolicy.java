package org.orderly.dicom.net.acse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.orderly.dicom.net.pdu.ApplicationContextItem;
import org.orderly.dicom.net.pdu.AssociateAc;
import org.orderly.dicom.net.pdu.AssociateRj;
import org.orderly.dicom.net.pdu.AssociateRq;
import org.orderly.dicom.net.pdu.AsynchronousOperationsWindowSubItem;
import org.orderly.dicom.net.pdu.ImplementationClassUidSubItem;
import org.orderly.dicom.net.pdu.ImplementationVersionNameSubItem;
import org.orderly.dicom.net.pdu.MaximumLengthSubItem;
import org.orderly.dicom.net.pdu.PresentationContextAcItem;
import org.orderly.dicom.net.pdu.PresentationContextRqItem;
import org.orderly.dicom.net.pdu.ScpScuRoleSelectionSubItem;
import org.orderly.dicom.net.pdu.UserInformationItem;
import org.orderly.dicom.net.pdu.UserSubItem;

/**
 * The acceptor's association policy (PS3.8 §9.3.3, PS3.7 Annex D.3.3):
 * <ol>
 *   <li>application context must be the DICOM one, else A-ASSOCIATE-RJ 1/1/2 (PS3.8 Table 9-21);</li>
 *   <li>called AE title must be one of ours (default: the settings' AE title), else 1/1/7;</li>
 *   <li>calling AE title must be on the allow-list if one is set (empty = any), else 1/1/3; then the
 *       {@link CallingAeCheck}, if any, may refuse it (also 1/1/3);</li>
 *   <li>each presentation context: abstract syntax supported, else result 3; the first transfer syntax of
 *       <em>our</em> preference list that the requestor proposes wins, else result 4 (PS3.8 Table 9-18);</li>
 *   <li>SCP/SCU role selection answered per SOP class (requestor as SCU accepted by default; as SCP only where
 *       configured), PS3.7 Annex D.3.3.4;</li>
 *   <li>Maximum Length, Implementation Class UID and Version Name from the settings; an Asynchronous Operations
 *       Window answer (the settings' window, 1/1 by default, capped by the proposal) only if one was proposed,
 *       PS3.7 Annex D.3.3.3. Extended negotiation (56H/57H) and user identity (58H) are not answered, which
 *       the standard defines as "not supported" / "no server response".</li>
 * </ol>
 */
public final class AcceptorPolicy implements AssociationNegotiator {

    private final Set<String> calledAeTitles;
    private final Set<String> callingAeTitles;
    private final Map<String, List<String>> transferSyntaxPreference;
    private final Set<String> scpRoleSopClasses;
    private final boolean acceptScuRole;
    private final CallingAeCheck callingAeCheck;

    private AcceptorPolicy(Builder b) {
        this.callingAeCheck = b.callingAeCheck;
        this.calledAeTitles = Set.copyOf(b.calledAeTitles);
        this.callingAeTitles = Set.copyOf(b.callingAeTitles);
        Map<String, List<String>> m = new LinkedHashMap<>();
        b.transferSyntaxPreference.forEach((k, v) -> m.put(k, List.copyOf(v)));
        this.transferSyntaxPreference = Map.copyOf(m);
        this.scpRoleSopClasses = Set.copyOf(b.scpRoleSopClasses);
        this.acceptScuRole = b.acceptScuRole;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Negotiation negotiate(AssociateRq rq, AssociationSettings settings) {
        if (!ApplicationContextItem.DICOM_APPLICATION_CONTEXT.equals(rq.applicationContext().name())) {
            return Negotiation.reject(AssociateRj.of(AssociateRj.Result.REJECTED_PERMANENT,
                    AssociateRj.Reason.APPLICATION_CONTEXT_NAME_NOT_SUPPORTED),
                    "application context " + rq.applicationContext().name() + " not supported");
        }
        Set<String> called = calledAeTitles.isEmpty() ? Set.of(settings.aeTitle()) : calledAeTitles;
        if (!called.contains(rq.calledAeTitle())) {
            return Negotiation.reject(AssociateRj.of(AssociateRj.Result.REJECTED_PERMANENT,
                    AssociateRj.Reason.CALLED_AE_TITLE_NOT_RECOGNIZED),
                    "called AE title '" + rq.calledAeTitle() + "' is not ours " + called);
        }
        if (!callingAeTitles.isEmpty() && !callingAeTitles.contains(rq.callingAeTitle())) {
            return Negotiation.reject(AssociateRj.of(AssociateRj.Result.REJECTED_PERMANENT,
                    AssociateRj.Reason.CALLING_AE_TITLE_NOT_RECOGNIZED),
                    "calling AE title '" + rq.callingAeTitle() + "' is not on the allow-list");
        }
        if (callingAeCheck != null) {
            Set<String> proposed = new LinkedHashSet<>();
            rq.presentationContexts().forEach(pc -> proposed.add(pc.abstractSyntax()));
            String refusal = callingAeCheck.refusal(rq.callingAeTitle(), proposed);
            if (refusal != null) {
                return Negotiation.reject(AssociateRj.of(AssociateRj.Result.REJECTED_PERMANENT,
                        AssociateRj.Reason.CALLING_AE_TITLE_NOT_RECOGNIZED), refusal);
            }
        }
        List<PresentationContextAcItem> pcs = new ArrayList<>();
        for (PresentationContextRqItem pc : rq.presentationContexts()) {
            pcs.add(negotiate(pc));
        }
        return Negotiation.accept(new AssociateAc(AssociateRq.PROTOCOL_VERSION_1, rq.calledAeTitle(),
                rq.callingAeTitle(), ApplicationContextItem.DICOM, pcs, userInformation(rq, settings)));
    }

    private PresentationContextAcItem negotiate(PresentationContextRqItem pc) {
        List<String> ours = transferSyntaxPreference.get(pc.abstractSyntax());
        if (ours == null) {
            return new PresentationContextAcItem(pc.id(),
                    PresentationContextAcItem.Result.ABSTRACT_SYNTAX_NOT_SUPPORTED, null);
        }
        for (String ts : ours) { // our preference order decides, PS3.8 §9.3.3.2 leaves the choice to the acceptor
            if (pc.transferSyntaxes().contains(ts)) {
                return new PresentationContextAcItem(pc.id(), PresentationContextAcItem.Result.ACCEPTANCE, ts);
            }
        }
        return new PresentationContextAcItem(pc.id(),
                PresentationContextAcItem.Result.TRANSFER_SYNTAXES_NOT_SUPPORTED, null);
    }

    private UserInformationItem userInformation(AssociateRq rq, AssociationSettings settings) {
        UserInformationItem in = rq.userInformation();
        List<UserSubItem> out = new ArrayList<>();
        out.add(new MaximumLengthSubItem(settings.maxPduLengthReceive()));
        out.add(new ImplementationClassUidSubItem(settings.implementationClassUid()));
        Optional<AsynchronousOperationsWindowSubItem> window = in.asynchronousOperationsWindow();
        window.ifPresent(w -> out.add(new AsynchronousOperationsWindowSubItem(
                cap(w.maxOperationsInvoked(), settings.maxOperationsInvoked()),
                cap(w.maxOperationsPerformed(), settings.maxOperationsPerformed()))));
        Set<String> seen = new LinkedHashSet<>();
        for (ScpScuRoleSelectionSubItem role : in.roleSelections()) {
            if (seen.add(role.sopClassUid())) { // PS3.7 D.3.3.4: one answer per SOP class
                out.add(new ScpScuRoleSelectionSubItem(role.sopClassUid(), role.scuRole() && acceptScuRole,
                        role.scpRole() && scpRoleSopClasses.contains(role.sopClassUid())));
            }
        }
        if (settings.implementationVersionName() != null) {
            out.add(new ImplementationVersionNameSubItem(settings.implementationVersionName()));
        }
        return new UserInformationItem(out);
    }

    /** PS3.7 Annex D.3.3.3: 0 = unlimited; answer no more than proposed and no more than we support. */
    private static int cap(int proposed, int ours) {
        if (proposed == 0) {
            return ours;
        }
        if (ours == 0) {
            return proposed;
        }
        return Math.min(proposed, ours);
    }

    public static final class Builder {
        private final Set<String> calledAeTitles = new LinkedHashSet<>();
        private final Set<String> callingAeTitles = new LinkedHashSet<>();
        private final Map<String, List<String>> transferSyntaxPreference = new LinkedHashMap<>();
        private final Set<String> scpRoleSopClasses = new LinkedHashSet<>();
        private boolean acceptScuRole = true;
        private CallingAeCheck callingAeCheck;

        private Builder() {
        }

        /** A run-time check of the calling AE title after the allow-list (null = none). */
        public Builder callingAeCheck(CallingAeCheck check) {
            callingAeCheck = check;
            return this;
        }

        /** Called AE titles we answer to; if none are given, the settings' AE title. */
        public Builder calledAeTitles(String... aes) {
            calledAeTitles.addAll(List.of(aes));
            return this;
        }

        /** Calling AE titles allowed to associate; none = any. */
        public Builder callingAeTitles(String... aes) {
            callingAeTitles.addAll(List.of(aes));
            return this;
        }

        /** Supports an abstract syntax with transfer syntaxes in OUR order of preference. */
        public Builder abstractSyntax(String abstractSyntax, String... transferSyntaxesInPreferenceOrder) {
            if (transferSyntaxesInPreferenceOrder.length == 0) {
                throw new IllegalArgumentException("one or more transfer syntaxes for " + abstractSyntax);
            }
            transferSyntaxPreference.put(abstractSyntax, List.of(transferSyntaxesInPreferenceOrder));
            return this;
        }

        /** Accepts the requestor acting as SCP for this SOP class when it proposes it (e.g. C-GET storage). */
        public Builder acceptScpRole(String sopClassUid) {
            scpRoleSopClasses.add(sopClassUid);
            return this;
        }

        /** Whether the requestor's proposal to act as SCU is accepted (default true). */
        public Builder acceptScuRole(boolean accept) {
            acceptScuRole = accept;
            return this;
        }

        public AcceptorPolicy build() {
            return new AcceptorPolicy(this);
        }
    }
}
