package org.orderly.hl7;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Paths to the repository's samples/hl7 and hl7-mappings (tests run in module dir hl7/). */
public final class Samples {

    public static final Path SAMPLES = Path.of("..", "samples", "hl7");
    public static final Path MAPPINGS = Path.of("..", "hl7-mappings");

    private Samples() {
    }

    public static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(SAMPLES.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ParsedMessage parse(String name) {
        try {
            return new Hl7Parser().parse(bytes(name));
        } catch (Hl7ParseException e) {
            throw new AssertionError(name + ": " + e.getMessage(), e);
        }
    }

    public static List<String> all() {
        try (Stream<Path> s = Files.list(SAMPLES)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".hl7")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
