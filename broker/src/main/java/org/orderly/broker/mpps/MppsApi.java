package org.orderly.broker.mpps;

import org.orderly.broker.http.Json;
import java.util.List;
import java.util.function.Supplier;
import org.orderly.broker.http.HttpAdminListener.Api;
import org.orderly.broker.http.HttpAdminListener.Response;
import org.orderly.dicom.data.Tag;
import org.orderly.mpps.store.MppsRecord;

/**
 * Admin JSON endpoints for MPPS and the RIS status messages (identifiers only, no patient data):
 * <ul>
 *   <li>{@code GET /api/mpps/dlq}: the dead-letter queue - messages that failed {@code orderly.ris.max-attempts}
 *       times (or whose images never came), each with its last error and how many messages of the same order wait
 *       behind it;</li>
 *   <li>{@code POST /api/mpps/dlq/retry} (all) or {@code POST /api/mpps/dlq/retry?id=N}: back to the queue with
 *       the attempts reset, sent in order with the ones waiting behind;</li>
 *   <li>{@code GET /api/mpps/outbound?state=PENDING|WAITING_IMAGES|ACKED|DEAD}: status messages by state;</li>
 *   <li>{@code GET /api/mpps/unscheduled}: MPPS that matched no worklist step (newest first, 200 at most).</li>
 * </ul>
 */
public final class MppsApi implements Api {

    public static final String PREFIX = "/api/mpps/";

    private final Supplier<MppsService> service;

    public MppsApi(Supplier<MppsService> service) {
        this.service = service;
    }

    @Override
    public Response handle(String method, String path, String query) throws Exception {
        MppsService s = service.get();
        if (s == null) {
            return new Response(503, "{\"error\":\"MPPS service not running\"}");
        }
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        switch (p) {
            case "/api/mpps/dlq" -> {
                if (!"GET".equals(method)) {
                    return new Response(405, "{\"error\":\"use GET\"}");
                }
                return new Response(200, rows(s.outbound(), s.outbound().inState(RisOutboundQueue.State.DEAD, 1000), true));
            }
            case "/api/mpps/dlq/retry" -> {
                if (!"POST".equals(method)) {
                    return new Response(405, "{\"error\":\"use POST\"}");
                }
                Long id = null;
                String q = query == null ? "" : query;
                for (String kv : q.split("&")) {
                    if (kv.startsWith("id=")) {
                        try {
                            id = Long.parseLong(kv.substring(3));
                        } catch (NumberFormatException e) {
                            return new Response(400, "{\"error\":\"id must be a number\"}");
                        }
                    }
                }
                int n = s.retryDead(id);
                return new Response(200, "{\"retried\":" + n + "}");
            }
            case "/api/mpps/outbound" -> {
                RisOutboundQueue.State state;
                try {
                    state = RisOutboundQueue.State.valueOf(query == null || !query.startsWith("state=") ? "PENDING"
                            : query.substring(6));
                } catch (IllegalArgumentException e) {
                    return new Response(400, "{\"error\":\"state must be PENDING, WAITING_IMAGES, ACKED or DEAD\"}");
                }
                return new Response(200, rows(s.outbound(), s.outbound().inState(state, 1000), false));
            }
            case "/api/mpps/unscheduled" -> {
                StringBuilder b = new StringBuilder("{\"unscheduled\":[");
                List<MppsRecord> list = s.store().unscheduled(200);
                for (int i = 0; i < list.size(); i++) {
                    MppsRecord r = list.get(i);
                    b.append(i == 0 ? "" : ",").append("{\"sopInstanceUid\":\"").append(Json.escape(r.sopInstanceUid()))
                            .append("\",\"status\":\"").append(r.status().term())
                            .append("\",\"callingAe\":\"").append(Json.escape(r.callingAe()))
                            .append("\",\"performedStationAe\":\"")
                            .append(Json.escape(r.attributes().getString(Tag.PerformedStationAETitle)))
                            .append("\",\"createdAt\":").append(r.createdAt()).append('}');
                }
                return new Response(200, b.append("]}").toString());
            }
            default -> {
                return new Response(404, "{\"error\":\"not found\"}");
            }
        }
    }

    private static String rows(RisOutboundQueue q, List<RisOutboundQueue.Row> rows, boolean blocked) throws Exception {
        StringBuilder b = new StringBuilder("{\"messages\":[");
        for (int i = 0; i < rows.size(); i++) {
            RisOutboundQueue.Row r = rows.get(i);
            b.append(i == 0 ? "" : ",").append("{\"id\":").append(r.id())
                    .append(",\"msh10\":\"").append(Json.escape(r.msh10()))
                    .append("\",\"messageType\":\"").append(Json.escape(r.messageType()))
                    .append("\",\"mppsUid\":\"").append(Json.escape(r.mppsUid()))
                    .append("\",\"orderKey\":\"").append(Json.escape(r.orderKey()))
                    .append("\",\"state\":\"").append(r.state())
                    .append("\",\"attempts\":").append(r.attempts())
                    .append(",\"lastError\":").append(r.lastError() == null ? "null" : "\"" + Json.escape(r.lastError()) + "\"");
            if (blocked) {
                b.append(",\"waitingBehind\":").append(q.blockedBehind(r.orderKey(), r.id()));
            }
            b.append('}');
        }
        return b.append("]}").toString();
    }
}
