package org.orderly.dicom.net.ul;

import java.util.EnumMap;
import java.util.Map;

/**
 * The DICOM Upper Layer state transition table, PS3.8 §9.2.3, Table 9-10: for each event (row) and state
 * (column), the action to take. An empty cell is a state in which the event cannot happen or is not allowed.
 * The literal below is laid out like the standard's table so that it can be checked line by line.
 */
public final class TransitionTable {

    // @formatter:off
    private static final String[][] TABLE_9_10 = {
        //            Sta1    Sta2    Sta3    Sta4    Sta5    Sta6    Sta7    Sta8    Sta9    Sta10   Sta11   Sta12   Sta13
        /* Evt1  */ {"AE-1", "",     "",     "",     "",     "",     "",     "",     "",     "",     "",     "",     ""    },
        /* Evt2  */ {"",     "",     "",     "AE-2", "",     "",     "",     "",     "",     "",     "",     "",     ""    },
        /* Evt3  */ {"",     "AA-1", "AA-8", "",     "AE-3", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-6"},
        /* Evt4  */ {"",     "AA-1", "AA-8", "",     "AE-4", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-6"},
        /* Evt5  */ {"AE-5", "",     "",     "",     "",     "",     "",     "",     "",     "",     "",     "",     ""    },
        /* Evt6  */ {"",     "AE-6", "AA-8", "",     "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-7"},
        /* Evt7  */ {"",     "",     "AE-7", "",     "",     "",     "",     "",     "",     "",     "",     "",     ""    },
        /* Evt8  */ {"",     "",     "AE-8", "",     "",     "",     "",     "",     "",     "",     "",     "",     ""    },
        /* Evt9  */ {"",     "",     "",     "",     "",     "DT-1", "",     "AR-7", "",     "",     "",     "",     ""    },
        /* Evt10 */ {"",     "AA-1", "AA-8", "",     "AA-8", "DT-2", "AR-6", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-6"},
        /* Evt11 */ {"",     "",     "",     "",     "",     "AR-1", "",     "",     "",     "",     "",     "",     ""    },
        /* Evt12 */ {"",     "AA-1", "AA-8", "",     "AA-8", "AR-2", "AR-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-6"},
        /* Evt13 */ {"",     "AA-1", "AA-8", "",     "AA-8", "AA-8", "AR-3", "AA-8", "AA-8", "AR-10","AR-3", "AA-8", "AA-6"},
        /* Evt14 */ {"",     "",     "",     "",     "",     "",     "",     "AR-4", "AR-9", "",     "",     "AR-4", ""    },
        /* Evt15 */ {"",     "",     "AA-1", "AA-2", "AA-1", "AA-1", "AA-1", "AA-1", "AA-1", "AA-1", "AA-1", "AA-1", ""    },
        /* Evt16 */ {"",     "AA-2", "AA-3", "",     "AA-3", "AA-3", "AA-3", "AA-3", "AA-3", "AA-3", "AA-3", "AA-3", "AA-2"},
        /* Evt17 */ {"",     "AA-5", "AA-4", "AA-4", "AA-4", "AA-4", "AA-4", "AA-4", "AA-4", "AA-4", "AA-4", "AA-4", "AR-5"},
        /* Evt18 */ {"",     "AA-2", "",     "",     "",     "",     "",     "",     "",     "",     "",     "",     "AA-2"},
        /* Evt19 */ {"",     "AA-1", "AA-8", "",     "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-7"},
    };
    // @formatter:on

    private static final Map<Event, Map<State, Action>> TABLE = build();

    private TransitionTable() {
    }

    private static Map<Event, Map<State, Action>> build() {
        Event[] events = Event.values();
        State[] states = State.values();
        if (TABLE_9_10.length != events.length) {
            throw new IllegalStateException("Table 9-10 needs one row per event");
        }
        Map<Event, Map<State, Action>> t = new EnumMap<>(Event.class);
        for (int e = 0; e < events.length; e++) {
            if (TABLE_9_10[e].length != states.length) {
                throw new IllegalStateException("Table 9-10 row " + events[e] + " needs one cell per state");
            }
            Map<State, Action> row = new EnumMap<>(State.class);
            for (int s = 0; s < states.length; s++) {
                String cell = TABLE_9_10[e][s];
                if (!cell.isEmpty()) {
                    row.put(states[s], Action.valueOf(cell.replace('-', '_')));
                }
            }
            t.put(events[e], row);
        }
        return t;
    }

    /** The action for an event in a state, or {@code null} for an empty cell. */
    public static Action action(State state, Event event) {
        return TABLE.get(event).get(state);
    }
}
