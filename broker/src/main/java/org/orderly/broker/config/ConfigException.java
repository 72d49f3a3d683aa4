package org.orderly.broker.config;

/**
 * A setting whose value Orderly refuses. Its message is the one line printed on stderr, e.g.
 * {@code setting orderly.http.port=abc: not a TCP port (...)}; callers add the {@code orderly: } prefix.
 * No stack trace is shown to the admin for this exception: the line says everything.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String key, String value, String problem) {
        super("setting " + key + "=" + value + ": " + problem);
    }

    public ConfigException(Setting setting, String value, String problem) {
        this(setting.key(), value, problem);
    }
}
