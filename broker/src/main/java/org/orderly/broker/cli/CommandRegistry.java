package org.orderly.broker.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dispatches {@code orderly [command] [args]} to a {@link Command}. No command (or arguments that
 * start with {@code --orderly.}) means the default command, {@code run}. {@code --help}/{@code help}
 * lists the commands; {@code --version} prints the version; anything else is a usage error (exit 2).
 * Hand-written because the stack has no CLI library and this needs forty lines.
 */
public final class CommandRegistry {
    private final Map<String, Command> commands = new LinkedHashMap<>();
    private final String defaultCommand;
    private final String version;

    public CommandRegistry(String defaultCommand, String version) {
        this.defaultCommand = defaultCommand;
        this.version = version;
    }

    public CommandRegistry register(Command c) {
        if (commands.putIfAbsent(c.name(), c) != null) {
            throw new IllegalArgumentException("command registered twice: " + c.name());
        }
        return this;
    }

    public int dispatch(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.isEmpty() || args.get(0).startsWith("--orderly.")) {
            return commands.get(defaultCommand).run(args, out, err);
        }
        String first = args.get(0);
        switch (first) {
            case "--help", "-h", "help" -> {
                if (args.size() > 1 && "help".equals(first)) {
                    Command c = find(args.subList(1, args.size()));
                    if (c != null) {
                        out.println(c.usage());
                        return ExitCode.OK;
                    }
                }
                out.print(usage());
                return ExitCode.OK;
            }
            case "--version", "version" -> {
                out.println("orderly " + version);
                return ExitCode.OK;
            }
            default -> {
                Command c = find(args);
                if (c == null) {
                    err.println("orderly: unknown command '" + first + "'");
                    err.print(usage());
                    return ExitCode.USAGE;
                }
                int words = c.name().split(" ").length;
                return c.run(args.subList(words, args.size()), out, err);
            }
        }
    }

    /** Longest match first: "hl7 send" before "hl7". */
    private Command find(List<String> args) {
        if (args.size() >= 2) {
            Command two = commands.get(args.get(0) + " " + args.get(1));
            if (two != null) {
                return two;
            }
        }
        return commands.get(args.get(0));
    }

    public String usage() {
        StringBuilder b = new StringBuilder();
        b.append("usage: orderly [command] [--orderly.name=value ...]\n\n");
        b.append("Without a command, runs the broker (same as 'run').\n\ncommands:\n");
        int width = Math.max(4, commands.keySet().stream().mapToInt(String::length).max().orElse(0)); // 4 = "help"
        for (Command c : commands.values()) {
            b.append("  ").append(String.format("%-" + width + "s", c.name())).append("  ").append(c.summary()).append('\n');
        }
        b.append("  ").append(String.format("%-" + width + "s", "help")).append("  show this list, or 'help <command>'\n");
        b.append("\noptions:\n  --help       show this list\n  --version    print the version\n");
        b.append("\nSettings (see docs/admin-guide.md): --orderly.name=value, -Dorderly.name=value or ORDERLY_NAME=value.\n");
        return b.toString();
    }
}
