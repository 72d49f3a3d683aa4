package org.orderly.broker.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The resolved, validated settings of one Orderly process: how other code reads a setting.
 *
 * <pre>{@code
 * int port = config.getInt(Setting.DICOM_PORT);
 * Path data = config.getPath(Setting.DATA_DIR);
 * Optional<String> ris = config.getOptional(Setting.RIS_HOST);
 * }</pre>
 *
 * Immutable. Built by {@link ConfigLoader#load}, which applies the precedence
 * defaults &lt; environment &lt; system properties &lt; {@code --name=value} arguments and checks
 * every value with its {@link Setting} rule; the same values are given to Camel as property
 * placeholders ({@code {{orderly.ae-title}}} in route files).
 */
public final class OrderlyConfig {

    /** Where a value came from; named in error messages so the admin knows what to fix. */
    public enum Source {
        DEFAULT("default in orderly-defaults.properties"),
        ENVIRONMENT("environment variable"),
        SYSTEM_PROPERTY("Java system property"),
        ARGUMENT("command-line argument");

        private final String description;

        Source(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final Map<Setting, String> values;
    private final Map<Setting, Source> sources;

    OrderlyConfig(Map<Setting, String> values, Map<Setting, Source> sources) {
        this.values = Collections.unmodifiableMap(new EnumMap<>(values));
        this.sources = Collections.unmodifiableMap(new EnumMap<>(sources));
    }

    /** The value, {@code ""} when unset. */
    public String get(Setting s) {
        return values.getOrDefault(s, "");
    }

    /** The value, or empty when unset (e.g. {@link Setting#RIS_HOST}). */
    public Optional<String> getOptional(Setting s) {
        String v = get(s);
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    public int getInt(Setting s) {
        return Integer.parseInt(get(s));
    }

    /** A directory setting as an absolute, normalised path (relative values resolve against the working directory). */
    public Path getPath(Setting s) {
        return Path.of(get(s)).toAbsolutePath().normalize();
    }

    /** The AE title without its insignificant leading/trailing spaces (PS3.5 §6.2). */
    public String aeTitle() {
        return get(Setting.AE_TITLE).strip();
    }

    public Source source(Setting s) {
        return sources.getOrDefault(s, Source.DEFAULT);
    }

    /** "setting X=V: problem" line for a value that failed a later check (directory, port in use). */
    public ConfigException problem(Setting s, String problem) {
        String where = source(s) == Source.DEFAULT ? "" : " (from " + describeSource(s) + ")";
        return new ConfigException(s, get(s), problem + where);
    }

    String describeSource(Setting s) {
        Source src = source(s);
        return switch (src) {
            case ENVIRONMENT -> src.description() + " " + s.envName();
            case SYSTEM_PROPERTY -> src.description() + " -D" + s.key();
            case ARGUMENT -> src.description() + " --" + s.key();
            case DEFAULT -> src.description();
        };
    }

    /** All settings by key, for Camel property placeholders and diagnostics. Unset values are included as "". */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Setting s : Setting.values()) {
            m.put(s.key(), get(s));
        }
        return m;
    }

    public Properties asProperties() {
        Properties p = new Properties();
        p.putAll(asMap());
        return p;
    }

    /** A copy with one value replaced (tests and embedding code), re-checked by the setting's rule. */
    public OrderlyConfig with(Setting s, String value) throws ConfigException {
        String problem = s.problem(value);
        if (problem != null) {
            throw new ConfigException(s, value, problem);
        }
        Map<Setting, String> v = new EnumMap<>(values);
        v.put(s, value);
        Map<Setting, Source> src = new EnumMap<>(sources);
        src.put(s, Source.ARGUMENT);
        return new OrderlyConfig(v, src);
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
