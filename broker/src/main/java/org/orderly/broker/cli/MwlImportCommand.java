package org.orderly.broker.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code orderly mwl import DIR --broker http://host:port}: moves a file-based worklist (dcmtk wlmscpfs or Orthanc
 * {@code .wl} files, one worklist item each) into a running broker. Every regular file under DIR (recursively,
 * except dcmtk's {@code lockfile} and hidden files) is POSTed to {@code /api/mwl/items}, which creates the item.
 * Prints one line per refused file with the broker's reason and the summary {@code imported N, refused M}; exit 0
 * only when nothing was refused.
 */
public final class MwlImportCommand implements Command {
    private static final Pattern ERROR = Pattern.compile("\"error\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Override
    public String name() {
        return "mwl import";
    }

    @Override
    public String summary() {
        return "DIR --broker http://host:port  import worklist files (.wl, dcmtk wlmscpfs / Orthanc) into a broker";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        CliArgs a;
        try {
            a = CliArgs.parse(args, "--broker", "--timeout");
        } catch (IllegalArgumentException e) {
            err.println("orderly mwl import: " + e.getMessage());
            return ExitCode.USAGE;
        }
        String broker = a.option("--broker", null);
        if (a.positional().size() != 1 || broker == null) {
            err.println("usage: orderly mwl import " + summary());
            return ExitCode.USAGE;
        }
        Path dir = Path.of(a.positional().get(0));
        if (!Files.isDirectory(dir)) {
            err.println("orderly mwl import: " + dir + " is not a directory");
            return ExitCode.USAGE;
        }
        URI target;
        try {
            target = URI.create(broker.replaceAll("/+$", "") + "/api/mwl/items");
            if (target.getScheme() == null || !target.getScheme().startsWith("http")) {
                throw new IllegalArgumentException("expected http://host:port");
            }
        } catch (IllegalArgumentException e) {
            err.println("orderly mwl import: --broker " + broker + ": " + e.getMessage());
            return ExitCode.USAGE;
        }
        Duration timeout = Duration.ofSeconds(Long.parseLong(a.option("--timeout", "30")));
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals("lockfile")
                            && !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        int imported = 0;
        List<String> refused = new ArrayList<>();
        for (Path f : files) {
            HttpResponse<String> rsp;
            try {
                rsp = http.send(HttpRequest.newBuilder(target).timeout(timeout)
                        .header("Content-Type", "application/dicom")
                        .POST(HttpRequest.BodyPublishers.ofFile(f)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                err.println("orderly mwl import: " + target + ": " + e.getMessage());
                out.printf("imported %d, refused %d; stopped at %s (broker unreachable)%n", imported,
                        refused.size(), dir.relativize(f));
                return ExitCode.FAILURE;
            }
            if (rsp.statusCode() == 201) {
                imported++;
            } else {
                Matcher m = ERROR.matcher(rsp.body());
                String why = m.find() ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\")
                        : "HTTP " + rsp.statusCode();
                refused.add(dir.relativize(f) + ": " + why);
                out.println("refused " + dir.relativize(f) + ": " + why);
            }
        }
        out.printf("imported %d, refused %d%n", imported, refused.size());
        return refused.isEmpty() ? ExitCode.OK : ExitCode.FAILURE;
    }
}
