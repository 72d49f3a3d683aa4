package org.orderly.broker.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * One subcommand of {@code orderly} ({@code run}, later {@code echo}, {@code find}, {@code hl7 send}...).
 * Register it in {@code org.orderly.broker.Main#commands()}; {@code orderly --help} lists it with
 * its {@link #summary()}.
 */
public interface Command {

    /** What the admin types; may be two words ("hl7 send"). */
    String name();

    /** One line for {@code --help}. */
    String summary();

    /** Usage details for {@code orderly help <name>}; the summary by default. */
    default String usage() {
        return "usage: orderly " + name() + "\n  " + summary();
    }

    /**
     * Runs the command.
     *
     * @param args the arguments after the command name
     * @return the process exit code ({@link ExitCode})
     */
    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
