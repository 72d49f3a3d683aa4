package org.orderly.dicom.net.ul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.orderly.dicom.net.pdu.AssociateRq;
import org.orderly.dicom.net.pdu.Pdu;
import org.orderly.dicom.net.pdu.PresentationContextRqItem;
import org.orderly.dicom.net.pdu.UserInformationItem;

/**
 * Every cell of PS3.8 Table 9-10 (13 states x 19 events = 247 cells), with expectations written independently of
 * {@link TransitionTable}: from the standard's text as "event: state action, state action..." lists, and next states
 * from Tables 9-6..9-9. Runs each cell through {@link StateMachine#fire} from that state and checks the action
 * performed and the state reached.
 */
class TransitionTableTest {

    /** PS3.8 Table 9-10, one line per event: the states that have a cell, each with its action. */
    private static final String[] EXPECTED = {
        "Evt1: Sta1 AE-1",
        "Evt2: Sta4 AE-2",
        "Evt3: Sta2 AA-1, Sta3 AA-8, Sta5 AE-3, Sta6 AA-8, Sta7 AA-8, Sta8 AA-8, Sta9 AA-8, Sta10 AA-8, Sta11 AA-8,"
            + " Sta12 AA-8, Sta13 AA-6",
        "Evt4: Sta2 AA-1, Sta3 AA-8, Sta5 AE-4, Sta6 AA-8, Sta7 AA-8, Sta8 AA-8, Sta9 AA-8, Sta10 AA-8, Sta11 AA-8,"
            + " Sta12 AA-8, Sta13 AA-6",
        "Evt5: Sta1 AE-5",
        "Evt6: Sta2 AE-6, Sta3 AA-8, Sta5 AA-8, Sta6 AA-8, Sta7 AA-8, Sta8 AA-8, Sta9 AA-8, Sta10 AA-8, Sta11 AA-8,"
            + " Sta12 AA-8, Sta13 AA-7",
        "Evt7: Sta3 AE-7",
        "Evt8: Sta3 AE-8",
        "Evt9: Sta6 DT-1, Sta8 AR-7",
        "Evt10: Sta2 AA-1, Sta3 AA-8, Sta5 AA-8, Sta6 DT-2, Sta7 AR-6, Sta8 AA-8, Sta9 AA-8, Sta10 AA-8, Sta11 AA-8,"
            + " Sta12 AA-8, Sta13 AA-6",
        "Evt11: Sta6 AR-1",
        "Evt12: Sta2 AA-1, Sta3 AA-8, Sta5 AA-8, Sta6 AR-2, Sta7 AR-8, Sta8 AA-8, Sta9 AA-8, Sta10 AA-8, Sta11 AA-8,"
            + " Sta12 AA-8, Sta13 AA-6",
        "Evt13: Sta2 AA-1, Sta3 AA-8, Sta5 AA-8, Sta6 AA-8, Sta7 AR-3, Sta8 AA-8, Sta9 AA-8, Sta10 AR-10,"
            + " Sta11 AR-3, Sta12 AA-8, Sta13 AA-6",
        "Evt14: Sta8 AR-4, Sta9 AR-9, Sta12 AR-4",
        "Evt15: Sta3 AA-1, Sta4 AA-2, Sta5 AA-1, Sta6 AA-1, Sta7 AA-1, Sta8 AA-1, Sta9 AA-1, Sta10 AA-1, Sta11 AA-1,"
            + " Sta12 AA-1",
        "Evt16: Sta2 AA-2, Sta3 AA-3, Sta5 AA-3, Sta6 AA-3, Sta7 AA-3, Sta8 AA-3, Sta9 AA-3, Sta10 AA-3, Sta11 AA-3,"
            + " Sta12 AA-3, Sta13 AA-2",
        "Evt17: Sta2 AA-5, Sta3 AA-4, Sta4 AA-4, Sta5 AA-4, Sta6 AA-4, Sta7 AA-4, Sta8 AA-4, Sta9 AA-4, Sta10 AA-4,"
            + " Sta11 AA-4, Sta12 AA-4, Sta13 AR-5",
        "Evt18: Sta2 AA-2, Sta13 AA-2",
        "Evt19: Sta2 AA-1, Sta3 AA-8, Sta5 AA-8, Sta6 AA-8, Sta7 AA-8, Sta8 AA-8, Sta9 AA-8, Sta10 AA-8, Sta11 AA-8,"
            + " Sta12 AA-8, Sta13 AA-7",
    };

    /** Next state of each action, PS3.8 Tables 9-6 (AE), 9-7 (DT), 9-8 (AR), 9-9 (AA). */
    private static final Map<String, String> NEXT = Map.ofEntries(
            Map.entry("AE-1", "Sta4"), Map.entry("AE-2", "Sta5"), Map.entry("AE-3", "Sta6"),
            Map.entry("AE-4", "Sta1"), Map.entry("AE-5", "Sta2"), Map.entry("AE-7", "Sta6"),
            Map.entry("AE-8", "Sta13"), Map.entry("DT-1", "Sta6"), Map.entry("DT-2", "Sta6"),
            Map.entry("AR-1", "Sta7"), Map.entry("AR-2", "Sta8"), Map.entry("AR-3", "Sta1"),
            Map.entry("AR-4", "Sta13"), Map.entry("AR-5", "Sta1"), Map.entry("AR-6", "Sta7"),
            Map.entry("AR-7", "Sta8"), Map.entry("AR-9", "Sta11"), Map.entry("AR-10", "Sta12"),
            Map.entry("AA-1", "Sta13"), Map.entry("AA-2", "Sta1"), Map.entry("AA-3", "Sta1"),
            Map.entry("AA-4", "Sta1"), Map.entry("AA-5", "Sta1"), Map.entry("AA-6", "Sta13"),
            Map.entry("AA-7", "Sta13"), Map.entry("AA-8", "Sta13"));

    private static final AssociateRq RQ_V1 = rq(1);
    private static final AssociateRq RQ_V2 = rq(2); // protocol version 2 only: bit 0 clear

    private static AssociateRq rq(int version) {
        return new AssociateRq(version, "A", "B", org.orderly.dicom.net.pdu.ApplicationContextItem.DICOM,
                List.of(new PresentationContextRqItem(1, "1.2", List.of("1.2.3"))), new UserInformationItem(List.of()));
    }

    static Stream<Arguments> cells() {
        Map<Event, Map<State, String>> expected = new EnumMap<>(Event.class);
        for (String line : EXPECTED) {
            String[] head = line.split(": ");
            Event e = Event.valueOf(head[0].toUpperCase());
            Map<State, String> row = new EnumMap<>(State.class);
            for (String cell : head[1].split(", ")) {
                String[] sa = cell.split(" ");
                row.put(State.valueOf(sa[0].toUpperCase()), sa[1]);
            }
            expected.put(e, row);
        }
        List<Arguments> args = new ArrayList<>();
        for (Event e : Event.values()) {
            for (State s : State.values()) {
                String action = expected.get(e).get(s);
                if ("AE-6".equals(action)) { // conditional: Sta3 if acceptable, else Sta13
                    args.add(Arguments.of(s, e, Role.ACCEPTOR, RQ_V1, action, "Sta3"));
                    args.add(Arguments.of(s, e, Role.ACCEPTOR, RQ_V2, action, "Sta13"));
                } else if ("AR-8".equals(action)) { // conditional: Sta9 on the requestor, else Sta10
                    args.add(Arguments.of(s, e, Role.REQUESTOR, null, action, "Sta9"));
                    args.add(Arguments.of(s, e, Role.ACCEPTOR, null, action, "Sta10"));
                } else {
                    args.add(Arguments.of(s, e, Role.REQUESTOR, null, action,
                            action == null ? null : NEXT.get(action)));
                }
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} + {1} ({2}) -> {4} -> {5}")
    @MethodSource("cells")
    void cell(State from, Event event, Role role, Pdu pdu, String action, String next) throws IOException {
        List<Action> performed = new ArrayList<>();
        StateMachine.ActionPerformer recorder = new StateMachine.ActionPerformer() {
            @Override
            public boolean isAcceptable(AssociateRq rq) {
                return (rq.protocolVersion() & 1) != 0;
            }

            @Override
            public void perform(Action a, Event ev, Pdu p, State n) {
                performed.add(a);
            }
        };
        StateMachine sm = new StateMachine(role, recorder, "test", from);
        assertEquals(action, action == null ? null : TransitionTable.action(from, event).toString());
        if (action == null) {
            assertNull(TransitionTable.action(from, event));
            if (event.isLocalPrimitive() && event != Event.EVT15) {
                assertThrows(IllegalStateException.class, () -> sm.fire(event, pdu));
            } else {
                assertNull(sm.fire(event, pdu));
            }
            assertEquals(from, sm.state(), "an empty cell never changes the state");
            assertEquals(List.of(), performed);
            return;
        }
        Action a = sm.fire(event, pdu);
        assertEquals(action, a.toString());
        assertEquals(List.of(a), performed);
        assertEquals(next, sm.state().toString());
    }

    @org.junit.jupiter.api.Test
    void tableHasExactlyTheStandardsNumberOfCells() {
        int cells = 0;
        for (Event e : Event.values()) {
            for (State s : State.values()) {
                if (TransitionTable.action(s, e) != null) {
                    cells++;
                }
            }
        }
        int expected = 0;
        for (String line : EXPECTED) {
            expected += line.split(", ").length;
        }
        assertEquals(expected, cells);
        assertEquals(13, State.values().length);
        assertEquals(19, Event.values().length);
        assertEquals("Sta13", State.STA13.toString());
        assertEquals("Evt19", Event.EVT19.toString());
        assertEquals("AR-10", Action.AR_10.toString());
        assertEquals("Awaiting A-RELEASE-RP PDU", State.STA7.description());
    }
}
