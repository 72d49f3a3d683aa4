package org.orderly.dicom.net.acse;

import java.util.Set;

/**
 * A dynamic decision on the calling AE title of an A-ASSOCIATE-RQ, asked by {@link AcceptorPolicy} after its static
 * checks, so that an application can refuse callers by rules it reloads at run time and per service (e.g. the
 * worklist refuses unknown modalities while storage accepts anyone). A refusal is answered A-ASSOCIATE-RJ
 * rejected-permanent, source DICOM UL service-user, reason 3 "calling-AE-title-not-recognized" (PS3.8 §9.3.4,
 * Table 9-21).
 */
@FunctionalInterface
public interface CallingAeCheck {

    /**
     * @param callingAeTitle   the requestor's AE title
     * @param abstractSyntaxes the abstract syntaxes (SOP classes) the requestor proposes
     * @return null to go on with the negotiation, else the reason of the refusal (for the log line)
     */
    String refusal(String callingAeTitle, Set<String> abstractSyntaxes);
}
