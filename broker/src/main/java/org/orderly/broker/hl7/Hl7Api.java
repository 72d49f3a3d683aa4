package org.orderly.broker.hl7;

import org.orderly.broker.http.Json;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.orderly.broker.http.HttpAdminListener.Api;
import org.orderly.broker.http.HttpAdminListener.Response;
import org.orderly.broker.http.QueryString;
import org.orderly.hl7.ack.Hl7Error;
import org.orderly.hl7.intake.IntakeResult;
import org.orderly.hl7.intake.LoggedMessage;
import org.orderly.hl7.intake.MessageQuery;
import org.orderly.hl7.intake.OrderIntake;

/**
 * The message log API on the HTTP admin port, for the admin console:
 *
 * <ul>
 *   <li>{@code GET /api/hl7/messages?control-id=&type=&outcome=&from=&to=&before=&limit=} - newest
 *       first; {@code from}/{@code to} ISO-8601 with offset ({@code 2024-03-15T09:00:00+01:00});
 *       {@code type} {@code ORM^O01} or {@code ORM}; {@code before} a log id (paging).
 *       Answer: {@code {"messages":[{...}]}} with identifiers, outcome and error only: no message
 *       content, no patient data (PHI stays in the database).</li>
 *   <li>{@code GET /api/hl7/messages/{id}} - one row.</li>
 *   <li>{@code POST /api/hl7/messages/{id}/replay} - runs the logged message again through the
 *       current mapping; answers the outcome and the new log row.</li>
 * </ul>
 */
public final class Hl7Api implements Api {

    public static final String PREFIX = "/api/hl7/";
    private static final Pattern ONE = Pattern.compile("/api/hl7/messages/(\\d{1,18})");
    private static final Pattern REPLAY = Pattern.compile("/api/hl7/messages/(\\d{1,18})/replay");

    private final Supplier<OrderIntake> intake;

    /** @param intake read per request: the intake exists only once the broker has started */
    public Hl7Api(Supplier<OrderIntake> intake) {
        this.intake = intake;
    }

    @Override
    public Response handle(String method, String path, String query) throws Exception {
        OrderIntake in = intake.get();
        if (in == null) {
            return new Response(503, "{\"error\":\"HL7 intake not running\"}");
        }
        Matcher replay = REPLAY.matcher(path);
        if (replay.matches()) {
            if (!"POST".equals(method)) {
                return new Response(405, "{\"error\":\"use POST\"}");
            }
            Optional<IntakeResult> r = in.replay(Long.parseLong(replay.group(1)));
            return r.map(x -> new Response(200, result(x))).orElse(notFound());
        }
        if (!"GET".equals(method)) {
            return new Response(405, "{\"error\":\"use GET\"}");
        }
        Matcher one = ONE.matcher(path);
        if (one.matches()) {
            return in.messageLog().get(Long.parseLong(one.group(1)))
                    .map(m -> new Response(200, json(m))).orElse(notFound());
        }
        if (path.equals("/api/hl7/messages") || path.equals("/api/hl7/messages/")) {
            MessageQuery q;
            try {
                q = query(QueryString.parse(query));
            } catch (IllegalArgumentException e) {
                return new Response(400, "{\"error\":\"" + Json.escape(e.getMessage()) + "\"}");
            }
            List<LoggedMessage> rows = in.messageLog().search(q);
            StringBuilder sb = new StringBuilder("{\"messages\":[");
            for (int i = 0; i < rows.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(json(rows.get(i)));
            }
            return new Response(200, sb.append("]}").toString());
        }
        return notFound();
    }

    static MessageQuery query(Map<String, String> p) {
        return new MessageQuery(p.get("control-id"), p.get("type"), outcome(p.get("outcome")), time(p, "from"),
                time(p, "to"), number(p, "before"), p.containsKey("limit") ? number(p, "limit").intValue() : 0);
    }

    private static String outcome(String o) {
        if (o == null || o.isEmpty()) {
            return null;
        }
        if (!o.matches("A[AER]")) {
            throw new IllegalArgumentException("outcome must be AA, AE or AR");
        }
        return o;
    }

    private static OffsetDateTime time(Map<String, String> p, String name) {
        String v = p.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be ISO-8601 with offset, e.g. 2024-03-15T09:00:00+01:00");
        }
    }

    private static Long number(Map<String, String> p, String name) {
        String v = p.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (!v.matches("\\d{1,18}")) {
            throw new IllegalArgumentException(name + " must be a positive number");
        }
        return Long.parseLong(v);
    }

    private static Response notFound() {
        return new Response(404, "{\"error\":\"not found\"}");
    }

    static String json(LoggedMessage m) {
        return "{\"id\":" + m.id()
                + ",\"receivedAt\":\"" + m.receivedAt() + "\""
                + ",\"peer\":\"" + Json.escape(m.peer()) + "\""
                + ",\"sendingApplication\":\"" + Json.escape(m.sendingApplication()) + "\""
                + ",\"sendingFacility\":\"" + Json.escape(m.sendingFacility()) + "\""
                + ",\"type\":\"" + Json.escape(m.messageType()) + "\""
                + ",\"controlId\":\"" + Json.escape(m.controlId()) + "\""
                + ",\"version\":\"" + Json.escape(m.version()) + "\""
                + ",\"outcome\":\"" + m.outcome() + "\""
                + ",\"applied\":" + m.applied()
                + (m.duplicateOf() > 0 ? ",\"duplicateOf\":" + m.duplicateOf() : "")
                + (m.replayOf() > 0 ? ",\"replayOf\":" + m.replayOf() : "")
                + (m.errorCode() > 0 ? ",\"error\":{\"code\":" + m.errorCode() + ",\"location\":\"" + Json.escape(m.errorLocation())
                        + "\",\"text\":\"" + Json.escape(m.errorText()) + "\"}" : "")
                + ",\"size\":" + m.rawSize() + "}";
    }

    static String result(IntakeResult r) {
        StringBuilder sb = new StringBuilder("{\"outcome\":\"").append(r.code()).append("\",\"logId\":").append(r.logId())
                .append(",\"applied\":").append(r.applied()).append(",\"errors\":[");
        for (int i = 0; i < r.errors().size(); i++) {
            Hl7Error e = r.errors().get(i);
            sb.append(i == 0 ? "" : ",").append("{\"code\":").append(e.code().code()).append(",\"location\":\"")
                    .append(e.location() == null ? "" : Json.escape(e.location().path())).append("\",\"text\":\"")
                    .append(Json.escape(e.text())).append("\"}");
        }
        return sb.append("]}").toString();
    }
}
