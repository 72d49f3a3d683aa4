package org.orderly.hl7.intake;

import java.time.OffsetDateTime;

/**
 * A search of the message log; null or empty fields do not restrict. Newest first.
 *
 * @param controlId    MSH-10, exact
 * @param messageType  e.g. ORM^O01 or ORM (type only), exact
 * @param outcome      AA, AE or AR
 * @param from         received at or after
 * @param to           received before
 * @param beforeId     only rows with a smaller id (paging: pass the last id of the previous page)
 * @param limit        at most this many rows (1..{@value #MAX_LIMIT})
 */
public record MessageQuery(String controlId, String messageType, String outcome, OffsetDateTime from,
                           OffsetDateTime to, Long beforeId, int limit) {

    public static final int MAX_LIMIT = 500;
    public static final int DEFAULT_LIMIT = 50;

    public MessageQuery {
        if (limit <= 0) {
            limit = DEFAULT_LIMIT;
        }
        limit = Math.min(limit, MAX_LIMIT);
    }

    public static MessageQuery all() {
        return new MessageQuery(null, null, null, null, null, null, DEFAULT_LIMIT);
    }
}
