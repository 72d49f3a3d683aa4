package org.orderly.dicom.net.acse;

import java.util.ArrayList;
import java.util.List;

import org.orderly.dicom.net.pdu.AssociateRq;
import org.orderly.dicom.net.pdu.AsynchronousOperationsWindowSubItem;
import org.orderly.dicom.net.pdu.ImplementationClassUidSubItem;
import org.orderly.dicom.net.pdu.ImplementationVersionNameSubItem;
import org.orderly.dicom.net.pdu.MaximumLengthSubItem;
import org.orderly.dicom.net.pdu.PresentationContextRqItem;
import org.orderly.dicom.net.pdu.ScpScuRoleSelectionSubItem;
import org.orderly.dicom.net.pdu.UserInformationItem;
import org.orderly.dicom.net.pdu.UserSubItem;

/**
 * What a requestor asks for: the called AE and the presentation contexts to propose (IDs 1, 3, 5, ... in order,
 * PS3.8 §9.3.2.2), plus optional role selections and extra user information sub-items (user identity, extended
 * negotiation). {@link #toAssociateRq} adds the user information our settings dictate (PS3.7 Annex D.3.3).
 */
public final class AssociationRequest {

    private final String calledAeTitle;
    private final String callingAeTitle;
    private final List<PresentationContextRqItem> contexts;
    private final List<UserSubItem> extraSubItems;

    private AssociationRequest(Builder b) {
        this.calledAeTitle = b.calledAeTitle;
        this.callingAeTitle = b.callingAeTitle;
        this.contexts = List.copyOf(b.contexts);
        this.extraSubItems = List.copyOf(b.extra);
    }

    public static Builder builder(String calledAeTitle) {
        return new Builder(calledAeTitle);
    }

    public String calledAeTitle() {
        return calledAeTitle;
    }

    public List<PresentationContextRqItem> presentationContexts() {
        return contexts;
    }

    /** The A-ASSOCIATE-RQ for these settings: calling AE from the settings unless set explicitly. */
    public AssociateRq toAssociateRq(AssociationSettings settings) {
        List<UserSubItem> user = new ArrayList<>();
        user.add(new MaximumLengthSubItem(settings.maxPduLengthReceive()));
        user.add(new ImplementationClassUidSubItem(settings.implementationClassUid()));
        if (settings.maxOperationsInvoked() != 1 || settings.maxOperationsPerformed() != 1) {
            // PS3.7 Annex D.3.3.3: absence means the default 1/1
            user.add(new AsynchronousOperationsWindowSubItem(settings.maxOperationsInvoked(),
                    settings.maxOperationsPerformed()));
        }
        extraSubItems.stream().filter(ScpScuRoleSelectionSubItem.class::isInstance).forEach(user::add);
        if (settings.implementationVersionName() != null) {
            user.add(new ImplementationVersionNameSubItem(settings.implementationVersionName()));
        }
        extraSubItems.stream().filter(s -> !(s instanceof ScpScuRoleSelectionSubItem)).forEach(user::add);
        return new AssociateRq(calledAeTitle, callingAeTitle != null ? callingAeTitle : settings.aeTitle(), contexts,
                new UserInformationItem(user));
    }

    public static final class Builder {
        private final String calledAeTitle;
        private String callingAeTitle;
        private final List<PresentationContextRqItem> contexts = new ArrayList<>();
        private final List<UserSubItem> extra = new ArrayList<>();

        private Builder(String calledAeTitle) {
            this.calledAeTitle = calledAeTitle;
        }

        /** Overrides the calling AE title (default: {@link AssociationSettings#aeTitle()}). */
        public Builder callingAeTitle(String ae) {
            callingAeTitle = ae;
            return this;
        }

        /** Proposes one presentation context; the ID is the next odd number. */
        public Builder addPresentationContext(String abstractSyntax, String... transferSyntaxes) {
            int id = 2 * contexts.size() + 1;
            if (id > 255) {
                throw new IllegalStateException("at most 128 presentation contexts (PS3.8 §9.3.2.2)");
            }
            contexts.add(new PresentationContextRqItem(id, abstractSyntax, List.of(transferSyntaxes)));
            return this;
        }

        /** Proposes SCP/SCU roles for a SOP class, PS3.7 Annex D.3.3.4. */
        public Builder addRoleSelection(String sopClassUid, boolean scu, boolean scp) {
            extra.add(new ScpScuRoleSelectionSubItem(sopClassUid, scu, scp));
            return this;
        }

        /** Any other user information sub-item (user identity, extended negotiation...). */
        public Builder addUserSubItem(UserSubItem item) {
            extra.add(item);
            return this;
        }

        public AssociationRequest build() {
            if (contexts.isEmpty()) {
                throw new IllegalStateException("an A-ASSOCIATE-RQ needs one or more presentation contexts");
            }
            return new AssociationRequest(this);
        }
    }
}
