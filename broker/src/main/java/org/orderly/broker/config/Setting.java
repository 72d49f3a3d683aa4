package org.orderly.broker.config;

import java.util.Arrays;
import java.util.Optional;
import org.quartz.CronExpression;

/**
 * The settings Orderly knows, each with the rule its value must satisfy.
 *
 * <p>The names are a contract: tests and deployment scripts outside this repository use them.
 * Defaults are NOT here: they live in one file, {@code orderly-defaults.properties}, and a unit
 * test checks that file and this enum list the same keys. The rules here look at the text only;
 * checks that touch the file system or the network (directories, ports in use) are done by
 * {@link ConfigValidator} and the listener registry.
 */
public enum Setting {
    AE_TITLE("orderly.ae-title", Setting::checkAeTitle),
    BIND("orderly.bind", Setting::checkHost),
    DICOM_PORT("orderly.dicom.port", Setting::checkPort),
    /** Concurrent DICOM associations; one more is answered A-ASSOCIATE-RJ (transient, local limit exceeded). */
    DICOM_MAX_ASSOCIATIONS("orderly.dicom.max-associations", v -> checkInt(v, 1, 2000)),
    HL7_PORT("orderly.hl7.port", Setting::checkPort),
    /** Largest HL7 message (MLLP frame) accepted, in bytes; a larger frame closes the connection. */
    HL7_MAX_FRAME_BYTES("orderly.hl7.max-frame-bytes", v -> checkInt(v, 1024, 64 * 1024 * 1024)),
    /** Concurrent MLLP connections; one more is reset at once (camel-mllp maxConcurrentConsumers). */
    HL7_MAX_CONNECTIONS("orderly.hl7.max-connections", v -> checkInt(v, 1, 1000)),
    HTTP_PORT("orderly.http.port", Setting::checkPort),
    DATA_DIR("orderly.data-dir", Setting::checkPath),
    ROUTES_DIR("orderly.routes-dir", Setting::checkPath),
    MAPPINGS_DIR("orderly.mappings-dir", Setting::checkPath),
    /** Optional: empty means no RIS (status messages disabled); must be set together with {@link #RIS_PORT}. */
    RIS_HOST("orderly.ris.host", v -> v.isEmpty() ? null : checkHost(v)),
    /** Optional: empty means no RIS; when set, 1..65535 (0 makes no sense for a remote port). */
    RIS_PORT("orderly.ris.port", v -> v.isEmpty() ? null : checkRemotePort(v)),
    /** MPPS status messages: sends before a message goes to the dead-letter queue (GET /api/mpps/dlq). */
    RIS_MAX_ATTEMPTS("orderly.ris.max-attempts", v -> checkInt(v, 1, 10_000)),
    /** Wait after the first failed send, doubled after each further failure up to {@link #RIS_BACKOFF_MAX_MS}. */
    RIS_BACKOFF_INITIAL_MS("orderly.ris.backoff-initial-ms", v -> checkInt(v, 10, 3_600_000)),
    RIS_BACKOFF_MAX_MS("orderly.ris.backoff-max-ms", v -> checkInt(v, 10, 86_400_000)),
    /** Connect timeout and wait for the RIS's ACK, per message. */
    RIS_ACK_TIMEOUT_MS("orderly.ris.ack-timeout-ms", v -> checkInt(v, 100, 600_000)),
    /** Hold the COMPLETED status message until the instances the MPPS references have been received. */
    MPPS_HOLD_FOR_IMAGES("orderly.mpps.hold-for-images",
            v -> v.equals("true") || v.equals("false") ? null : "must be true or false"),
    MPPS_HOLD_TIMEOUT_SECONDS("orderly.mpps.hold-timeout-seconds", v -> checkInt(v, 1, 604_800)),
    /** When held images do not arrive in time: send the message anyway, or dead-letter it for an admin. */
    MPPS_HOLD_TIMEOUT_ACTION("orderly.mpps.hold-timeout-action",
            v -> v.equals("send") || v.equals("dead-letter") ? null : "must be send or dead-letter"),
    WORKLIST_RETENTION_DAYS("orderly.worklist.retention-days", v -> checkInt(v, 1, 36_500)),
    WORKLIST_PURGE_CRON("orderly.worklist.purge-cron", Setting::checkCron),
    SHUTDOWN_TIMEOUT_SECONDS("orderly.shutdown.timeout-seconds", v -> checkInt(v, 1, 3600)),
    /** Per-calling-AE worklist rules (YAML); a missing file means no rules. Reloaded when it changes. */
    MWL_RULES_FILE("orderly.mwl.rules-file", Setting::checkPath),
    /** Callers without a rule in the rules file: {@code all} (see everything) or {@code refuse} (A-ASSOCIATE-RJ). */
    MWL_UNKNOWN_CALLERS("orderly.mwl.unknown-callers", v -> v.equals("all") || v.equals("refuse") ? null
            : "expected all or refuse"),
    /** Most answers to one worklist query; more end with A700H "Refused: Out of resources". 0 = no limit. */
    MWL_MAX_ANSWERS("orderly.mwl.max-answers", v -> checkInt(v, 0, 1_000_000)),
    /** SPS statuses a query that names none gets (PS3.3 §C.4.10 defined terms). */
    MWL_STATUSES("orderly.mwl.statuses", Setting::checkSpsStatuses),
    /** Patient's Name matching ignores case (PS3.4 §C.2.2.2.1 allows it for PN). */
    MWL_PN_CASE_INSENSITIVE("orderly.mwl.pn-case-insensitive", Setting::checkBoolean),
    /** Patient's Name matching ignores accents (é = e). */
    MWL_PN_ACCENT_INSENSITIVE("orderly.mwl.pn-accent-insensitive", Setting::checkBoolean),
    /** Days the worklist query log keeps a query. */
    MWL_QUERY_LOG_DAYS("orderly.mwl.query-log-days", v -> checkInt(v, 1, 3650)),
    /** Image routing (issue #7): where the shipped route forwards every object, AE@host:port; empty = no default forwarding. */
    FORWARD_DESTINATION("orderly.forward.destination", v -> v.isEmpty() ? null : checkAeAddress(v)),
    /** Send attempts per object and destination before it goes to the dead-letter queue. */
    FORWARD_MAX_ATTEMPTS("orderly.forward.max-attempts", v -> checkInt(v, 1, 1000)),
    /** First retry delay (ms); each further one is multiplied by {@link #FORWARD_BACKOFF_MULTIPLIER} up to {@link #FORWARD_BACKOFF_MAX_MS}. */
    FORWARD_BACKOFF_INITIAL_MS("orderly.forward.backoff-initial-ms", v -> checkInt(v, 1, 3_600_000)),
    FORWARD_BACKOFF_MAX_MS("orderly.forward.backoff-max-ms", v -> checkInt(v, 1, 86_400_000)),
    FORWARD_BACKOFF_MULTIPLIER("orderly.forward.backoff-multiplier", v -> checkInt(v, 1, 10)),
    /** Studies sent in parallel to one destination (consumers of its queue = associations); one study is always sent in order. */
    FORWARD_CONCURRENCY("orderly.forward.concurrency", v -> checkInt(v, 1, 64)),
    /** Free space (MB) the spool file system must keep; below it C-STORE is refused with A700 (out of resources). */
    STORAGE_MIN_FREE_MB("orderly.storage.min-free-mb", v -> checkInt(v, 0, 10_000_000)),
    /** Disk space the spool keeps allocated for the next objects once every destination confirmed (0: none). */
    STORAGE_REUSE_MB("orderly.storage.reuse-mb", v -> checkInt(v, 0, 10_000_000)),
    /** Storage Commitment requesters reachable for N-EVENT-REPORT on a new association: AE@host:port, comma-separated. */
    STORAGE_COMMITMENT_PEERS("orderly.storage.commitment.peers", v -> v.isEmpty() ? null
            : java.util.Arrays.stream(v.split(",")).map(String::strip).map(Setting::checkAeAddress)
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null)),
    /** Seconds a commitment request waits for its objects to reach their destinations before failures are reported. */
    STORAGE_COMMITMENT_TIMEOUT_SECONDS("orderly.storage.commitment.timeout-seconds", v -> checkInt(v, 1, 604_800));

    /** Rule for one value: returns the problem in a few words, or {@code null} when the value is fine. */
    @FunctionalInterface
    interface Rule {
        String problem(String value);
    }

    private final String key;
    private final Rule rule;

    Setting(String key, Rule rule) {
        this.key = key;
        this.rule = rule;
    }

    /** The setting's name, e.g. {@code orderly.dicom.port}. */
    public String key() {
        return key;
    }

    /** The environment variable that overrides it: upper-case, '.' and '-' become '_' ({@code ORDERLY_DICOM_PORT}). */
    public String envName() {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The problem with {@code value} in a few words, or {@code null} if it is acceptable. */
    public String problem(String value) {
        return rule.problem(value);
    }

    public static Optional<Setting> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }

    // ---- rules -------------------------------------------------------------------------------

    /** Port 0 is accepted and means "ephemeral": the OS picks a free port, which is logged and shown in /health. */
    static String checkPort(String v) {
        return checkInt(v, 0, 65_535, "not a TCP port (expected a number 0..65535, 0 = any free port)");
    }

    static String checkRemotePort(String v) {
        return checkInt(v, 1, 65_535, "not a TCP port (expected a number 1..65535)");
    }

    static String checkInt(String v, int min, int max) {
        return checkInt(v, min, max, "not a whole number in " + min + ".." + max);
    }

    private static String checkInt(String v, int min, int max, String problem) {
        if (v.isEmpty() || v.length() > 9 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return problem;
        }
        int n = Integer.parseInt(v);
        return n < min || n > max ? problem : null;
    }

    /**
     * AE title: PS3.5 §6.2, Table 6.2-1 (VR AE) - at most 16 characters of the Default Character
     * Repertoire (printable ISO 646 G0, 0x20..0x7E), no backslash (the value delimiter), no control
     * characters, leading and trailing spaces not significant, so the value may not be all spaces.
     */
    static String checkAeTitle(String v) {
        String trimmed = v.strip();
        if (trimmed.isEmpty()) {
            return "empty AE title (PS3.5 §6.2: 1..16 characters, not all spaces)";
        }
        if (trimmed.length() > 16) {
            return "AE title longer than 16 characters (" + trimmed.length() + "; PS3.5 §6.2)";
        }
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c == '\\') {
                return "AE title contains a backslash (PS3.5 §6.2)";
            }
            if (c < 0x20 || c > 0x7E) {
                return "AE title contains a character outside the default repertoire (PS3.5 §6.2)";
            }
        }
        return null;
    }

    /** A host name or IP literal; resolution is left to the listener / client that uses it. */
    static String checkHost(String v) {
        if (v.isEmpty()) {
            return "empty host";
        }
        if (v.length() > 253 || !v.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == ':' || c == '_')) {
            return "not a host name or IP address";
        }
        return null;
    }

    /** {@code AE@host:port} (PS3.5 §6.2 AE title, a host, a remote port). */
    static String checkAeAddress(String v) {
        int at = v.lastIndexOf('@');
        int colon = v.lastIndexOf(':');
        if (at < 1 || colon < at + 2) {
            return "not AE@host:port (e.g. PACS@10.0.0.5:104)";
        }
        String p = checkAeTitle(v.substring(0, at));
        p = p != null ? p : checkHost(v.substring(at + 1, colon));
        return p != null ? p : checkRemotePort(v.substring(colon + 1));
    }

    static String checkPath(String v) {
        if (v.isBlank()) {
            return "empty directory name";
        }
        if (v.indexOf('\0') >= 0) {
            return "directory name contains a NUL character";
        }
        return null;
    }

    static String checkBoolean(String v) {
        return v.equals("true") || v.equals("false") ? null : "expected true or false";
    }

    static String checkSpsStatuses(String v) {
        java.util.Set<String> known = java.util.Set.of("SCHEDULED", "ARRIVED", "READY", "STARTED", "DEPARTED",
                "COMPLETED", "DISCONTINUED", "CANCELED");
        String[] parts = v.split(",");
        for (String p : parts) {
            if (!known.contains(p.strip())) {
                return "'" + p.strip() + "' is not an SPS status; comma-separated list of " + new java.util.TreeSet<>(known);
            }
        }
        return null;
    }

    static String checkCron(String v) {
        return CronExpression.isValidExpression(v)
                ? null
                : "not a Quartz cron expression (e.g. \"0 30 2 * * ?\" = 02:30 every day)";
    }
}
