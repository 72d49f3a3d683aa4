package org.orderly.dicom.net.ul;

import java.io.IOException;
import java.util.Objects;
import java.util.function.Predicate;

import org.orderly.dicom.net.pdu.AssociateRq;
import org.orderly.dicom.net.pdu.Pdu;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DICOM Upper Layer protocol machine, PS3.8 §9.2. {@link #fire} is the only place the state changes: it looks
 * the action up in {@link TransitionTable} (PS3.8 Table 9-10), moves to the action's next state, logs the transition
 * at DEBUG as {@code Sta5 + Evt3 -> AE-3 -> Sta6}, then lets the {@link ActionPerformer} carry out the action's
 * side effects (send a PDU, start/stop ARTIM, close the transport). Indications to the user (A-ASSOCIATE,
 * P-DATA, A-RELEASE, A-ABORT) are returned to the caller as the fired {@link Action}.
 * <p>
 * All methods synchronize on this object; actions therefore run one at a time, in event order.
 */
public final class StateMachine {

    private static final Logger LOG = LoggerFactory.getLogger(StateMachine.class);

    /** Carries out actions' side effects; implemented by {@link UpperLayer}. */
    public interface ActionPerformer {

        /** The AE-6 condition: is the A-ASSOCIATE-RQ acceptable by the service-provider (e.g. protocol version)? */
        boolean isAcceptable(AssociateRq rq);

        /**
         * Performs an action. Called with the machine's lock held and the state already moved to {@code next}.
         *
         * @param pdu the PDU of the event: received for PDU events, to be sent for request primitives; for Evt19
         *            the A-ABORT the provider is to send; may be {@code null}
         */
        void perform(Action action, Event event, Pdu pdu, State next) throws IOException;
    }

    private final Role role;
    private final ActionPerformer performer;
    private volatile String name;
    private State state;

    public StateMachine(Role role, ActionPerformer performer, String name) {
        this(role, performer, name, State.STA1);
    }

    /** For tests: a machine that starts in any state. */
    StateMachine(Role role, ActionPerformer performer, String name, State initial) {
        this.role = Objects.requireNonNull(role);
        this.performer = Objects.requireNonNull(performer);
        this.name = name;
        this.state = initial;
    }

    public Role role() {
        return role;
    }

    /** Renames the machine in log lines (e.g. once the peer's AE title is known). */
    public void setName(String name) {
        this.name = name;
    }

    public synchronized State state() {
        return state;
    }

    public Action fire(Event event) throws IOException {
        return fire(event, null);
    }

    /**
     * Processes one event.
     *
     * @return the action taken, or {@code null} when the cell is empty and the event is ignored (a late ARTIM
     *         expiry, a transport close after the association is idle, an A-ABORT request with nothing to abort)
     * @throws IllegalStateException if a local primitive is not allowed in the current state (API misuse)
     * @throws IOException           if the action's transport operation failed
     */
    public synchronized Action fire(Event event, Pdu pdu) throws IOException {
        State from = state;
        Action action = TransitionTable.action(from, event);
        if (action == null) {
            if (event.isLocalPrimitive() && event != Event.EVT15) {
                throw new IllegalStateException(name + ": " + event + " (" + event.description() + ") is not allowed in "
                        + from + " (" + from.description() + "), PS3.8 Table 9-10");
            }
            LOG.debug("{}: {} + {} -> no transition, ignored", name, from, event);
            return null;
        }
        boolean condition = switch (action) {
            case AE_6 -> pdu instanceof AssociateRq rq && performer.isAcceptable(rq);
            case AR_8 -> role == Role.REQUESTOR;
            default -> false;
        };
        State next = action.nextState(condition);
        state = next;
        LOG.debug("{}: {} + {} -> {} -> {}", name, from, event, action, next);
        notifyAll();
        performer.perform(action, event, pdu, next);
        return action;
    }

    /**
     * Waits until the state satisfies {@code condition} or the timeout elapses.
     *
     * @return whether the condition holds on return
     */
    public synchronized boolean awaitState(Predicate<State> condition, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!condition.test(state)) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    @Override
    public String toString() {
        return name + " " + state();
    }
}
