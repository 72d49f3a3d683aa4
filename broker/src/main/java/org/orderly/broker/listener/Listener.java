package org.orderly.broker.listener;

import java.io.IOException;
import org.orderly.broker.config.Setting;

/**
 * A network listener of the broker (HTTP admin, DICOM, HL7 MLLP), started in two phases so that
 * a port in use stops start-up before anything else has started:
 *
 * <ol>
 *   <li>{@link #bind()}: open the server socket (no connection is accepted yet). Called for every
 *       listener before the database, JMS or Camel start; a failure is reported as a bad value of
 *       {@link #setting()}.</li>
 *   <li>{@link #start()}: begin accepting connections; called once everything behind the listener
 *       runs.</li>
 * </ol>
 * On shutdown {@link #stopAccepting()} is called first (no new work), then the rest of the broker
 * stops, then {@link #close()}. Implementations must be safe to {@code close()} at any point, also
 * without a prior bind.
 */
public interface Listener extends AutoCloseable {

    /** Short name shown in logs and /health, e.g. {@code http}, {@code dicom}, {@code hl7}. */
    String name();

    /** The port setting this listener binds; named in the error line when the bind fails. */
    Setting setting();

    /** Opens the server socket. */
    void bind() throws IOException;

    /** The bound port (the real one when the setting was 0); only valid after {@link #bind()}. */
    int port();

    /** Starts accepting connections. */
    void start() throws Exception;

    /** Closes the server socket so no new connection is accepted; connections in progress may finish. */
    void stopAccepting();

    /** True while the listener accepts connections; reported by /health. */
    boolean isUp();

    /** Releases everything; waits (bounded) for connections in progress. */
    @Override
    void close();
}
