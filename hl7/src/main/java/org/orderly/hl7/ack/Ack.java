package org.orderly.hl7.ack;

import java.nio.charset.Charset;

/**
 * An encoded acknowledgment.
 *
 * @param code    MSA-1
 * @param text    the message, {@code \r} after every segment, no MLLP framing
 * @param charset the charset to send it in (that of the inbound MSH-18)
 */
public record Ack(AckCode code, String text, Charset charset) {

    public byte[] bytes() {
        return text.getBytes(charset);
    }
}
