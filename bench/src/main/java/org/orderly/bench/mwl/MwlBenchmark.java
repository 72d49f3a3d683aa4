package org.orderly.bench.mwl;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.orderly.bench.BenchIo;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.io.FileMetaInformation;
import org.orderly.dicom.io.Part10Writer;
import org.orderly.dicom.net.DicomClient;
import org.orderly.dicom.net.DicomServer;
import org.orderly.dicom.net.DimseResponse;
import org.orderly.dicom.net.service.DicomServiceRegistry;
import org.orderly.mwl.access.MwlAccessPolicy;
import org.orderly.mwl.log.JdbcQueryLog;
import org.orderly.mwl.model.Patient;
import org.orderly.mwl.model.RequestedProcedure;
import org.orderly.mwl.model.ScheduledProcedureStep;
import org.orderly.mwl.model.WorklistItem;
import org.orderly.mwl.model.WorklistOrder;
import org.orderly.mwl.query.MatchOptions;
import org.orderly.mwl.scp.MwlFindScp;
import org.orderly.mwl.store.WorklistStore;

/**
 * Modality Worklist benchmark (issue #5, docs/benchmarks.md "Modality Worklist"): a typical modality query (its
 * Scheduled Station AE Title and today's date, 20 matches, ten return keys) against Orderly's MWL SCP on an H2 file
 * database (the broker's URL settings) with N = 10,000 / 100,000 / 1,000,000 scheduled steps, over one persistent
 * association and over 16 concurrent ones; and against dcmtk wlmscpfs with the same 10,000 items as .wl files, in
 * the same run, with the same client (our DicomClient). Prints p50 / p99 latency and queries/s and the ratios.
 *
 * <p>Layout of the generated worklist: steps over 10 days (today -5 .. today +4), 20 per station and day, so the
 * number of stations grows with N (50, 500, 5,000). Items are loaded with {@link WorklistStore#loadNewOrders}.
 *
 * <p>Usage: {@code MwlBenchmark SQL_DIR [N ...] [--seconds S]}
 */
public final class MwlBenchmark {
    private static final int PER_STATION_DAY = 20;
    private static final int DAYS = 10;
    private static final int CONCURRENT = 16;
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    record Stats(int queries, double p50Ms, double p99Ms, double qps, int answersPerQuery) {
        String row() {
            return String.format(Locale.ROOT, "%,d | %.2f | %.2f | %,.0f | %d", queries, p50Ms, p99Ms, qps,
                    answersPerQuery);
        }
    }

    public static void main(String[] args) throws Exception {
        // per-PDU DEBUG lines would measure the console, not the worklist
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Path sql = Path.of(args[0]);
        List<Integer> sizes = new ArrayList<>();
        int seconds = 10;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--seconds")) {
                seconds = Integer.parseInt(args[++i]);
            } else {
                sizes.add(Integer.parseInt(args[i]));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(10_000, 100_000, 1_000_000);
        }
        Path work = Files.createTempDirectory("mwl-bench");
        List<String> rows = new ArrayList<>();
        Stats wlm = null;
        Stats orderly10k = null;
        Stats orderly100k16 = null;
        for (int n : sizes) {
            Path dbDir = work.resolve("db" + n);
            Files.createDirectories(dbDir);
            String url = "jdbc:h2:file:" + dbDir.resolve("orderly") + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE;"
                    + "WRITE_DELAY=2147483647;LAZY_QUERY_EXECUTION=TRUE;QUERY_CACHE_SIZE=64"; // the broker's URL (Database)
            HikariDataSource pool = pool(url);
            migrate(pool, sql);
            WorklistStore store = new WorklistStore(pool);
            long t0 = System.nanoTime();
            load(store, n);
            double loadS = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "loaded %,d steps in %.1f s (%,.0f steps/s)%n", n, loadS, n / loadS);
            try (JdbcQueryLog log = new JdbcQueryLog(pool, Duration.ofDays(30))) {
                DicomServiceRegistry reg = new MwlFindScp(store, MatchOptions.DEFAULT.withMaxAnswers(1000),
                        () -> MwlAccessPolicy.OPEN, log).register(new DicomServiceRegistry());
                DicomServer server = DicomServer.builder("ORDERLY").port(0).maxAssociations(64).registry(reg).build()
                        .start();
                try {
                    Stats one = run(server.port(), "ORDERLY", n, 1, seconds);
                    Stats many = run(server.port(), "ORDERLY", n, CONCURRENT, seconds);
                    rows.add(String.format(Locale.ROOT, "| Orderly | %,d | 1 | %s |", n, one.row()));
                    rows.add(String.format(Locale.ROOT, "| Orderly | %,d | %d | %s |", n, CONCURRENT, many.row()));
                    System.out.println(rows.get(rows.size() - 2));
                    System.out.println(rows.get(rows.size() - 1));
                    if (n == 10_000) {
                        orderly10k = one;
                    }
                    if (n == 100_000) {
                        orderly100k16 = many;
                    }
                } finally {
                    server.stop(Duration.ofSeconds(2));
                }
            }
            if (n == 10_000) {
                wlm = wlmscpfs(work, n, seconds);
                rows.add(String.format(Locale.ROOT, "| dcmtk wlmscpfs | %,d | 1 | %s |", n, wlm.row()));
                System.out.println(rows.get(rows.size() - 1));
            }
            pool.close(); // the last connection closes the embedded database
            BenchIo.deleteTree(dbDir);
        }
        BenchIo.deleteTree(work);
        System.out.println();
        System.out.println("| Server | Steps | Associations | Queries | p50 ms | p99 ms | Queries/s | Answers/query |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
        if (wlm != null && orderly10k != null) {
            System.out.printf(Locale.ROOT, "%nOrderly / wlmscpfs queries/s at 10,000 items, one association: %.0fx "
                    + "(goal >= 250x)%n", orderly10k.qps() / wlm.qps());
        }
        if (orderly100k16 != null) {
            System.out.printf(Locale.ROOT, "16 associations at 100,000 items: %.0f queries/s (goal >= 2,000)%n",
                    orderly100k16.qps());
        }
    }

    /** The pool as the broker configures it (broker Database): never retires connections of the embedded database. */
    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("orderly");
        config.setPassword("");
        config.setMaximumPoolSize(32);
        config.setMaxLifetime(0);
        config.setIdleTimeout(0);
        return new HikariDataSource(config);
    }

    private static void migrate(HikariDataSource pool, Path sqlDir) throws IOException, SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            for (String name : List.of("V1__worklist.sql", "V2__worklist_matching.sql", "V3__hl7_message_log.sql",
                    "V6__mwl_query_log.sql", "V7__inline_datasets.sql")) {
                StringBuilder cur = new StringBuilder();
                for (String line : Files.readAllLines(sqlDir.resolve(name), StandardCharsets.UTF_8)) {
                    String t = line.trim();
                    if (t.startsWith("--") || t.isEmpty()) {
                        continue;
                    }
                    cur.append(line).append('\n');
                    if (t.endsWith(";")) {
                        String s = cur.toString().trim();
                        st.execute(s.substring(0, s.length() - 1));
                        cur.setLength(0);
                    }
                }
            }
        }
    }

    static String station(int i) {
        return String.format("ST%05d", i);
    }

    private static int stations(int n) {
        return Math.max(1, n / (PER_STATION_DAY * DAYS));
    }

    /** Item {@code i} of N: station i % stations, day (i / stations) % DAYS - 5, time spread over the day. */
    static WorklistOrder order(int i, int n) {
        int stations = stations(n);
        LocalDate day = LocalDate.now().plusDays((i / stations) % DAYS - 5);
        int slot = i / (stations * DAYS);
        Attributes p = new Attributes();
        p.setString(Tag.PatientName, VR.PN, "PATIENT^" + i);
        p.setString(Tag.PatientID, VR.LO, "P" + i);
        p.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        p.setString(Tag.PatientSex, VR.CS, i % 2 == 0 ? "F" : "M");
        Attributes rp = new Attributes();
        rp.setString(Tag.AccessionNumber, VR.SH, "A" + i);
        rp.setString(Tag.RequestedProcedureID, VR.SH, "RP" + i);
        rp.setString(Tag.StudyInstanceUID, VR.UI, "2.25.1" + i);
        rp.setString(Tag.RequestedProcedureDescription, VR.LO, "CT HEAD");
        Attributes sps = new Attributes();
        sps.setString(Tag.Modality, VR.CS, "CT");
        sps.setString(Tag.ScheduledStationAETitle, VR.AE, station(i % stations));
        sps.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, day.format(DA));
        sps.setString(Tag.ScheduledProcedureStepStartTime, VR.TM, String.format("%02d%02d00", 7 + slot / 4,
                slot % 4 * 15));
        sps.setString(Tag.ScheduledProcedureStepDescription, VR.LO, "CT head without contrast");
        sps.setString(Tag.ScheduledProcedureStepID, VR.SH, "S" + i);
        sps.setString(Tag.ScheduledPerformingPhysicianName, VR.PN, "HOUSE^GREGORY");
        return new WorklistOrder(new Patient(p), new RequestedProcedure("bench", rp),
                List.of(new ScheduledProcedureStep(sps)));
    }

    private static void load(WorklistStore store, int n) throws SQLException {
        List<WorklistOrder> batch = new ArrayList<>(2000);
        for (int i = 0; i < n; i++) {
            batch.add(order(i, n));
            if (batch.size() == 2000) {
                store.loadNewOrders(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            store.loadNewOrders(batch);
        }
    }

    /** The typical modality query: its station AE title and today's date; ten return keys. */
    static Attributes query(String station) {
        Attributes k = new Attributes();
        k.setNull(Tag.AccessionNumber, VR.SH);
        k.setNull(Tag.PatientName, VR.PN);
        k.setNull(Tag.PatientID, VR.LO);
        k.setNull(Tag.PatientBirthDate, VR.DA);
        k.setNull(Tag.PatientSex, VR.CS);
        k.setNull(Tag.StudyInstanceUID, VR.UI);
        k.setNull(Tag.RequestedProcedureDescription, VR.LO);
        Attributes sps = k.newSequence(Tag.ScheduledProcedureStepSequence).addNewItem();
        sps.setNull(Tag.Modality, VR.CS);
        sps.setString(Tag.ScheduledStationAETitle, VR.AE, station);
        sps.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, LocalDate.now().format(DA));
        sps.setNull(Tag.ScheduledProcedureStepStartTime, VR.TM);
        sps.setNull(Tag.ScheduledProcedureStepID, VR.SH);
        return k;
    }

    /** {@code associations} clients, each querying random stations for {@code seconds} after a 2 s warm-up. */
    static Stats run(int port, String calledAe, int n, int associations, int seconds) throws Exception {
        int stations = stations(n);
        ExecutorService pool = Executors.newFixedThreadPool(associations);
        AtomicInteger answers = new AtomicInteger();
        List<Future<long[]>> futures = new ArrayList<>();
        long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.min(2, seconds));
        long end = warmEnd + TimeUnit.SECONDS.toNanos(seconds);
        for (int a = 0; a < associations; a++) {
            int seed = a;
            futures.add(pool.submit(() -> {
                long[] lat = new long[1 << 20];
                int count = 0;
                java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
                try (DicomClient c = DicomClient.to(calledAe + "@127.0.0.1:" + port).callingAe("BENCH" + seed)
                        .responseTimeout(Duration.ofSeconds(120))
                        .context(UID.ModalityWorklistInformationModelFind).connect()) {
                    while (true) {
                        long t = System.nanoTime();
                        if (t > end) {
                            break;
                        }
                        AtomicInteger got = new AtomicInteger();
                        DimseResponse r = c.find(UID.ModalityWorklistInformationModelFind,
                                query(station(rnd.nextInt(stations))), m -> got.incrementAndGet());
                        long d = System.nanoTime() - t;
                        if (!r.status().isSuccess()) {
                            throw new IllegalStateException("query failed: " + r);
                        }
                        if (t >= warmEnd && count < lat.length) {
                            lat[count++] = d;
                            answers.addAndGet(got.get());
                        }
                    }
                    c.release();
                }
                return Arrays.copyOf(lat, count);
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            for (long l : f.get()) {
                all.add(l);
            }
        }
        pool.shutdown();
        all.sort(null);
        int q = all.size();
        if (q == 0) {
            return new Stats(0, 0, 0, 0, 0);
        }
        return new Stats(q, all.get(q / 2) / 1e6, all.get(Math.min(q - 1, (int) (q * 0.99))) / 1e6,
                q / (double) seconds, answers.get() / q);
    }

    /** wlmscpfs over the same N items written as .wl files (dcmtk layout DB/AE/*.wl + lockfile). */
    static Stats wlmscpfs(Path work, int n, int seconds) throws Exception {
        Path db = work.resolve("wlistdb/WLM");
        Files.createDirectories(db);
        Files.createFile(db.resolve("lockfile"));
        for (int i = 0; i < n; i++) {
            WorklistOrder o = order(i, n);
            Attributes sps = new Attributes(o.steps().get(0).attributes());
            sps.setString(Tag.ScheduledProcedureStepStatus, VR.CS, "SCHEDULED");
            Attributes item = new WorklistItem(o.patient(), o.procedure(), new ScheduledProcedureStep(sps))
                    .toAttributes();
            try (OutputStream out = Files.newOutputStream(db.resolve("item" + i + ".wl"))) {
                Part10Writer.write(out, FileMetaInformation.create(UID.ModalityWorklistInformationModelFind,
                        "2.25.9" + i, UID.ExplicitVRLittleEndian), item);
            }
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder("wlmscpfs", "-dfp", work.resolve("wlistdb").toString(),
                Integer.toString(port)).redirectErrorStream(true).redirectOutput(work.resolve("wlm.log").toFile());
        pb.environment().put("TCP_NODELAY", "1");
        Process p = pb.start();
        try {
            Thread.sleep(500); // wlmscpfs has no readiness signal; the client below retries nothing
            return run(port, "WLM", n, 1, seconds);
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
