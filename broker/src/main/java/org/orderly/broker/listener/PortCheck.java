package org.orderly.broker.listener;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.orderly.broker.config.Setting;

/**
 * Port-in-use check for a port whose listener is not part of this build yet (today: DICOM and HL7).
 * It binds and immediately releases the port, so start-up refuses a port another process holds;
 * it does NOT hold the port (a held but never accepting socket would leave peers hanging in the
 * backlog). When the real listener is registered in {@link ListenerRegistry}, remove its PortCheck.
 */
public record PortCheck(Setting setting, String bindAddress, int port) {

    public void check() throws IOException {
        if (port == 0) {
            return;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(bindAddress, port));
        }
    }
}
