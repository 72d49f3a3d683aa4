package org.orderly.hl7.intake;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One message as the {@link IntakeJournal} keeps it: enough to handle it again exactly as it was handled.
 *
 * @param seq       the journal's number for it, also stored in the message's log row ({@code journal_seq})
 * @param received  when it arrived
 * @param peer      the remote address (or {@code replay})
 * @param replayOf  the log row an admin replayed, 0 for a message from a sender
 * @param raw       the bytes as received
 * @param generated the values generated for it ({@link GeneratedValues})
 */
record JournalEntry(long seq, Instant received, String peer, long replayOf, byte[] raw, List<String> generated) {

    private static final int FORMAT = 1;

    JournalEntry {
        generated = List.copyOf(generated);
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length + 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeLong(seq);
            out.writeLong(received.getEpochSecond());
            out.writeInt(received.getNano());
            out.writeUTF(peer);
            out.writeLong(replayOf);
            out.writeInt(raw.length);
            out.write(raw);
            out.writeShort(generated.size());
            for (String g : generated) {
                out.writeUTF(g);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return bytes.toByteArray();
    }

    static JournalEntry decode(DataInputStream in) throws IOException {
        int format = in.readUnsignedByte();
        if (format != FORMAT) {
            throw new IOException("unknown journal record format " + format);
        }
        long seq = in.readLong();
        Instant received = Instant.ofEpochSecond(in.readLong(), in.readInt());
        String peer = in.readUTF();
        long replayOf = in.readLong();
        byte[] raw = in.readNBytes(in.readInt());
        int n = in.readUnsignedShort();
        List<String> generated = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            generated.add(in.readUTF());
        }
        return new JournalEntry(seq, received, peer, replayOf, raw, generated);
    }
}
