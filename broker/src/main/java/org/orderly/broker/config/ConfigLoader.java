package org.orderly.broker.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Resolves the settings from their four sources and checks each value's text.
 *
 * <p>Precedence, lowest to highest: the defaults file {@value #DEFAULTS_RESOURCE} &lt; environment
 * variables ({@code ORDERLY_DICOM_PORT}) &lt; Java system properties ({@code -Dorderly.dicom.port})
 * &lt; arguments ({@code --orderly.dicom.port=11113}). Arguments win because they are the most
 * local, most deliberate choice: the one typed for this run.
 *
 * <p>Unknown {@code orderly.*} keys given as arguments are refused (typo protection:
 * {@code --orderly.htttp.port=80} must not silently start on 8080). Unknown system properties and
 * environment variables are ignored: the environment is shared with other software and test
 * harnesses set their own {@code orderly.*} properties.
 */
public final class ConfigLoader {

    public static final String DEFAULTS_RESOURCE = "orderly-defaults.properties";

    private ConfigLoader() {
    }

    /** Loads from the real process environment and system properties. */
    public static OrderlyConfig load(List<String> args) throws ConfigException {
        return load(args, System.getenv(), System.getProperties());
    }

    /**
     * @param args     only {@code --orderly.name=value} arguments are accepted here
     * @param env      environment variables
     * @param sysProps Java system properties
     * @throws ConfigException for the first unknown key, malformed argument or refused value
     */
    public static OrderlyConfig load(List<String> args, Map<String, String> env, Properties sysProps)
            throws ConfigException {
        Properties defaults = readDefaults();
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        Map<Setting, OrderlyConfig.Source> sources = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            String d = defaults.getProperty(s.key());
            if (d == null) {
                throw new IllegalStateException(DEFAULTS_RESOURCE + " has no default for " + s.key());
            }
            values.put(s, d.strip());
            sources.put(s, OrderlyConfig.Source.DEFAULT);
        }
        for (Setting s : Setting.values()) {
            String e = env.get(s.envName());
            if (e != null) {
                values.put(s, e.strip());
                sources.put(s, OrderlyConfig.Source.ENVIRONMENT);
            }
        }
        for (Setting s : Setting.values()) {
            String p = sysProps.getProperty(s.key());
            if (p != null) {
                values.put(s, p.strip());
                sources.put(s, OrderlyConfig.Source.SYSTEM_PROPERTY);
            }
        }
        for (String arg : args) {
            if (!arg.startsWith("--") || arg.indexOf('=') < 0) {
                throw new ConfigException("unexpected argument '" + arg + "' (settings are given as --orderly.name=value)");
            }
            String key = arg.substring(2, arg.indexOf('='));
            String value = arg.substring(arg.indexOf('=') + 1);
            Setting s = Setting.byKey(key).orElseThrow(() -> new ConfigException(
                    "unknown setting " + key + " (from " + arg + "); known settings: "
                            + java.util.Arrays.stream(Setting.values()).map(Setting::key).collect(Collectors.joining(", "))));
            values.put(s, value.strip());
            sources.put(s, OrderlyConfig.Source.ARGUMENT);
        }
        OrderlyConfig config = new OrderlyConfig(values, sources);
        for (Setting s : Setting.values()) {
            String problem = s.problem(config.get(s));
            if (problem != null) {
                throw config.problem(s, problem);
            }
        }
        return config;
    }

    /** The defaults file as shipped in the jar. */
    public static Properties readDefaults() {
        Properties p = new Properties();
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the class path");
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULTS_RESOURCE, e);
        }
        return p;
    }

    /** Keys of the defaults file, for the test that it and {@link Setting} agree. */
    public static List<String> defaultKeys() {
        return new ArrayList<>(readDefaults().stringPropertyNames());
    }
}
