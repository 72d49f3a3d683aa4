package org.orderly.broker.mwl;

import org.orderly.broker.http.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.orderly.broker.http.HttpAdminListener.Api;
import org.orderly.broker.http.HttpAdminListener.Response;
import org.orderly.broker.http.QueryString;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.io.DicomInputStream;
import org.orderly.mwl.importer.ImportRefusedException;
import org.orderly.mwl.importer.WorklistImport;
import org.orderly.mwl.log.QueryLogEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worklist on the HTTP admin port:
 * <ul>
 *   <li>{@code GET /api/mwl/queries?calling-ae=&from=&to=&limit=} - the query log, newest first ({@code from} and
 *       {@code to} ISO-8601 with offset; {@code limit} 1..1000, default 100): who asked what, how many answers, the
 *       final status and the time taken. Carries the query keys (which may name patients): admin port only.</li>
 *   <li>{@code GET /api/mwl/rules} - the rules file: path, when read, applied or not, problems.</li>
 *   <li>{@code POST /api/mwl/items} with one worklist item as the body ({@code application/dicom}: a Part 10 file
 *       or a raw data set, as dcmtk wlmscpfs and Orthanc keep them in {@code .wl} files; at most 1 MiB) - imports
 *       it ({@link WorklistImport}): 201 with the study and SPS ID, 422 with the reason if refused, 400 if the body
 *       is not DICOM.</li>
 * </ul>
 */
public final class MwlApi implements Api {
    private static final Logger LOG = LoggerFactory.getLogger(MwlApi.class);
    public static final String PREFIX = "/api/mwl/";
    static final int MAX_ITEM_BYTES = 1024 * 1024;

    private final Supplier<MwlService> service;

    /** @param service read per request: the worklist exists only once the broker has started */
    public MwlApi(Supplier<MwlService> service) {
        this.service = service;
    }

    @Override
    public Response handle(String method, String path, String query) throws Exception {
        return handle(method, path, query, InputStream.nullInputStream());
    }

    @Override
    public Response handle(String method, String path, String query, InputStream body) throws Exception {
        MwlService s = service.get();
        if (s == null) {
            return new Response(503, "{\"error\":\"worklist not running\"}");
        }
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        switch (p) {
            case "/api/mwl/queries" -> {
                if (!"GET".equals(method)) {
                    return new Response(405, "{\"error\":\"use GET\"}");
                }
                return queries(s, query);
            }
            case "/api/mwl/rules" -> {
                if (!"GET".equals(method)) {
                    return new Response(405, "{\"error\":\"use GET\"}");
                }
                return rules(s);
            }
            case "/api/mwl/items" -> {
                if (!"POST".equals(method)) {
                    return new Response(405, "{\"error\":\"use POST with an application/dicom body\"}");
                }
                return importItem(s, body);
            }
            default -> {
                return new Response(404, "{\"error\":\"not found\"}");
            }
        }
    }

    private static Response queries(MwlService s, String rawQuery) throws Exception {
        Map<String, String> q = QueryString.parse(rawQuery);
        OffsetDateTime from;
        OffsetDateTime to;
        int limit;
        try {
            from = time(q, "from");
            to = time(q, "to");
            String l = q.getOrDefault("limit", "");
            if (!l.isEmpty() && !l.matches("\\d{1,4}")) {
                throw new IllegalArgumentException("limit must be a number 1..1000");
            }
            limit = l.isEmpty() ? 100 : Integer.parseInt(l);
        } catch (IllegalArgumentException e) {
            return new Response(400, "{\"error\":\"" + Json.escape(e.getMessage()) + "\"}");
        }
        String ae = q.get("calling-ae");
        s.queryLog().flush(java.time.Duration.ofSeconds(2)); // show the query that was just made
        List<QueryLogEntry> rows = s.queryLog().search(ae == null || ae.isEmpty() ? null : ae, from, to, limit);
        StringBuilder sb = new StringBuilder("{\"queries\":[");
        for (int i = 0; i < rows.size(); i++) {
            QueryLogEntry e = rows.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"id\":").append(e.id())
                    .append(",\"queriedAt\":\"").append(e.queriedAt()).append('"')
                    .append(",\"callingAe\":\"").append(Json.escape(e.callingAe())).append('"')
                    .append(",\"calledAe\":\"").append(Json.escape(e.calledAe())).append('"')
                    .append(",\"remoteAddress\":\"").append(Json.escape(e.remoteAddress())).append('"')
                    .append(",\"keys\":\"").append(Json.escape(e.keys())).append('"')
                    .append(",\"rule\":\"").append(Json.escape(e.appliedRule())).append('"')
                    .append(",\"answers\":").append(e.answers())
                    .append(",\"status\":\"").append(Json.escape(e.status())).append('"')
                    .append(",\"elapsedMs\":").append(String.format(java.util.Locale.ROOT, "%.3f",
                            e.elapsedMicros() / 1000.0))
                    .append('}');
        }
        return new Response(200, sb.append("]}").toString());
    }

    private static Response rules(MwlService s) {
        MwlService.RulesStatus st = s.rulesStatus();
        StringBuilder sb = new StringBuilder("{\"file\":\"").append(Json.escape(s.rulesFile().toString()))
                .append("\",\"readAt\":\"").append(st.readAt()).append("\",\"applied\":").append(st.applied())
                .append(",\"callers\":").append(s.policy().rules().size())
                .append(",\"unknownCallers\":\"").append(s.policy().refuseUnknown() ? "refuse" : "all")
                .append("\",\"problems\":[");
        for (int i = 0; i < st.problems().size(); i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(Json.escape(st.problems().get(i))).append('"');
        }
        return new Response(200, sb.append("]}").toString());
    }

    private static Response importItem(MwlService s, InputStream body) throws Exception {
        byte[] bytes = body.readNBytes(MAX_ITEM_BYTES + 1);
        if (bytes.length > MAX_ITEM_BYTES) {
            return new Response(413, "{\"error\":\"a worklist item is at most " + MAX_ITEM_BYTES + " bytes\"}");
        }
        if (bytes.length == 0) {
            return new Response(400, "{\"error\":\"empty body: POST one worklist item (application/dicom)\"}");
        }
        Attributes item;
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes))) {
            item = in.readDicomFile().dataset();
        } catch (IOException | RuntimeException e) {
            return new Response(400, "{\"error\":\"not a DICOM data set: " + Json.escape(e.getMessage()) + "\"}");
        }
        try {
            WorklistImport.Imported r = s.importer().importItem(item);
            LOG.info("mwl import: item imported (study {}, SPS {})", r.studyInstanceUid(), r.spsId());
            return new Response(201, "{\"imported\":true,\"newOrder\":" + r.newOrder() + ",\"studyInstanceUid\":\""
                    + Json.escape(r.studyInstanceUid()) + "\",\"spsId\":\"" + Json.escape(r.spsId()) + "\"}");
        } catch (ImportRefusedException e) {
            LOG.info("mwl import: item refused: {}", e.getMessage());
            return new Response(422, "{\"error\":\"" + Json.escape(e.getMessage()) + "\"}");
        }
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
}
