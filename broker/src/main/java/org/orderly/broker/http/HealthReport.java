package org.orderly.broker.http;

import java.util.List;
import java.util.function.BooleanSupplier;
import org.orderly.broker.listener.Listener;

/**
 * The state of the broker as the JSON of {@code GET /health}:
 *
 * <pre>{"status":"UP","database":{"status":"UP"},"jms":{"status":"UP"},"camel":{"status":"UP"},
 *  "listeners":[{"name":"http","port":8080,"status":"UP"}]}</pre>
 *
 * {@code status} is UP only when every part is UP. A check that throws counts as DOWN: health
 * must answer even when what it checks is broken. Hand-written JSON: the shape is fixed and small,
 * and the values are names and numbers we control (still escaped).
 */
public final class HealthReport {

    /** One checked part (database, jms, camel). */
    public record Check(String name, BooleanSupplier up) {
    }

    private final List<Check> checks;
    private final List<Listener> listeners;

    public HealthReport(List<Check> checks, List<Listener> listeners) {
        this.checks = List.copyOf(checks);
        this.listeners = List.copyOf(listeners);
    }

    /** A snapshot: whether everything is up, and the JSON. */
    public record Result(boolean up, String json) {
    }

    public Result evaluate() {
        boolean all = true;
        StringBuilder parts = new StringBuilder();
        for (Check c : checks) {
            boolean up = safely(c.up());
            all &= up;
            parts.append(",\"").append(Json.escape(c.name())).append("\":{\"status\":\"").append(status(up)).append("\"}");
        }
        StringBuilder ls = new StringBuilder();
        for (Listener l : listeners) {
            boolean up = safely(l::isUp);
            all &= up;
            if (ls.length() > 0) {
                ls.append(',');
            }
            ls.append("{\"name\":\"").append(Json.escape(l.name())).append("\",\"port\":").append(safePort(l))
                    .append(",\"status\":\"").append(status(up)).append("\"}");
        }
        String json = "{\"status\":\"" + status(all) + "\"" + parts + ",\"listeners\":[" + ls + "]}";
        return new Result(all, json);
    }

    private static boolean safely(BooleanSupplier s) {
        try {
            return s.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static int safePort(Listener l) {
        try {
            return l.port();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static String status(boolean up) {
        return up ? "UP" : "DOWN";
    }
}
