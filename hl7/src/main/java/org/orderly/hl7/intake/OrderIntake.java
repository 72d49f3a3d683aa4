package org.orderly.hl7.intake;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import org.orderly.hl7.Hl7ParseException;
import org.orderly.hl7.Hl7Parser;
import org.orderly.hl7.MshHeader;
import org.orderly.hl7.ParsedMessage;
import org.orderly.hl7.ack.Ack;
import org.orderly.hl7.ack.AckBuilder;
import org.orderly.hl7.ack.AckCode;
import org.orderly.hl7.ack.ErrorCode;
import org.orderly.hl7.ack.ErrorLocation;
import org.orderly.hl7.ack.Hl7Error;
import org.orderly.hl7.ack.MessageAllowList;
import org.orderly.hl7.mapping.Mapping;
import org.orderly.hl7.mapping.MappedOrder;
import org.orderly.hl7.mapping.MappingRegistry;
import org.orderly.hl7.mapping.MappingRejectedException;
import org.orderly.hl7.mapping.OrderMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order port's business logic, one call per inbound message: parse -> allow-list -> dedupe ->
 * map -> store -> acknowledge. The Camel route only moves bytes in and the ACK out.
 *
 * <h2>Acknowledgment (HL7 v2.5.1 §2.9.2, original mode)</h2>
 * <ul>
 *   <li><b>AA</b> only after ONE database transaction holding both the worklist change and the
 *       message log row has committed and, with an {@link IntakeJournal}, the message is in the journal
 *       (the database then writes its file behind; {@link #recover()} replays what it lacked after a
 *       crash). A crash before that loses nothing the sender was told about: it has no AA and sends
 *       again.</li>
 *   <li><b>AE</b> for a message understood but not applicable: mapping refused (Type 1 key, ORC-1),
 *       unknown order or patient (204), internal failure (207, the sender may retry). Nothing of
 *       it is applied: the transaction is rolled back, then the message is logged on its own.</li>
 *   <li><b>AR</b> for an unparsable message, an unsupported version, or a type outside the
 *       allow-list (never turned into orders).</li>
 * </ul>
 *
 * <h2>Exactly once</h2>
 * An applied message's log row carries {@code applied_key = MSH-3|MSH-4|MSH-10} under a unique
 * index, inserted BEFORE the worklist change in the same transaction. A retransmission finds that
 * row and is acknowledged AA again without being applied (HL7 v2.5.1 §2.10.1); two copies racing
 * on two connections serialize on the index: the second waits for the first commit, fails the
 * insert, rolls back and is answered as a duplicate. Only AA rows carry the key, so the sender may
 * resend a control ID that got AE or AR.
 *
 * <p>Thread-safe; one instance serves every connection.
 */
public final class OrderIntake {
    private static final Logger LOG = LoggerFactory.getLogger(OrderIntake.class);

    /** Peer name recorded for a replay. */
    public static final String REPLAY_PEER = "replay";

    private final Hl7Parser parser;
    private final MessageAllowList allowList;
    private final MappingRegistry mappings;
    private final WorklistWriter writer;
    private final MessageLog log;
    private final SequenceIdGenerator ids;
    private final AckBuilder acks;
    private final Clock clock;
    /** Null when the log's data source makes each commit durable itself. */
    private final IntakeJournal journal;

    public OrderIntake(Hl7Parser parser, MessageAllowList allowList, MappingRegistry mappings, WorklistWriter writer,
                       MessageLog log, SequenceIdGenerator ids, AckBuilder acks, Clock clock, IntakeJournal journal) {
        this.parser = parser;
        this.allowList = allowList;
        this.mappings = mappings;
        this.writer = writer;
        this.log = log;
        this.ids = ids;
        this.acks = acks;
        this.clock = clock;
        this.journal = journal;
    }

    /** Defaults for everything but the store, the log and the mappings; each commit of the log's data source is durable. */
    public OrderIntake(MappingRegistry mappings, WorklistWriter writer, MessageLog log) {
        this(mappings, writer, log, null);
    }

    /**
     * Defaults for everything but the store, the log, the mappings and the journal. With a journal, the log's data
     * source may write behind: each message is made durable in the journal before its ACK (call {@link #recover()}
     * before the first message).
     */
    public OrderIntake(MappingRegistry mappings, WorklistWriter writer, MessageLog log, IntakeJournal journal) {
        this(new Hl7Parser(), MessageAllowList.defaults(), mappings, writer, log,
                new SequenceIdGenerator(log.dataSource()), new AckBuilder(), Clock.systemDefaultZone(), journal);
    }

    public MessageLog messageLog() {
        return log;
    }

    /**
     * Handles one message as received on a connection.
     *
     * @param raw  the bytes between the MLLP start and end blocks
     * @param peer the remote address, for the log (no PHI)
     */
    public IntakeResult accept(byte[] raw, String peer) {
        return handle(arrival(raw, peer, 0));
    }

    /**
     * Runs a logged message again through the CURRENT mapping, as if it had just arrived: for
     * the admin who fixed a mapping after a message was refused. A replay is applied even when the
     * original was (the admin asked for it); it is logged as a new row with {@code replay_of}.
     *
     * @return empty when there is no such log row
     */
    public Optional<IntakeResult> replay(long logId) throws SQLException {
        Optional<byte[]> raw = log.raw(logId);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(handle(arrival(raw.get(), REPLAY_PEER, logId)));
    }

    /**
     * After a crash: handles again, in order, the journal's messages whose log row is not in the database (their AA
     * was sent; the database had not written them yet), with the values generated for them originally, then starts
     * the journal. Call once, before the first message.
     *
     * @return the number of messages handled again
     */
    public int recover() throws Exception {
        if (journal == null) {
            return 0;
        }
        Map<String, Long> drawn = new HashMap<>();
        journal.forEachPending(e -> GeneratedValues.maxCounters(e.generated(), drawn));
        for (Map.Entry<String, Long> d : drawn.entrySet()) {
            ids.advancePast(d.getKey(), d.getValue()); // the counters' last values may not have reached the file
        }
        int[] again = {0};
        journal.forEachPending(e -> {
            if (!log.hasJournalSeq(e.seq())) {
                process(new Arrival(e.seq(), OffsetDateTime.ofInstant(e.received(), clock.getZone()), e.peer(),
                        e.replayOf(), e.raw(), GeneratedValues.replaying(e.generated())));
                again[0]++;
            }
        });
        journal.start(log.maxJournalSeq());
        if (again[0] > 0) {
            LOG.warn("hl7 journal: {} acknowledged message(s) were not in the database file after the last stop; "
                    + "handled again from the journal", again[0]);
        }
        return again[0];
    }

    /** One message to handle: as received, or as recorded in the journal. */
    private record Arrival(long seq, OffsetDateTime received, String peer, long replayOf, byte[] raw,
                           GeneratedValues generated) {
        JournalEntry entry() {
            return new JournalEntry(seq, received.toInstant(), peer, replayOf, raw, generated.values());
        }
    }

    private Arrival arrival(byte[] raw, String peer, long replayOf) {
        return new Arrival(journal == null ? 0 : journal.nextSeq(), OffsetDateTime.now(clock), peer, replayOf, raw,
                GeneratedValues.recording());
    }

    /** Processes, then makes the outcome durable before it is returned (and acknowledged). */
    private IntakeResult handle(Arrival a) {
        if (journal == null) {
            return process(a);
        }
        IntakeResult result;
        journal.enterTransaction();
        try {
            result = process(a);
        } finally {
            journal.exitTransaction();
        }
        if (!internalError(result)) {
            journal.append(a.entry()); // an internal error applied nothing: a replay must not apply it either
        }
        return result;
    }

    private static boolean internalError(IntakeResult r) {
        return !r.errors().isEmpty() && r.errors().get(0).code() == ErrorCode.APPLICATION_INTERNAL_ERROR;
    }

    private IntakeResult process(Arrival a) {
        byte[] raw = a.raw();
        ParsedMessage msg;
        try {
            msg = parser.parse(raw);
        } catch (Hl7ParseException e) {
            Ack ack = acks.reject(e);
            return refuse(a, e.header().orElse(null), null, ack, List.of(e.error()));
        }
        MshHeader header = msg.header();
        Optional<Hl7Error> notAllowed = allowList.check(header);
        if (notAllowed.isPresent()) {
            Ack ack = acks.reject(header, notAllowed.get());
            return refuse(a, header, msg.charset().name(), ack, List.of(notAllowed.get()));
        }
        String key = appliedKey(header);
        for (int attempt = 1; ; attempt++) {
            try {
                a.generated().restart();
                return applyOnce(a, msg, key);
            } catch (DuplicateRace e) {
                if (attempt >= 2) {
                    return internalError(a, msg, e);
                }
                // the other copy committed first: the next attempt finds its row and answers as a duplicate
            }
        }
    }

    /** One transaction: dedupe, log row, map, store, commit. */
    private IntakeResult applyOnce(Arrival a, ParsedMessage msg, String key) throws DuplicateRace {
        MshHeader header = msg.header();
        String peer = a.peer();
        long replayOf = a.replayOf();
        String charset = msg.charset() == null ? null : msg.charset().name();
        List<Hl7Error> refused;
        try (Connection c = log.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                Optional<Long> original = log.findApplied(c, key);
                if (original.isPresent() && replayOf == 0) {
                    Ack ack = acks.accept(header);
                    long id = log.insert(c, new MessageLog.Entry(a.received(), peer, header, "AA", original.get(), 0,
                            null, null, charset, a.raw(), ack.text(), a.seq()));
                    c.commit();
                    LOG.info("hl7 {} control-id={} from {} peer={}: duplicate of log #{}, acknowledged AA, not applied again (log #{})",
                            header.typeAndEvent(), header.controlId(), sender(header), peer, original.get(), id);
                    return new IntakeResult(ack, id, false, true, List.of());
                }
                Ack ack = acks.accept(header);
                long id;
                try {
                    id = log.insert(c, new MessageLog.Entry(a.received(), peer, header, "AA", 0, replayOf, null,
                            original.isPresent() ? null : key, charset, a.raw(), ack.text(), a.seq()));
                } catch (SQLException e) {
                    if (MessageLog.isUniqueViolation(e)) {
                        c.rollback();
                        throw new DuplicateRace(e);
                    }
                    throw e;
                }
                Origin origin = new Origin(sender(header), header.typeAndEvent(), header.controlId(), id);
                int changes = apply(c, msg, mappings.current().select(header), origin, a.generated());
                c.commit();
                LOG.info("hl7 {} control-id={} from {} peer={}: applied {} change(s), AA (log #{}{})",
                        header.typeAndEvent(), header.controlId(), sender(header), peer, changes, id,
                        replayOf > 0 ? ", replay of #" + replayOf : "");
                return new IntakeResult(ack, id, true, false, List.of());
            } catch (MappingRejectedException e) {
                c.rollback();
                refused = e.errors();
            } catch (NotApplicableException e) {
                c.rollback();
                refused = e.errors();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            return internalError(a, msg, e);
        }
        Ack ack = acks.error(header, refused);
        return refuse(a, header, charset, ack, refused);
    }

    /** Dispatches by message type; returns the number of store calls. */
    private int apply(Connection c, ParsedMessage msg, Mapping mapping, Origin origin, GeneratedValues generated)
            throws MappingRejectedException, NotApplicableException, SQLException {
        MshHeader h = msg.header();
        OrderMapper mapper = new OrderMapper(generated.over(ids.bind(c)));
        String type = h.messageType().toUpperCase(Locale.ROOT);
        String event = h.triggerEvent().toUpperCase(Locale.ROOT);
        if (type.equals("ORM") || type.equals("OMI")) {
            List<MappedOrder> orders = mapper.mapOrders(msg, mapping);
            for (MappedOrder o : orders) {
                writer.applyOrder(c, o, origin);
            }
            return orders.size();
        }
        if (type.equals("ADT") && (event.equals("A08") || event.equals("A31"))) {
            writer.updatePatient(c, mapper.mapPatient(msg, mapping), origin);
            return 1;
        }
        if (type.equals("ADT") && event.equals("A40")) {
            writer.mergePatient(c, mapper.mapMerge(msg, mapping), origin);
            return 1;
        }
        // the allow-list admits a type this intake has no handler for: a configuration error, never an order
        throw new NotApplicableException(ErrorCode.UNSUPPORTED_MESSAGE_TYPE, new ErrorLocation("MSH", 1, 9, 1, 1, 0),
                "no handler for " + h.typeAndEvent());
    }

    private IntakeResult refuse(Arrival a, MshHeader header, String charset, Ack ack, List<Hl7Error> errors) {
        long id = 0;
        String peer = a.peer();
        try {
            id = log.insert(new MessageLog.Entry(a.received(), peer, header, ack.code().name(), 0, a.replayOf(),
                    errors.isEmpty() ? null : errors.get(0), null, charset, a.raw(), ack.text(), a.seq()));
        } catch (SQLException | RuntimeException e) {
            LOG.error("hl7 message log: cannot record a {} message from peer {}: {}", ack.code(), peer, e.toString());
        }
        Hl7Error first = errors.isEmpty() ? null : errors.get(0);
        LOG.info("hl7 {} control-id={} from {} peer={}: {} {} {} (log #{})",
                header == null ? "(no MSH)" : header.typeAndEvent(), header == null ? "" : header.controlId(),
                header == null ? "?" : sender(header), peer, ack.code(),
                first == null ? "" : first.code().code(), first == null ? "" : first.text(), id);
        return new IntakeResult(ack, id, false, false, errors);
    }

    private IntakeResult internalError(Arrival a, ParsedMessage msg, Exception e) {
        LOG.error("hl7 {} control-id={} peer={}: internal error, answered AE 207: {}", msg.header().typeAndEvent(),
                msg.header().controlId(), a.peer(), e.toString());
        LOG.debug("hl7 internal error", e);
        Hl7Error err = new Hl7Error(ErrorCode.APPLICATION_INTERNAL_ERROR, null,
                "internal error, nothing was applied; please retry");
        Ack ack = acks.build(msg.header(), AckCode.AE, List.of(err));
        return refuse(a, msg.header(), msg.charset() == null ? null : msg.charset().name(), ack, List.of(err));
    }

    /** {@code MSH-3|MSH-4}: the namespace of a sender's control IDs and order numbers. */
    public static String sender(MshHeader h) {
        return h.sendingApplication() + "|" + h.sendingFacility();
    }

    static String appliedKey(MshHeader h) {
        String k = sender(h) + "|" + h.controlId();
        return k.length() <= 500 ? k : k.substring(0, 500);
    }

    /** The insert of the applied key lost a race with another copy of the same message. */
    private static final class DuplicateRace extends Exception {
        private static final long serialVersionUID = 1L;

        DuplicateRace(SQLException cause) {
            super(cause);
        }
    }
}
