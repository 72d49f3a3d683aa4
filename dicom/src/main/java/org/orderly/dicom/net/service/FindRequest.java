package org.orderly.dicom.net.service;

import org.orderly.dicom.data.Attributes;

/**
 * A C-FIND request (PS3.7 §9.1.2.1): the Identifier holds the matching keys and the return keys (PS3.4 §C.2.2.1).
 *
 * @param sopClassUid the Query/Retrieve Information Model (e.g. Modality Worklist, PS3.4 Annex K)
 * @param priority    Priority (0000,0700)
 * @param keys        the decoded Identifier
 */
public record FindRequest(RequestContext context, String sopClassUid, int priority, Attributes keys) {
}
