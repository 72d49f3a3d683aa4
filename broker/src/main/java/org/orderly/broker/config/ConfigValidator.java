package org.orderly.broker.config;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The checks across settings and against the file system, run after {@link ConfigLoader} and
 * before anything starts. Ports in use are checked later, by binding the listeners first
 * (see {@code org.orderly.broker.listener.ListenerRegistry}), because only a bind really knows.
 */
public final class ConfigValidator {

    private static final List<Setting> LOCAL_PORTS = List.of(Setting.HTTP_PORT, Setting.DICOM_PORT, Setting.HL7_PORT);

    private ConfigValidator() {
    }

    /**
     * Cross-setting rules, then the directories: data-dir must be creatable and writable;
     * routes-dir and mappings-dir are created if missing and must be readable directories.
     * Creating an empty directory is the only side effect.
     */
    public static void validate(OrderlyConfig config) throws ConfigException {
        checkRisPair(config);
        checkBindAddress(config);
        checkDistinctPorts(config);
        checkWritableDir(config, Setting.DATA_DIR);
        checkReadableDir(config, Setting.ROUTES_DIR);
        checkReadableDir(config, Setting.MAPPINGS_DIR);
    }

    static void checkRisPair(OrderlyConfig c) throws ConfigException {
        boolean host = c.getOptional(Setting.RIS_HOST).isPresent();
        boolean port = c.getOptional(Setting.RIS_PORT).isPresent();
        if (host && !port) {
            throw c.problem(Setting.RIS_HOST, "orderly.ris.port is not set (set both to enable status messages to the RIS, or neither)");
        }
        if (port && !host) {
            throw c.problem(Setting.RIS_PORT, "orderly.ris.host is not set (set both to enable status messages to the RIS, or neither)");
        }
    }

    static void checkBindAddress(OrderlyConfig c) throws ConfigException {
        try {
            java.net.InetAddress.getByName(c.get(Setting.BIND));
        } catch (java.net.UnknownHostException e) {
            throw c.problem(Setting.BIND, "cannot resolve this address");
        }
    }

    static void checkDistinctPorts(OrderlyConfig c) throws ConfigException {
        Map<Integer, Setting> seen = new java.util.HashMap<>();
        for (Setting s : LOCAL_PORTS) {
            int port = c.getInt(s);
            if (port == 0) {
                continue;
            }
            Setting other = seen.putIfAbsent(port, s);
            if (other != null) {
                throw c.problem(s, "same port as " + other.key());
            }
        }
    }

    static void checkWritableDir(OrderlyConfig c, Setting s) throws ConfigException {
        Path dir = createDir(c, s);
        Path probe = dir.resolve(".orderly-write-test");
        try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
            Files.delete(probe);
        } catch (IOException e) {
            throw c.problem(s, "directory " + dir + " is not writable (" + reason(e) + ")");
        }
    }

    static void checkReadableDir(OrderlyConfig c, Setting s) throws ConfigException {
        Path dir = createDir(c, s);
        if (!Files.isReadable(dir)) {
            throw c.problem(s, "directory " + dir + " is not readable");
        }
    }

    private static Path createDir(OrderlyConfig c, Setting s) throws ConfigException {
        Path dir = c.getPath(s);
        if (Files.isDirectory(dir)) {
            return dir;
        }
        if (Files.exists(dir)) {
            throw c.problem(s, dir + " exists and is not a directory");
        }
        for (Path p = dir.getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw c.problem(s, "cannot create directory " + dir + " (" + p + " is a file, not a directory)");
            }
        }
        try {
            Files.createDirectories(dir);
            return dir;
        } catch (IOException e) {
            throw c.problem(s, "cannot create directory " + dir + " (" + reason(e) + ")");
        }
    }

    /** The short reason of a file-system error, without the path it repeats. */
    static String reason(IOException e) {
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " exists and is not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return (f.getFile() != null ? f.getFile() + ": " : "") + f.getReason();
        }
        return e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
    }

}
