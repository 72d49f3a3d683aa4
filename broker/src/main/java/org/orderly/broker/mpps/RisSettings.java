package org.orderly.broker.mpps;

import java.time.Duration;

/**
 * The settings of status delivery to the RIS (docs/admin-guide.md, orderly-defaults.properties).
 *
 * @param host           {@code orderly.ris.host}; null = status messages disabled
 * @param maxAttempts    {@code orderly.ris.max-attempts}: sends before a message goes to the dead-letter queue
 * @param backoffInitial {@code orderly.ris.backoff-initial-ms}: wait after the first failed attempt, doubled after
 *                       each further one up to {@code backoffMax}
 * @param ackTimeout     {@code orderly.ris.ack-timeout-ms}: connect and ACK wait
 * @param holdForImages  {@code orderly.mpps.hold-for-images}: hold COMPLETED until the referenced instances arrived
 * @param holdTimeout    {@code orderly.mpps.hold-timeout-seconds}
 * @param holdAction     {@code orderly.mpps.hold-timeout-action}: what happens when the images do not arrive in time
 */
public record RisSettings(String host, int port, int maxAttempts, Duration backoffInitial, Duration backoffMax,
        Duration ackTimeout, boolean holdForImages, Duration holdTimeout, HoldAction holdAction) {

    /** On hold timeout: {@code send} the message anyway, or put it in the {@code dead-letter} queue. */
    public enum HoldAction {
        SEND, DEAD_LETTER;

        public static HoldAction parse(String v) {
            return switch (v.strip()) {
                case "send" -> SEND;
                case "dead-letter" -> DEAD_LETTER;
                default -> throw new IllegalArgumentException("hold-timeout-action must be send or dead-letter: " + v);
            };
        }
    }

    public boolean enabled() {
        return host != null && !host.isBlank() && port > 0;
    }

    /** The wait before attempt {@code failedAttempts + 1}: initial * 2^(failed-1), at most the maximum. */
    public long backoffMillis(int failedAttempts) {
        long d = backoffInitial.toMillis();
        for (int i = 1; i < failedAttempts && d < backoffMax.toMillis(); i++) {
            d *= 2;
        }
        return Math.min(d, backoffMax.toMillis());
    }
}
