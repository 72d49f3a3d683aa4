package org.orderly.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandRegistryTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<String> calls = new ArrayList<>();

    private Command cmd(String name) {
        return new Command() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String summary() {
                return "does " + name;
            }

            @Override
            public int run(List<String> args, PrintStream o, PrintStream e) {
                calls.add(name + " " + args);
                return 0;
            }
        };
    }

    private int dispatch(String... args) throws Exception {
        CommandRegistry r = new CommandRegistry("run", "1.0").register(cmd("run")).register(cmd("hl7 send")).register(cmd("hl7"));
        return r.dispatch(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void dispatchesToTheLongestMatchingCommand() throws Exception {
        assertEquals(0, dispatch());
        assertEquals(0, dispatch("--orderly.http.port=1"));
        assertEquals(0, dispatch("run", "--orderly.http.port=2"));
        assertEquals(0, dispatch("hl7", "send", "x"));
        assertEquals(0, dispatch("hl7", "x"));
        assertEquals(List.of("run []", "run [--orderly.http.port=1]", "run [--orderly.http.port=2]", "hl7 send [x]", "hl7 [x]"), calls);
    }

    @Test
    void helpVersionAndUnknown() throws Exception {
        assertEquals(0, dispatch("--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("  hl7 send  does hl7 send"), help);
        assertEquals(0, dispatch("--version"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("orderly 1.0"));
        assertEquals(2, dispatch("nope"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("orderly: unknown command 'nope'"));
        assertTrue(calls.isEmpty());
    }
}
