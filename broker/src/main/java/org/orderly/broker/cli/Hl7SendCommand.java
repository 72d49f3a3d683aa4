package org.orderly.broker.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.orderly.broker.hl7.AckSummary;
import org.orderly.broker.hl7.MllpClient;

/**
 * {@code orderly hl7 send FILE... --to host:port [--timeout SECONDS]}: sends each file as one HL7
 * message over one MLLP connection, waits for its acknowledgment, and prints one line per file:
 * {@code FILE: AA <MSA-2>} or {@code FILE: AE <MSA-2> ERR <ERR segment>}. The file's bytes are sent
 * as they are (its charset must be the one its MSH-18 names). Exit 0 only if every message got AA.
 */
public final class Hl7SendCommand implements Command {

    @Override
    public String name() {
        return "hl7 send";
    }

    @Override
    public String summary() {
        return "send HL7 v2 message files over MLLP and print each ACK (exit 0 only if all AA)";
    }

    @Override
    public String usage() {
        return """
                usage: orderly hl7 send FILE... --to HOST:PORT [--timeout SECONDS]
                  Sends each FILE (one HL7 v2 message per file) over one MLLP connection and prints
                  one line per file: MSA-1, MSA-2 and every ERR segment of its acknowledgment.
                  --timeout  connect and acknowledgment timeout in seconds (default 10)
                  Exit status: 0 all AA, 1 any other answer or a network error, 2 usage error.""";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        List<Path> files = new ArrayList<>();
        String to = null;
        int timeoutSeconds = 10;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--to") && i + 1 < args.size()) {
                to = args.get(++i);
            } else if (a.startsWith("--to=")) {
                to = a.substring(5);
            } else if (a.equals("--timeout") && i + 1 < args.size() && args.get(i + 1).matches("\\d{1,5}")) {
                timeoutSeconds = Integer.parseInt(args.get(++i));
            } else if (a.startsWith("-")) {
                err.println("orderly hl7 send: unknown option " + a + "\n" + usage());
                return ExitCode.USAGE;
            } else {
                files.add(Path.of(a));
            }
        }
        if (to == null || files.isEmpty()) {
            err.println(usage());
            return ExitCode.USAGE;
        }
        int colon = to.lastIndexOf(':');
        if (colon <= 0 || !to.substring(colon + 1).matches("\\d{1,5}")) {
            err.println("orderly hl7 send: --to must be HOST:PORT, got " + to);
            return ExitCode.USAGE;
        }
        String host = to.substring(0, colon);
        int port = Integer.parseInt(to.substring(colon + 1));
        List<byte[]> messages = new ArrayList<>();
        for (Path f : files) {
            try {
                messages.add(Files.readAllBytes(f));
            } catch (IOException e) {
                err.println("orderly hl7 send: cannot read " + f + ": " + e.getMessage());
                return ExitCode.USAGE;
            }
        }
        boolean allAccepted = true;
        try (MllpClient client = new MllpClient(host, port, timeoutSeconds * 1000, timeoutSeconds * 1000)) {
            for (int i = 0; i < files.size(); i++) {
                byte[] ack = client.exchange(messages.get(i));
                AckSummary s = AckSummary.parse(new String(ack, StandardCharsets.ISO_8859_1));
                out.println(files.get(i) + ": " + s.line());
                allAccepted &= s.code().equals("AA");
            }
        } catch (IOException e) {
            err.println("orderly hl7 send: " + host + ":" + port + ": " + e.getMessage());
            return ExitCode.FAILURE;
        }
        return allAccepted ? ExitCode.OK : ExitCode.FAILURE;
    }
}
