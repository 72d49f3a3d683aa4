package org.orderly.broker.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of a subcommand: positional values and {@code --option value} /
 * {@code --option=value} pairs; repeatable options (e.g. {@code -k Key=Value}) keep every value.
 * An option that is not declared is refused, so a typo never passes silently.
 */
public final class CliArgs {

    private final List<String> positional = new ArrayList<>();
    private final Map<String, List<String>> options = new LinkedHashMap<>();

    private CliArgs() {
    }

    /** @param declared the options this command knows, e.g. {@code --calling-ae}, {@code -k} */
    public static CliArgs parse(List<String> args, String... declared) {
        Set<String> known = Set.of(declared);
        CliArgs a = new CliArgs();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-") || arg.equals("-")) {
                a.positional.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq > 0 && arg.startsWith("--") ? arg.substring(0, eq) : arg;
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option " + name);
            }
            String value;
            if (eq > 0 && arg.startsWith("--")) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
            a.options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return a;
    }

    public List<String> positional() {
        return List.copyOf(positional);
    }

    /** The last value given for {@code name}, or {@code fallback}. */
    public String option(String name, String fallback) {
        List<String> v = options.get(name);
        return v == null ? fallback : v.get(v.size() - 1);
    }

    /** Every value given for a repeatable option, in order. */
    public List<String> options(String name) {
        return List.copyOf(options.getOrDefault(name, List.of()));
    }
}
