package org.orderly.broker.cli;

/** Exit codes of the {@code orderly} process. */
public final class ExitCode {
    /** Success; also a clean stop after SIGTERM/SIGINT. */
    public static final int OK = 0;
    /** Start-up or command failed at run time (e.g. the database cannot be opened). */
    public static final int FAILURE = 1;
    /** Usage error or refused setting: nothing was started. */
    public static final int USAGE = 2;

    private ExitCode() {
    }
}
