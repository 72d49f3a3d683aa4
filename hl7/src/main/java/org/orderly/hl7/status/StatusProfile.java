package org.orderly.hl7.status;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * How status messages to the RIS look: the message type and the MSH-3..6 application/facility names. Read from
 * {@code hl7-mappings/status.yaml}:
 * <pre>
 * message-type: ORM_O01          # ORM_O01 (v2.3.1, default) | OMG_O19 | OMI_O23 | ORU_R01 (v2.5.1)
 * sending-application: ORDERLY   # MSH-3
 * sending-facility: RADIOLOGY    # MSH-4
 * receiving-application: RIS     # MSH-5
 * receiving-facility: HOSPITAL   # MSH-6
 * </pre>
 * An unknown key or message type is refused with the file name and the problem.
 */
public record StatusProfile(StatusMessageType messageType, String sendingApplication, String sendingFacility,
        String receivingApplication, String receivingFacility) {

    public static final String FILE = "status.yaml";
    private static final Set<String> KEYS = Set.of("message-type", "sending-application", "sending-facility",
            "receiving-application", "receiving-facility");

    public static StatusProfile defaults() {
        return new StatusProfile(StatusMessageType.ORM_O01, "ORDERLY", "", "", "");
    }

    /** {@code dir/status.yaml}, or the defaults when the file does not exist. */
    public static StatusProfile load(Path mappingsDir) throws IOException {
        Path f = mappingsDir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return defaults();
        }
        try (InputStream in = Files.newInputStream(f)) {
            return parse(in, f.toString());
        }
    }

    public static StatusProfile parse(InputStream in, String name) throws IOException {
        Object doc;
        try {
            doc = new Load(LoadSettings.builder().setLabel(name).build()).loadFromInputStream(in);
        } catch (RuntimeException e) {
            throw new IOException(name + ": not valid YAML: " + e.getMessage(), e);
        }
        if (doc == null) {
            return defaults();
        }
        if (!(doc instanceof Map<?, ?> m)) {
            throw new IOException(name + ": expected a mapping of keys to values");
        }
        for (Object k : m.keySet()) {
            if (!KEYS.contains(String.valueOf(k))) {
                throw new IOException(name + ": unknown key '" + k + "' (known: " + KEYS + ")");
            }
        }
        StatusProfile d = defaults();
        try {
            return new StatusProfile(
                    m.containsKey("message-type") ? StatusMessageType.parse(String.valueOf(m.get("message-type")))
                            : d.messageType(),
                    text(m, "sending-application", d.sendingApplication()),
                    text(m, "sending-facility", d.sendingFacility()),
                    text(m, "receiving-application", d.receivingApplication()),
                    text(m, "receiving-facility", d.receivingFacility()));
        } catch (IllegalArgumentException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
    }

    private static String text(Map<?, ?> m, String key, String dflt) {
        Object v = m.get(key);
        return v == null ? dflt : String.valueOf(v);
    }
}
