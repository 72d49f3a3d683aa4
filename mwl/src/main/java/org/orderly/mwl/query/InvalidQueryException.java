package org.orderly.mwl.query;

import org.orderly.dicom.data.Tags;

/**
 * A C-FIND identifier that cannot be matched (e.g. a malformed date range). Carries the offending tag; the
 * message holds no value (no PHI) and fits an Error Comment (PS3.7 Annex C, 64 characters).
 */
public final class InvalidQueryException extends Exception {

    private static final long serialVersionUID = 1L;
    private final int tag;

    public InvalidQueryException(int tag, String reason) {
        super(reason + " in " + Tags.toString(tag));
        this.tag = tag;
    }

    public int tag() {
        return tag;
    }
}
