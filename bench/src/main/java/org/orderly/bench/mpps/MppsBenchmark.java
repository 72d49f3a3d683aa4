package org.orderly.bench.mpps;

import static org.orderly.bench.BenchIo.freePort;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.orderly.bench.BenchIo;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.ElementDictionary;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.net.DicomClient;
import org.orderly.dicom.net.DimseResponse;

/**
 * Issue #6 performance: MPPS N-CREATE + N-SET COMPLETED from a modality to the real broker jar (temp data dir), and
 * the latency from the N-SET response to the moment the RIS has received, and acknowledged, the resulting ORC-5 = CM
 * status message.
 *
 * <p>The modality is our {@link DicomClient}, one association, one request in flight (the next request goes when the
 * response is in). Every procedure is <b>unscheduled</b> (no worklist item matches its accession number): the MPPS is
 * stored, the worklist link finds nothing, and the RIS still gets IN PROGRESS and COMPLETED - the same outbox, JMS,
 * outbound queue and MLLP path as a scheduled one, minus the worklist step update.
 *
 * <p>The RIS is a Java MLLP server in this process that answers AA at once and stamps {@link System#nanoTime()} for
 * each message after its ACK is flushed, so latency = (ACK written) - (N-SET response read), one clock.
 *
 * <p>Two modes: <i>flood</i> (the modality sends the next procedure at once: ops/s, and latency under that load,
 * which includes queueing when the RIS path is slower than the modality) and <i>paced</i> (the modality waits for
 * the RIS to acknowledge the CM before the next procedure: latency without queueing).
 *
 * <p>Reference peer, same run: the dcmjs-dimse MPPS SCP (dicom/src/test/node/nscp.js) receiving the same N-CREATE /
 * N-SET stream from the same DicomClient - raw DIMSE ops/s. It stores nothing durably and sends nothing to a RIS.
 *
 * <p>Usage: {@code MppsBenchmark <orderly.jar> <repo dir> [procedures=10000] [paced=2000] [runs=3]}.
 */
public final class MppsBenchmark {
    private static final byte SB = 0x0b;
    private static final byte EB = 0x1c;
    private static final byte CR = 0x0d;
    private static final String MPPS = UID.ModalityPerformedProcedureStep;

    public static void main(String[] args) throws Exception {
        Path built = Path.of(args.length > 0 ? args[0] : "broker/target/orderly.jar").toAbsolutePath();
        // a private copy: a rebuild during the run must not replace the jar under a running broker
        Path jar = Files.createTempFile("orderly-mpps-bench", ".jar");
        Files.copy(built, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        jar.toFile().deleteOnExit();
        Path repo = Path.of(args.length > 1 ? args[1] : ".").toAbsolutePath().normalize();
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int paced = args.length > 3 ? Integer.parseInt(args[3]) : 2_000;
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        System.out.printf("# MPPS benchmark, %s, %d cores, Java %s, load average at start %s%n",
                java.time.LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), loadAverage());

        List<double[]> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            double ref = reference(repo, n);
            double[] r = orderly(jar, repo, n, paced, run);
            System.out.printf("run %d: reference %.0f ops/s; orderly flood %.0f ops/s, latency p50 %.1f p99 %.1f ms;"
                    + " paced p50 %.1f p99 %.1f ms; load %s%n", run, ref, r[0], r[1], r[2], r[3], r[4], loadAverage());
            results.add(new double[] {ref, r[0], r[1], r[2], r[3], r[4]});
        }
        double[] med = new double[6];
        for (int i = 0; i < med.length; i++) {
            final int k = i;
            med[i] = median(results.stream().mapToDouble(a -> a[k]).toArray());
        }
        System.out.println();
        System.out.printf("medians of %d runs, %d procedures (flood), %d (paced)%n%n", runs, n, paced);
        System.out.println("| run | MPPS ops/s | ratio vs reference | N-SET rsp -> RIS ACK p50 | p99 |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        System.out.printf("| DicomClient -> dcmjs-dimse nscp.js (reference, no RIS) | %.0f | 1.00 | - | - |%n", med[0]);
        System.out.printf("| DicomClient -> Orderly, flood (next procedure at once) | %.0f | %.2f | %.1f ms | %.1f ms |%n",
                med[1], med[1] / med[0], med[2], med[3]);
        System.out.printf("| DicomClient -> Orderly, paced (next after the RIS ACK) | - | - | %.1f ms | %.1f ms |%n",
                med[4], med[5]);
    }

    // ------------------------------------------------------------------ Orderly

    /** Returns {ops/s, flood p50, flood p99, paced p50, paced p99}. */
    private static double[] orderly(Path jar, Path repo, int n, int paced, int run) throws Exception {
        Path tmp = Files.createTempDirectory("orderly-mpps-bench");
        double[] result;
        try (Ris ris = new Ris()) {
            int dicom = freePort();
            Process broker = startBroker(jar, repo, tmp, dicom, ris.port());
            try {
                String base = "1.2.826.0.1.3680043.10.543." + run + "." + ProcessHandle.current().pid() + ".";
                // one association per phase: the modality's association would time out (idle) while the flood's
                // status messages drain
                double opsPerSecond;
                long[] setRsp;
                try (DicomClient c = client(dicom)) {
                    procedures(c, ris, base + "9.", "W" + run + "-", 500, false); // warm-up: JIT, H2, JMS
                    long t0 = System.nanoTime();
                    setRsp = procedures(c, ris, base + "1.", "F" + run + "-", n, false);
                    opsPerSecond = 2.0 * n / ((System.nanoTime() - t0) / 1e9);
                    c.release();
                }
                double[] flood = latencies(ris, "F" + run + "-", setRsp);
                try (DicomClient c = client(dicom)) {
                    long[] pacedRsp = procedures(c, ris, base + "2.", "P" + run + "-", paced, true);
                    double[] pace = latencies(ris, "P" + run + "-", pacedRsp);
                    c.release();
                    result = new double[] {opsPerSecond, flood[0], flood[1], pace[0], pace[1]};
                }
            } finally {
                broker.destroy();
                broker.waitFor(30, TimeUnit.SECONDS);
            }
        }
        // kept when the run failed (broker.log tells why); a finished run's gigabytes of database go
        BenchIo.deleteTree(tmp);
        return result;
    }

    /** N-CREATE + N-SET COMPLETED per procedure; returns the nanoTime each N-SET response was read. */
    private static long[] procedures(DicomClient c, Ris ris, String uidBase, String accessionBase, int n, boolean paced)
            throws Exception {
        long[] setRsp = new long[n];
        for (int i = 0; i < n; i++) {
            String iuid = uidBase + i;
            String accession = accessionBase + i;
            check(c.nCreate(MPPS, iuid, create(accession)), "N-CREATE " + iuid);
            check(c.nSet(MPPS, iuid, completed(uidBase + "5." + i)), "N-SET " + iuid);
            setRsp[i] = System.nanoTime();
            if (paced) {
                ris.awaitCompleted(accession, Duration.ofSeconds(60));
            }
        }
        return setRsp;
    }

    /** Waits for every CM, returns {p50, p99} in ms of (RIS ACK - N-SET response). */
    private static double[] latencies(Ris ris, String accessionBase, long[] setRsp) throws Exception {
        double[] ms = new double[setRsp.length];
        for (int i = 0; i < setRsp.length; i++) {
            long acked = ris.awaitCompleted(accessionBase + i, Duration.ofSeconds(300));
            ms[i] = (acked - setRsp[i]) / 1e6;
        }
        Arrays.sort(ms);
        return new double[] {ms[(int) (ms.length * 0.50)], ms[Math.min(ms.length - 1, (int) (ms.length * 0.99))]};
    }

    private static void check(DimseResponse r, String what) {
        if (!r.status().isSuccess()) {
            throw new IllegalStateException(what + " answered " + r.status() + " " + r.errorComment());
        }
    }

    private static DicomClient client(int port) throws IOException {
        return DicomClient.to("ORDERLY@127.0.0.1:" + port).callingAe("BENCHCT").responseTimeout(Duration.ofSeconds(60))
                .context(MPPS).connect();
    }

    static Process startBroker(Path jar, Path repo, Path tmp, int dicom, int risPort) throws Exception {
        Path routes = Files.createDirectories(tmp.resolve("routes"));
        try (var files = Files.list(repo.resolve("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-jar", jar.toString(), "--orderly.http.port=" + freePort(), "--orderly.dicom.port=" + dicom,
                "--orderly.hl7.port=" + freePort(), "--orderly.data-dir=" + tmp.resolve("data"),
                "--orderly.routes-dir=" + routes, "--orderly.mappings-dir=" + tmp.resolve("maps"),
                "--orderly.bind=127.0.0.1", "--orderly.ris.host=127.0.0.1", "--orderly.ris.port=" + risPort);
        List<String> full = new ArrayList<>(cmd);
        String jfr = System.getProperty("bench.jfr");
        if (jfr != null) {
            full.add(1, "-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
        }
        Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(tmp.resolve("broker.log").toFile())
                .start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < end) {
            if (Files.readString(tmp.resolve("broker.log")).contains("Orderly ready")) {
                return p;
            }
            Thread.sleep(200);
        }
        p.destroyForcibly();
        throw new IllegalStateException("broker did not start; see " + tmp.resolve("broker.log"));
    }

    // ------------------------------------------------------------------ reference

    /** dcmjs-dimse nscp.js: ops/s for the same N-CREATE + N-SET stream (no storage, no RIS). */
    private static double reference(Path repo, int n) throws Exception {
        int port = freePort();
        Path log = Files.createTempFile("nscp", ".log");
        ProcessBuilder pb = new ProcessBuilder("node", repo.resolve("dicom/src/test/node/nscp.js").toString(),
                Integer.toString(port)).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("NODE_PATH", repo.resolve("samples/peers/node_modules").toString());
        pb.environment().put("PEER_TIMEOUT_MS", "600000");
        Process p = pb.start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(log).contains("LISTENING")) {
                if (System.nanoTime() > end || !p.isAlive()) {
                    throw new IllegalStateException("nscp.js did not start: " + Files.readString(log));
                }
                Thread.sleep(100);
            }
            try (DicomClient c = DicomClient.to("NSCP@127.0.0.1:" + port).callingAe("BENCHCT")
                    .responseTimeout(Duration.ofSeconds(60)).context(MPPS).connect()) {
                String base = "1.2.826.0.1.3680043.10.544." + System.nanoTime() + ".";
                for (int i = 0; i < 200; i++) { // warm-up
                    check(c.nCreate(MPPS, base + "9." + i, create("R" + i)), "N-CREATE");
                    check(c.nSet(MPPS, base + "9." + i, completed(base + "8." + i)), "N-SET");
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    check(c.nCreate(MPPS, base + i, create("R" + i)), "N-CREATE");
                    check(c.nSet(MPPS, base + i, completed(base + "5." + i)), "N-SET");
                }
                double rate = 2.0 * n / ((System.nanoTime() - t0) / 1e9);
                c.release();
                return rate;
            }
        } finally {
            p.getOutputStream().close();
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(log);
        }
    }

    // ------------------------------------------------------------------ data sets (PS3.4 Table F.7.2-1)

    static Attributes create(String accession) {
        Attributes a = new Attributes();
        for (int t : new int[] {Tag.PatientBirthDate, Tag.PatientSex, Tag.PerformedStationName, Tag.PerformedLocation,
                Tag.PerformedProcedureStepDescription, Tag.PerformedProcedureTypeDescription,
                Tag.PerformedProcedureStepEndDate, Tag.PerformedProcedureStepEndTime, Tag.StudyID}) {
            a.setNull(t, ElementDictionary.implicitVR(t));
        }
        a.setString(Tag.PatientName, VR.PN, "BENCH^PATIENT");
        a.setString(Tag.PatientID, VR.LO, "B" + accession);
        a.newSequence(Tag.ProcedureCodeSequence);
        a.newSequence(Tag.PerformedProtocolCodeSequence);
        a.newSequence(Tag.PerformedSeriesSequence);
        a.newSequence(Tag.ReferencedPatientSequence);
        Attributes item = a.newSequence(Tag.ScheduledStepAttributesSequence).addNewItem();
        item.setString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.545." + Math.abs(accession.hashCode()));
        item.newSequence(Tag.ReferencedStudySequence);
        item.setString(Tag.AccessionNumber, VR.SH, accession);
        item.setNull(Tag.RequestedProcedureID, VR.SH);
        item.setNull(Tag.RequestedProcedureDescription, VR.LO);
        item.setNull(Tag.ScheduledProcedureStepID, VR.SH);
        item.setNull(Tag.ScheduledProcedureStepDescription, VR.LO);
        item.newSequence(Tag.ScheduledProtocolCodeSequence);
        a.setString(Tag.PerformedProcedureStepID, VR.SH, "PPS1");
        a.setString(Tag.PerformedStationAETitle, VR.AE, "BENCHCT");
        a.setString(Tag.PerformedProcedureStepStartDate, VR.DA, "20240101");
        a.setString(Tag.PerformedProcedureStepStartTime, VR.TM, "101500");
        a.setString(Tag.PerformedProcedureStepStatus, VR.CS, "IN PROGRESS");
        a.setString(Tag.Modality, VR.CS, "CT");
        return a;
    }

    static Attributes completed(String seriesUid) {
        Attributes m = new Attributes();
        m.setString(Tag.PerformedProcedureStepStatus, VR.CS, "COMPLETED");
        m.setString(Tag.PerformedProcedureStepEndDate, VR.DA, "20240101");
        m.setString(Tag.PerformedProcedureStepEndTime, VR.TM, "103000");
        Attributes s = m.newSequence(Tag.PerformedSeriesSequence).addNewItem();
        for (int t : new int[] {Tag.PerformingPhysicianName, Tag.OperatorsName, Tag.SeriesDescription,
                Tag.RetrieveAETitle}) {
            s.setNull(t, ElementDictionary.implicitVR(t));
        }
        s.setString(Tag.ProtocolName, VR.LO, "HEAD");
        s.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
        s.newSequence(Tag.ReferencedNonImageCompositeSOPInstanceSequence);
        Attributes img = s.newSequence(Tag.ReferencedImageSequence).addNewItem();
        img.setString(Tag.ReferencedSOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.2");
        img.setString(Tag.ReferencedSOPInstanceUID, VR.UI, seriesUid + ".1");
        return m;
    }

    // ------------------------------------------------------------------ the RIS

    /** MLLP server answering AA; records nanoTime after each CM (ORC-5) ACK is flushed, keyed by OBR-18. */
    static final class Ris implements AutoCloseable {
        private final ServerSocket server;
        private final ConcurrentHashMap<String, Long> completed = new ConcurrentHashMap<>();
        private final Object signal = new Object();
        private volatile int connections;

        Ris() throws IOException {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread t = new Thread(this::acceptLoop, "bench-ris");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connections++;
                    Thread t = new Thread(() -> serve(s), "bench-ris-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            try (s) {
                s.setTcpNoDelay(true);
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = new BufferedOutputStream(s.getOutputStream());
                ByteArrayOutputStream msg = new ByteArrayOutputStream();
                int b;
                while ((b = in.read()) != -1) {
                    if (b == SB) {
                        msg.reset();
                    } else if (b == EB) {
                        in.read(); // CR
                        String m = msg.toString(StandardCharsets.ISO_8859_1);
                        String controlId = field(m, "MSH", 10);
                        out.write(SB);
                        out.write(("MSH|^~\\&|RIS||ORDERLY||20240101000000||ACK|A" + controlId + "|P|2.3.1\rMSA|AA|"
                                + controlId + "\r").getBytes(StandardCharsets.ISO_8859_1));
                        out.write(EB);
                        out.write(CR);
                        out.flush();
                        long now = System.nanoTime();
                        if ("CM".equals(field(m, "ORC", 5))) {
                            completed.putIfAbsent(field(m, "OBR", 18), now);
                            synchronized (signal) {
                                signal.notifyAll();
                            }
                        }
                    } else {
                        msg.write(b);
                    }
                }
            } catch (IOException e) {
                // connection closed
            }
        }

        long awaitCompleted(String accession, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            synchronized (signal) {
                while (true) {
                    Long t = completed.get(accession);
                    if (t != null) {
                        return t;
                    }
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException("the RIS got no CM for accession " + accession + " ("
                                + completed.size() + " CM so far, " + connections + " connections)");
                    }
                    signal.wait(Math.max(1, left / 1_000_000));
                }
            }
        }

        static String field(String message, String segment, int field) {
            for (String seg : message.split("\r")) {
                if (seg.startsWith(segment + "|")) {
                    String[] f = seg.split("\\|", -1);
                    int index = segment.equals("MSH") ? field - 1 : field;
                    return index < f.length ? f[index] : "";
                }
            }
            return "";
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
