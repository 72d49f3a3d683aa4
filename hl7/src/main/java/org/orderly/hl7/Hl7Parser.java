package org.orderly.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.parser.GenericModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.parser.UnexpectedSegmentBehaviourEnum;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.orderly.hl7.ack.ErrorCode;
import org.orderly.hl7.ack.ErrorLocation;

/**
 * Tolerant HL7 v2 parser for what real RIS send: versions 2.3, 2.3.1, 2.4, 2.5 and 2.5.1;
 * {@code \n} or {@code \r\n} between segments; Z-segments; missing trailing fields; MSH-18
 * character sets.
 *
 * <p>One {@link HapiContext} owns the configuration. It uses HAPI's
 * {@link GenericModelClassFactory}: every message becomes a flat list of generic segments in
 * wire order, whatever its version or structure. The typed structures put the same segment
 * under different group paths per version and message (v2.3.1 ORM_O01
 * {@code ORDER(n)/ORDER_DETAIL/OBR}, v2.5.1 OMI_O23 {@code ORDER(n)/OBR} with
 * {@code TIMING/TQ1} and {@code IPC(n)}), and a Z-segment lands wherever the parser happened
 * to be. A flat list lets one code path ({@code org.orderly.hl7.mapping.OrderGroups}) split
 * orders the way HL7 defines them, by ORC, for every version. Validation is off: real senders
 * break length and table rules that do not matter to a worklist; what Orderly needs is checked
 * by the mapping (HL7 v2.5.1 §2.12.1 leaves the strictness to the receiver).
 *
 * <p>Thread-safe: one HAPI {@link PipeParser} per thread. A PipeParser shared by threads is not: it fills a
 * plain {@code HashMap} of structure definitions on first use of each message structure, and two connections
 * parsing their first ORM at once failed with a NullPointerException inside HAPI (answered AR "unparsable").
 */
public final class Hl7Parser {

    /** HL7 versions this parser accepts in MSH-12. */
    public static final Set<String> SUPPORTED_VERSIONS = Set.of("2.3", "2.3.1", "2.4", "2.5", "2.5.1");

    private final ThreadLocal<PipeParser> parser;

    public Hl7Parser() {
        HapiContext context = new DefaultHapiContext();
        context.setModelClassFactory(new GenericModelClassFactory());
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setValidating(false);
        context.getParserConfiguration().setEscaping(new Hl7Escaping());
        context.getParserConfiguration().setUnexpectedSegmentBehaviour(UnexpectedSegmentBehaviourEnum.ADD_INLINE);
        // new PipeParser(context), not context.getPipeParser(): the context hands every caller the same instance
        this.parser = ThreadLocal.withInitial(() -> new PipeParser(context));
    }

    /**
     * Parses raw bytes as received (MLLP framing already removed or not): picks the charset from
     * MSH-18 (read from the ASCII header), decodes, then parses.
     *
     * @throws Hl7ParseException with the ERR code for an AR: 100 no MSH, 103 unknown MSH-18
     *                           charset, 101 missing MSH-9/MSH-10, 203 unsupported version,
     *                           102/207 for what HAPI rejects
     */
    public ParsedMessage parse(byte[] raw) throws Hl7ParseException {
        MshHeader rawHeader = MshHeader.read(raw).orElseThrow(() -> new Hl7ParseException(
                ErrorCode.SEGMENT_SEQUENCE_ERROR, ErrorLocation.segment("MSH", 1),
                "message does not start with an MSH segment", null, null));
        Optional<Charset> charset = Hl7Charsets.forMsh18(rawHeader.characterSet());
        if (charset.isEmpty()) {
            throw new Hl7ParseException(ErrorCode.TABLE_VALUE_NOT_FOUND, ErrorLocation.field("MSH", 1, 18),
                    "unsupported character set in MSH-18: " + rawHeader.characterSet(), rawHeader, null);
        }
        return parse(new String(raw, charset.get()), charset.get());
    }

    /** Parses text that is already decoded (the charset is reported as the MSH-18 one). */
    public ParsedMessage parse(String text) throws Hl7ParseException {
        MshHeader header = MshHeader.read(text).orElse(null);
        Charset charset = header == null ? null : Hl7Charsets.forMsh18(header.characterSet()).orElse(null);
        return parse(text, charset);
    }

    private ParsedMessage parse(String text, Charset charset) throws Hl7ParseException {
        String normalized = normalize(text);
        MshHeader header = MshHeader.read(normalized).orElseThrow(() -> new Hl7ParseException(
                ErrorCode.SEGMENT_SEQUENCE_ERROR, ErrorLocation.segment("MSH", 1),
                "message does not start with an MSH segment", null, null));
        if (header.encodingCharacters().length() < 4) {
            throw new Hl7ParseException(ErrorCode.REQUIRED_FIELD_MISSING, ErrorLocation.field("MSH", 1, 2),
                    "MSH-2 encoding characters missing", header, null);
        }
        if (header.messageType().isEmpty() || header.triggerEvent().isEmpty()) {
            throw new Hl7ParseException(ErrorCode.REQUIRED_FIELD_MISSING, ErrorLocation.field("MSH", 1, 9),
                    "MSH-9 message type missing", header, null);
        }
        if (header.controlId().isEmpty()) {
            throw new Hl7ParseException(ErrorCode.REQUIRED_FIELD_MISSING, ErrorLocation.field("MSH", 1, 10),
                    "MSH-10 message control ID missing", header, null);
        }
        if (!SUPPORTED_VERSIONS.contains(header.version())) {
            throw new Hl7ParseException(ErrorCode.UNSUPPORTED_VERSION_ID, ErrorLocation.field("MSH", 1, 12),
                    "unsupported HL7 version '" + header.version() + "', supported " + sortedVersions(), header, null);
        }
        Message message;
        try {
            message = parser.get().parse(normalized);
        } catch (HL7Exception e) {
            throw new Hl7ParseException(ErrorCode.DATA_TYPE_ERROR, ErrorLocation.segment("MSH", 1),
                    "unparsable message: " + e.getMessage(), header, e);
        } catch (RuntimeException e) {
            throw new Hl7ParseException(ErrorCode.APPLICATION_INTERNAL_ERROR, ErrorLocation.segment("MSH", 1),
                    "unparsable message: " + e, header, e);
        }
        List<Segment> segments = new ArrayList<>();
        collect(message, segments);
        return new ParsedMessage(header, message, segments, charset, normalized);
    }

    private static String sortedVersions() {
        return "2.3, 2.3.1, 2.4, 2.5, 2.5.1";
    }

    private static void collect(Group group, List<Segment> out) throws Hl7ParseException {
        try {
            for (String name : group.getNames()) {
                for (Structure s : group.getAll(name)) {
                    if (s instanceof Segment seg) {
                        out.add(seg);
                    } else if (s instanceof Group g) {
                        collect(g, out);
                    }
                }
            }
        } catch (HL7Exception e) {
            throw new Hl7ParseException(ErrorCode.APPLICATION_INTERNAL_ERROR, ErrorLocation.segment("MSH", 1),
                    "cannot walk message structure: " + e.getMessage(), null, e);
        }
    }

    /**
     * Removes MLLP framing and a byte order mark, turns {@code \r\n} and {@code \n} into the
     * {@code \r} segment terminator (HL7 v2.5.1 §2.5.2) and drops empty lines.
     */
    static String normalize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == 0x0B || c == 0x1C || c == '\uFEFF') {
                i++;
                continue;
            }
            if (c == '\r' || c == '\n') {
                if (out.length() > 0 && out.charAt(out.length() - 1) != '\r') {
                    out.append('\r');
                }
                i++;
                continue;
            }
            out.append(c);
            i++;
        }
        if (out.length() > 0 && out.charAt(out.length() - 1) != '\r') {
            out.append('\r');
        }
        return out.toString();
    }
}
