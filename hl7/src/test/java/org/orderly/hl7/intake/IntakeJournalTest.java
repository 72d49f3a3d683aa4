package org.orderly.hl7.intake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntakeJournalTest {

    private static JournalEntry entry(long seq) {
        return new JournalEntry(seq, Instant.ofEpochSecond(1_700_000_000L, 123_456_789), "10.0.0.1:4711", 0,
                ("MSH|^~\\&|RIS|H||" + seq).getBytes(StandardCharsets.ISO_8859_1), List.of("n:AccessionNumber=" + seq,
                "u:2.25.1" + seq));
    }

    private static List<JournalEntry> pending(Path dir) throws Exception {
        List<JournalEntry> out = new ArrayList<>();
        IntakeJournal.open(dir, () -> { }).forEachPending(out::add);
        return out;
    }

    /** A crash (the database file never written): every record is there, in order, byte for byte. */
    @Test
    void recordsSurviveUntilTheDatabaseIsWritten(@TempDir Path dir) throws Exception {
        AtomicInteger writes = new AtomicInteger();
        IntakeJournal failing = IntakeJournal.open(dir.resolve("b"), () -> {
            if (writes.incrementAndGet() > 1) {
                throw new IllegalStateException("not written");
            }
        });
        failing.start(41);
        for (int i = 0; i < 3; i++) {
            failing.append(entry(failing.nextSeq()));
            failing.checkpoint(); // a new segment each time; the database write fails, so all are kept
        }
        failing.close();
        List<JournalEntry> got = pending(dir.resolve("b"));
        assertEquals(List.of(42L, 43L, 44L), got.stream().map(JournalEntry::seq).toList());
        assertEquals(entry(43).received(), got.get(1).received());
        assertEquals(entry(43).generated(), got.get(1).generated());
        assertArrayEquals(entry(43).raw(), got.get(1).raw());
    }

    /** A record cut short by the crash is the last one and was never acknowledged: dropped, the others kept. */
    @Test
    void aRecordCutShortIsDropped(@TempDir Path dir) throws Exception {
        AtomicInteger writes = new AtomicInteger();
        IntakeJournal j = IntakeJournal.open(dir, () -> {
            if (writes.incrementAndGet() > 1) {
                throw new IllegalStateException("not written");
            }
        });
        j.start(0);
        j.append(entry(j.nextSeq()));
        j.append(entry(j.nextSeq()));
        j.close();
        Path segment;
        try (var files = Files.list(dir)) {
            segment = files.sorted().toList().get(0);
        }
        byte[] whole = entry(3).encode();
        Files.write(segment, new byte[] {0, 0, 0, (byte) (whole.length + 8), 1, 2, 3, 4, 5}, StandardOpenOption.APPEND);
        assertEquals(List.of(1L, 2L), pending(dir).stream().map(JournalEntry::seq).toList());
    }

    /** A checkpoint that wrote the database deletes what it covered; numbering continues after a restart. */
    @Test
    void checkpointEmptiesTheJournal(@TempDir Path dir) throws Exception {
        IntakeJournal j = IntakeJournal.open(dir, () -> { });
        j.start(7);
        j.append(entry(j.nextSeq()));
        j.checkpoint();
        assertEquals(List.of(), pending(dir));
        j.close();
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
        IntakeJournal again = IntakeJournal.open(dir, () -> { });
        again.start(8);
        assertEquals(9, again.nextSeq());
        again.close();
    }
}
