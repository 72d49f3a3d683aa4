package org.orderly.hl7.intake;

/**
 * Where a worklist change came from, for the store's bookkeeping and the worklist events
 * ({@code orderlyControlId} header). Identifiers only, no PHI.
 *
 * @param sender       MSH-3 and MSH-4 as sent, {@code app|facility}: the namespace of the sender's
 *                     order numbers and control IDs
 * @param messageType  e.g. ORM^O01
 * @param controlId    MSH-10
 * @param logId        the row of {@code hl7_message_log} that records the message
 */
public record Origin(String sender, String messageType, String controlId, long logId) {
}
