package org.orderly.hl7.intake;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.orderly.hl7.mapping.IdGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The values generated while one message was handled (counter values such as a generated Accession Number, UIDs such
 * as a generated Study Instance UID), in the order they were drawn. Recorded in the {@link IntakeJournal} with the
 * message, and handed out again when the journal is replayed after a crash: a modality may already have read the
 * original values from the worklist, so the replayed order must carry the same ones.
 *
 * <p>Each value is one string: {@code n:<counter>=<value>} or {@code u:<uid>}. Not thread-safe: one per message.
 */
final class GeneratedValues {
    private static final Logger LOG = LoggerFactory.getLogger(GeneratedValues.class);

    private final List<String> recorded;
    private final boolean replaying;
    private int cursor;

    private GeneratedValues(List<String> recorded, boolean replaying) {
        this.recorded = recorded;
        this.replaying = replaying;
    }

    /** For a message as it arrives: records what {@link #over} draws. */
    static GeneratedValues recording() {
        return new GeneratedValues(new ArrayList<>(), false);
    }

    /** For a message replayed from the journal: hands out {@code values} again, in order. */
    static GeneratedValues replaying(List<String> values) {
        return new GeneratedValues(List.copyOf(values), true);
    }

    /** Another attempt at the same message: nothing of the previous attempt counts. */
    void restart() {
        if (replaying) {
            cursor = 0;
        } else {
            recorded.clear();
        }
    }

    List<String> values() {
        return List.copyOf(recorded);
    }

    /** The highest recorded value of each counter, merged into {@code max}. */
    static void maxCounters(List<String> values, Map<String, Long> max) {
        for (String v : values) {
            int eq = v.lastIndexOf('=');
            if (v.startsWith("n:") && eq > 2) {
                max.merge(v.substring(2, eq), Long.parseLong(v.substring(eq + 1)), Math::max);
            }
        }
    }

    /** {@code source} with the draws recorded, or replayed. */
    IdGenerator over(IdGenerator source) {
        return new IdGenerator() {
            @Override
            public long next(String counter) {
                String prefix = "n:" + counter + "=";
                String again = replayed(prefix);
                if (again != null) {
                    return Long.parseLong(again);
                }
                long value = source.next(counter);
                record(prefix + value);
                return value;
            }

            @Override
            public String newUid() {
                String again = replayed("u:");
                if (again != null) {
                    return again;
                }
                String uid = source.newUid();
                record("u:" + uid);
                return uid;
            }
        };
    }

    private String replayed(String prefix) {
        if (!replaying) {
            return null;
        }
        if (cursor < recorded.size() && recorded.get(cursor).startsWith(prefix)) {
            return recorded.get(cursor++).substring(prefix.length());
        }
        // the mapping changed between the original and the replay: a new value, as for a new message
        LOG.warn("hl7 journal replay: the message draws {} where the original drew {}; generating a new value", prefix,
                cursor < recorded.size() ? recorded.get(cursor) : "nothing more");
        return null;
    }

    private void record(String value) {
        if (!replaying) {
            recorded.add(value);
        }
    }
}
