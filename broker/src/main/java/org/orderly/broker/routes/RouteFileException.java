package org.orderly.broker.routes;

import java.nio.file.Path;

/** A route file Orderly refused: its path, the 1-based line when known (0 otherwise), and why. */
public final class RouteFileException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String reason;

    public RouteFileException(Path file, int line, String reason, Throwable cause) {
        super(file + (line > 0 ? ":" + line : "") + ": " + reason, cause);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    /** 1-based line of the problem, 0 when the error has no position (e.g. an unknown component). */
    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
