package org.orderly.broker.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.data.UIDDictionary;
import org.orderly.dicom.net.AeAddress;
import org.orderly.dicom.net.DicomClient;
import org.orderly.dicom.net.acse.AssociationRejectedException;
import org.orderly.dicom.net.acse.PresentationContext;
import org.orderly.dicom.net.dimse.Status;

/**
 * {@code orderly echo AE@host:port [--calling-ae AE] [--timeout SECONDS]}: opens an association,
 * prints the negotiated presentation contexts, sends one C-ECHO (PS3.7 §9.1.5) and prints its
 * status and round-trip time. Exit code 0 only when the C-ECHO answered Success.
 */
public final class EchoCommand implements Command {

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public String summary() {
        return "AE@host:port [--calling-ae AE] [--timeout S]  C-ECHO a DICOM peer; exit 0 only on Success";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        CliArgs a;
        try {
            a = CliArgs.parse(args, "--calling-ae", "--timeout");
        } catch (IllegalArgumentException e) {
            err.println("orderly echo: " + e.getMessage());
            return ExitCode.USAGE;
        }
        if (a.positional().size() != 1) {
            err.println("usage: orderly echo " + summary());
            return ExitCode.USAGE;
        }
        AeAddress peer;
        Duration timeout;
        try {
            peer = AeAddress.parse(a.positional().get(0));
            timeout = Duration.ofSeconds(Long.parseLong(a.option("--timeout", "10")));
        } catch (IllegalArgumentException e) {
            err.println("orderly echo: " + e.getMessage());
            return ExitCode.USAGE;
        }
        String calling = a.option("--calling-ae", "ORDERLY");
        long t0 = System.nanoTime();
        try (DicomClient client = DicomClient.to(peer).callingAe(calling).responseTimeout(timeout)
                .context(UID.Verification).connect()) {
            out.printf("association %s -> %s accepted in %.1f ms%n", calling, peer, millis(t0));
            for (Map.Entry<Integer, PresentationContext> e : client.association().acceptedContexts().entrySet()) {
                PresentationContext pc = e.getValue();
                out.printf("  context %d: %s / %s%n", pc.id(), UIDDictionary.nameOf(pc.abstractSyntax()),
                        UIDDictionary.nameOf(pc.transferSyntax()));
            }
            long t1 = System.nanoTime();
            Status status = client.echo();
            out.printf("C-ECHO %s in %.1f ms%n", status, millis(t1));
            client.release();
            return status.isSuccess() ? ExitCode.OK : ExitCode.FAILURE;
        } catch (AssociationRejectedException e) {
            err.println("orderly echo: " + peer + " rejected the association: " + e.rejection());
        } catch (IOException e) {
            err.println("orderly echo: " + peer + ": " + e.getMessage());
        }
        return ExitCode.FAILURE;
    }

    private static double millis(long since) {
        return (System.nanoTime() - since) / 1e6;
    }
}
