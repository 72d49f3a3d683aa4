package org.orderly.hl7.intake;

import java.time.OffsetDateTime;

/**
 * One row of the message log as the admin console sees it: identifiers, outcome and error, no
 * message content (the raw text holds PHI; it is read only to replay).
 *
 * @param id          the log row
 * @param receivedAt  when it arrived
 * @param peer        remote address, or {@code replay}
 * @param sendingApplication MSH-3
 * @param sendingFacility    MSH-4
 * @param messageType e.g. ORM^O01, "" when unreadable
 * @param controlId   MSH-10, "" when unreadable
 * @param version     MSH-12
 * @param outcome     AA, AE or AR
 * @param duplicateOf the applied message this one repeated, or 0
 * @param replayOf    the message this one replayed, or 0
 * @param errorCode   HL7 table 0357 code, or 0
 * @param errorLocation ERR-2, e.g. ORC^1^1
 * @param errorText   ERR-8
 * @param applied     whether this message changed the worklist
 * @param rawSize     bytes received
 */
public record LoggedMessage(long id, OffsetDateTime receivedAt, String peer, String sendingApplication,
                            String sendingFacility, String messageType, String controlId, String version,
                            String outcome, long duplicateOf, long replayOf, int errorCode, String errorLocation,
                            String errorText, boolean applied, int rawSize) {
}
