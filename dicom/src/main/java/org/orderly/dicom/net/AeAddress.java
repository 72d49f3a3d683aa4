package org.orderly.dicom.net;

import java.net.InetSocketAddress;

/**
 * A remote application entity: AE title, host and port, written {@code AE@host:port} (the form dcmtk and most admin
 * tools use). AE titles are 1-16 characters of the default repertoire without backslash (PS3.5 Table 6.2-1, AE).
 */
public record AeAddress(String aeTitle, String host, int port) {

    public AeAddress {
        if (aeTitle == null || aeTitle.isBlank() || aeTitle.length() > 16 || aeTitle.contains("\\")) {
            throw new IllegalArgumentException("AE title must be 1..16 characters without backslash: " + aeTitle);
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host missing");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
    }

    /** Parses {@code AE@host:port} ({@code AE@[::1]:104} for IPv6). */
    public static AeAddress parse(String s) {
        int at = s.indexOf('@');
        int colon = s.lastIndexOf(':');
        if (at <= 0 || colon < at + 2 || colon == s.length() - 1) {
            throw new IllegalArgumentException("expected AE@host:port, got '" + s + "'");
        }
        String host = s.substring(at + 1, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + s + "'");
        }
        return new AeAddress(s.substring(0, at), host, port);
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return aeTitle + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
