package org.orderly.broker.dicom;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import org.orderly.broker.config.Setting;
import org.orderly.broker.listener.Listener;
import org.orderly.dicom.net.DicomServer;
import org.orderly.dicom.net.acse.AssociationSettings;
import org.orderly.dicom.net.acse.CallingAeCheck;
import org.orderly.dicom.net.service.DicomServiceRegistry;

/**
 * The broker's DICOM port: one {@link DicomServer} under {@code orderly.ae-title} serving every
 * service registered in {@link #registry()} (C-ECHO always; worklist, MPPS and storage as their
 * parts of the broker register them before {@link #start()}, which builds the acceptor policy).
 */
public final class DicomListener implements Listener {

    /**
     * Maximum Length Received we advertise (PS3.8 §D.1): 64 KiB PDUs measured clearly faster than 16 KiB for image
     * reception (docs/benchmarks.md, DICOM section); each association holds one receive buffer of this size.
     */
    static final int MAX_PDU_LENGTH_RECEIVE = 65536;

    private final DicomServer server;
    private final Duration grace;

    /** {@code bindAddress} was validated with the settings (it resolves). */
    public DicomListener(String aeTitle, InetAddress bindAddress, int port, int maxAssociations, Duration grace) {
        this(aeTitle, bindAddress, port, maxAssociations, grace, null);
    }

    /** With a run-time check of calling AE titles (e.g. the worklist's unknown callers), null = none. */
    public DicomListener(String aeTitle, InetAddress bindAddress, int port, int maxAssociations, Duration grace,
            CallingAeCheck callingAeCheck) {
        this.server = DicomServer.builder(aeTitle)
                .bind(bindAddress)
                .port(port)
                .maxAssociations(maxAssociations)
                .registry(new DicomServiceRegistry())
                .callingAeCheck(callingAeCheck)
                .settings(AssociationSettings.builder().maxPduLengthReceive(MAX_PDU_LENGTH_RECEIVE).build())
                .build();
        this.grace = grace;
    }

    /** Where the broker's services register their handlers, by SOP Class UID. */
    public DicomServiceRegistry registry() {
        return server.registry();
    }

    public String aeTitle() {
        return server.aeTitle();
    }

    @Override
    public String name() {
        return "dicom";
    }

    @Override
    public Setting setting() {
        return Setting.DICOM_PORT;
    }

    @Override
    public void bind() throws IOException {
        server.bind();
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public void start() throws IOException {
        server.start();
    }

    @Override
    public void stopAccepting() {
        server.stopAccepting();
    }

    @Override
    public boolean isUp() {
        return server.isAccepting();
    }

    /** Lets associations in progress finish for the shutdown grace period, then aborts them. */
    @Override
    public void close() {
        server.stop(grace);
    }
}
