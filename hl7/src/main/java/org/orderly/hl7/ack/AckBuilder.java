package org.orderly.hl7.ack;

import ca.uhn.hl7v2.parser.DefaultEscaping;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.orderly.hl7.Hl7Charsets;
import org.orderly.hl7.Hl7ParseException;
import org.orderly.hl7.MshHeader;

/**
 * Builds original-mode acknowledgments (HL7 v2.5.1 §2.9.2): MSH, MSA and one ERR per error.
 *
 * <ul>
 *   <li>MSH swaps sending and receiving application/facility, echoes MSH-11 processing ID,
 *       MSH-12 version and MSH-18 character set; MSH-9 is {@code ACK^<event>} (v2.3) or
 *       {@code ACK^<event>^ACK} (v2.3.1 and later, where MSH-9.3 exists).</li>
 *   <li>MSA-1 AA/AE/AR, MSA-2 the inbound MSH-10. Before v2.5 MSA-3 carries the first error's
 *       text (it is kept only for backward compatibility from v2.5 on).</li>
 *   <li>v2.5 and later: {@code ERR||<ERL>|<code>^<text>^HL70357|E||||<user message>} - ERR-2
 *       error location (segment^sequence^field^repetition^component^subcomponent), ERR-3 HL7
 *       error code (Table 0357), ERR-4 severity E, ERR-8 user message (v2.5.1 §2.15.5).</li>
 *   <li>v2.3 to v2.4: {@code ERR|<segment>^<sequence>^<field>^<code>&<text>&HL70357}, ERR-1
 *       data type ELD, one repetition per error (v2.4 §2.16.5.1).</li>
 * </ul>
 * Enhanced mode (MSH-15/16, CA/CE/CR) is not implemented: every ACK is an original-mode
 * application acknowledgment.
 */
public final class AckBuilder {

    /** The version used when the inbound message had none Orderly could read. */
    public static final String FALLBACK_VERSION = "2.5.1";

    private static final EncodingCharacters ENC = new EncodingCharacters('|', "^~\\&");
    private static final DefaultEscaping ESCAPING = new DefaultEscaping();
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");

    private final Clock clock;
    private final Supplier<String> controlIds;

    /** @param controlIds supplies MSH-10 of each ACK (at most 20 characters, HL7 v2.5.1 ST(20)) */
    public AckBuilder(Clock clock, Supplier<String> controlIds) {
        this.clock = clock;
        this.controlIds = controlIds;
    }

    /** System clock; control IDs "ACK" + a counter seeded from the start time. */
    public AckBuilder() {
        this(Clock.systemDefaultZone(), new CounterIds());
    }

    /** AA: only after the change is durably committed. */
    public Ack accept(MshHeader inbound) {
        return build(inbound, AckCode.AA, List.of());
    }

    /** AE: understood but not applicable. */
    public Ack error(MshHeader inbound, List<Hl7Error> errors) {
        return build(inbound, AckCode.AE, errors);
    }

    /** AR: unsupported type, event, version or unparsable. */
    public Ack reject(MshHeader inbound, Hl7Error error) {
        return build(inbound, AckCode.AR, List.of(error));
    }

    /** AR for a message the parser refused, addressed from its MSH when that was readable. */
    public Ack reject(Hl7ParseException e) {
        return build(e.header().orElse(null), AckCode.AR, List.of(e.error()));
    }

    /**
     * @param inbound the inbound header, or null when none could be read (the ACK is then
     *                addressed to nobody, MSA-2 is empty and the version is {@value #FALLBACK_VERSION})
     */
    public Ack build(MshHeader inbound, AckCode code, List<Hl7Error> errors) {
        String version = inbound != null && inbound.version().matches("2\\.\\d(\\.\\d)?") ? inbound.version() : FALLBACK_VERSION;
        Optional<Charset> charset = inbound == null ? Optional.empty() : Hl7Charsets.forMsh18(inbound.characterSet());
        String msh18 = charset.isPresent() && inbound != null ? echo(inbound, inbound.characterSet()) : "";
        String event = inbound == null ? "" : echo(inbound, inbound.triggerEvent());
        String processing = inbound == null || inbound.field(11).isEmpty() ? "P" : echo(inbound, inbound.field(11));
        boolean v23 = version.equals("2.3");
        boolean v25plus = version.compareTo("2.5") >= 0;

        StringBuilder sb = new StringBuilder(256);
        sb.append("MSH|^~\\&|")
                .append(inbound == null ? "" : echo(inbound, inbound.receivingApplication())).append('|')
                .append(inbound == null ? "" : echo(inbound, inbound.receivingFacility())).append('|')
                .append(inbound == null ? "" : echo(inbound, inbound.sendingApplication())).append('|')
                .append(inbound == null ? "" : echo(inbound, inbound.sendingFacility())).append('|')
                .append(TS.format(ZonedDateTime.now(clock))).append("||")
                .append("ACK").append(event.isEmpty() ? "" : "^" + event).append(v23 || event.isEmpty() ? "" : "^ACK").append('|')
                .append(escape(controlIds.get())).append('|')
                .append(processing).append('|')
                .append(version);
        if (!msh18.isEmpty()) {
            sb.append("||||||").append(msh18);
        }
        sb.append('\r');

        sb.append("MSA|").append(code.name()).append('|')
                .append(inbound == null ? "" : escape(inbound.controlId()));
        if (!v25plus && !errors.isEmpty()) {
            sb.append('|').append(escape(truncate(errors.get(0).text(), 80)));
        }
        sb.append('\r');

        if (!errors.isEmpty()) {
            if (v25plus) {
                for (Hl7Error e : errors) {
                    sb.append("ERR||").append(erl(e.location())).append('|')
                            .append(e.code().code()).append('^').append(escape(e.code().text())).append("^HL70357")
                            .append("|E||||").append(escape(e.text())).append('\r');
                }
            } else {
                sb.append("ERR|");
                for (int i = 0; i < errors.size(); i++) {
                    if (i > 0) {
                        sb.append('~');
                    }
                    sb.append(eld(errors.get(i)));
                }
                sb.append('\r');
            }
        }
        return new Ack(code, sb.toString(), charset.orElse(StandardCharsets.ISO_8859_1));
    }

    /** ERL (v2.5+): segment^sequence^field^repetition^component^subcomponent, trailing empties trimmed. */
    static String erl(ErrorLocation l) {
        if (l == null) {
            return "";
        }
        return trimTrailing(escape(l.segmentId()) + '^' + num(l.sequence()) + '^' + num(l.field()) + '^'
                + num(l.repetition()) + '^' + num(l.component()) + '^' + num(l.subcomponent()), '^');
    }

    /** ELD (v2.3-2.4): segment^sequence^field^code&text&HL70357. */
    static String eld(Hl7Error e) {
        ErrorLocation l = e.location();
        String loc = l == null ? "^^" : escape(l.segmentId()) + '^' + num(l.sequence()) + '^' + num(l.field());
        return loc + '^' + e.code().code() + '&' + escape(e.code().text()) + "&HL70357";
    }

    private static String num(int n) {
        return n > 0 ? Integer.toString(n) : "";
    }

    private static String trimTrailing(String s, char c) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == c) {
            end--;
        }
        return s.substring(0, end);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static String escape(String s) {
        return s == null ? "" : ESCAPING.escape(s.replace('\r', ' ').replace('\n', ' '), ENC);
    }

    /**
     * Re-encodes an inbound field for this ACK's encoding characters ({@code ^~\&}): a sender
     * may declare others in MSH-2.
     */
    private static String echo(MshHeader inbound, String raw) {
        String enc = inbound.encodingCharacters();
        if (enc.startsWith("^~\\&") && inbound.field(1).equals("|")) {
            return raw;
        }
        char[] from = {inbound.field(1).charAt(0), enc.charAt(0), enc.charAt(1), enc.charAt(2), enc.length() > 3 ? enc.charAt(3) : '&'};
        char[] to = {'|', '^', '~', '\\', '&'};
        StringBuilder sb = new StringBuilder(raw.length());
        outer:
        for (char c : raw.toCharArray()) {
            for (int i = 0; i < from.length; i++) {
                if (c == from[i]) {
                    sb.append(to[i]);
                    continue outer;
                }
            }
            if (c == '|' || c == '^' || c == '~' || c == '\\' || c == '&') {
                sb.append(ESCAPING.escape(String.valueOf(c), ENC));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** "ACK" + a counter seeded from the clock: unique across restarts, at most 20 characters. */
    static final class CounterIds implements Supplier<String> {
        private final AtomicLong next = new AtomicLong(System.currentTimeMillis() * 10);

        @Override
        public String get() {
            return "ACK" + next.getAndIncrement();
        }
    }
}
