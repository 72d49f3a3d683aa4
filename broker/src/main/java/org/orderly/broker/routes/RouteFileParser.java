package org.orderly.broker.routes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * Turns the bytes of one {@code *.camel.yaml} file into route definitions WITHOUT adding them to
 * Camel, so a file can be judged before it replaces anything.
 *
 * <p>Rules beyond Camel's own: every route has an explicit {@code id}, unique in the file (ids are
 * how a reload knows which running routes the file replaces). Only routes are accepted for now:
 * route configurations, templates, REST and beans in a route file are refused with a clear reason,
 * because swapping them safely needs more than swapping routes.
 */
final class RouteFileParser {

    private RouteFileParser() {
    }

    static List<RouteDefinition> parse(CamelContext context, Path file, byte[] content) throws RouteFileException {
        List<RouteDefinition> routes = new ArrayList<>();
        try {
            // location keeps the file name, so Camel picks the YAML loader by extension and names the file in errors
            Resource resource = ResourceHelper.fromBytes("file:" + file, content);
            Collection<RoutesBuilder> builders = PluginHelper.getRoutesLoader(context).findRoutesBuilders(List.of(resource), false);
            for (RoutesBuilder b : builders) {
                if (!(b instanceof RouteBuilder rb)) {
                    throw new RouteFileException(file, 0, "not a route file (" + b.getClass().getSimpleName() + ")", null);
                }
                routes.addAll(rb.configureRoutes(context).getRoutes());
                if (!rb.getRouteTemplateCollection().getRouteTemplates().isEmpty()
                        || !rb.getTemplatedRouteCollection().getTemplatedRoutes().isEmpty()
                        || !rb.getRestCollection().getRests().isEmpty()
                        || (rb instanceof RouteConfigurationBuilder rcb
                            && !rcb.getRouteConfigurationCollection().getRouteConfigurations().isEmpty())) {
                    throw new RouteFileException(file, 0,
                            "only 'route' entries are supported in route files (found a template, rest or routeConfiguration)", null);
                }
            }
        } catch (RouteFileException e) {
            throw e;
        } catch (Exception e) {
            throw describe(file, e);
        }
        Set<String> ids = new HashSet<>();
        for (RouteDefinition r : routes) {
            if (!r.hasCustomIdAssigned() || r.getRouteId() == null || r.getRouteId().isBlank()) {
                throw new RouteFileException(file, lineOf(r), "route without an explicit id (add 'id: <name>' to every route)", null);
            }
            if (!ids.add(r.getRouteId())) {
                throw new RouteFileException(file, lineOf(r), "route id '" + r.getRouteId() + "' is used twice in this file", null);
            }
        }
        if (routes.isEmpty()) {
            throw new RouteFileException(file, 0, "no routes in file", null);
        }
        return routes;
    }

    static int lineOf(RouteDefinition r) {
        return Math.max(r.getLineNumber(), 0);
    }

    /** Finds the YAML position (snakeyaml-engine mark, 0-based) in the cause chain; reason = the deepest useful message. */
    static RouteFileException describe(Path file, Throwable e) {
        int line = 0;
        String reason = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException m) {
                if (line == 0) {
                    line = m.getProblemMark().or(m::getContextMark).map(mark -> mark.getLine() + 1).orElse(0);
                }
                if (reason == null) {
                    reason = firstLine(m.getProblem() != null ? m.getProblem() : m.getContext());
                    if (m.getContext() != null && m.getProblem() != null) {
                        reason = firstLine(m.getContext()) + ": " + reason;
                    }
                }
            }
            if (t.getCause() == null && reason == null) {
                reason = firstLine(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
            }
        }
        return new RouteFileException(file, line, reason == null ? e.toString() : reason, e);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }
}
