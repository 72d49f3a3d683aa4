package org.orderly.broker;

import java.util.Arrays;
import org.orderly.broker.cli.CommandRegistry;
import org.orderly.broker.cli.ExitCode;
import org.orderly.broker.cli.RunCommand;

/**
 * Entry point of {@code orderly.jar}: {@code java -jar orderly.jar [command] [args]}.
 * Without a command it runs the broker; {@code --help} lists the commands.
 *
 * <p>To add a subcommand: implement {@link org.orderly.broker.cli.Command} and register it in
 * {@link #commands()}.
 */
public final class Main {

    private Main() {
    }

    public static CommandRegistry commands() {
        return new CommandRegistry("run", version())
                .register(new RunCommand())
                .register(new org.orderly.broker.cli.EchoCommand())
                .register(new org.orderly.broker.cli.Hl7SendCommand())
                .register(new org.orderly.broker.cli.FindCommand())
                .register(new org.orderly.broker.cli.MwlImportCommand())
                .register(new org.orderly.broker.mpps.MppsCommand());
    }

    public static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }

    public static void main(String[] args) {
        if (args.length > 0 && !args[0].startsWith("-") && !args[0].equals("run")) {
            // an admin subcommand: its printed report is the output; library INFO lines would drown it
            System.setProperty("orderly.log.level", System.getProperty("orderly.log.level", "WARN"));
        }
        int code;
        try {
            code = commands().dispatch(Arrays.asList(args), System.out, System.err);
        } catch (Exception e) {
            System.err.println("orderly: " + e);
            code = ExitCode.FAILURE;
        }
        System.out.flush();
        System.exit(code);
    }
}
