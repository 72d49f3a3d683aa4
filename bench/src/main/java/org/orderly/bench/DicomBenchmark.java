package org.orderly.bench;

import static org.orderly.bench.BenchIo.list;
import static org.orderly.bench.BenchIo.totalSize;
import static org.orderly.bench.BenchIo.deleteTree;
import static org.orderly.bench.BenchIo.freePort;
import static org.orderly.bench.BenchIo.seconds;
import static org.orderly.bench.BenchIo.median;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.io.DatasetCodec;
import org.orderly.dicom.io.FileMetaInformation;
import org.orderly.dicom.io.Part10Writer;
import org.orderly.dicom.io.TransferSyntax;
import org.orderly.dicom.net.DicomClient;
import org.orderly.dicom.net.DicomServer;
import org.orderly.dicom.net.dimse.Status;
import org.orderly.dicom.net.service.DicomServiceRegistry;

/**
 * DICOM benchmark against dcmtk in one run (medians of 3): C-ECHO round trips/s on one association, C-STORE MB/s and
 * objects/s for storescu -> Orderly SCP, Orderly SCU -> storescp and storescu -> storescp (the reference), and the
 * Orderly SCP's heap while it receives a 1 GB series. Prints a markdown table with ratios vs the reference measured
 * in the same run, and the CPU time per GB received of the Orderly SCP and of storescp (steadier than rates on a
 * shared machine). Every dcmtk process runs with TCP_NODELAY=1 (PEERS.md).
 * Usage: DicomBenchmark [all|quick]
 */
public final class DicomBenchmark {

    private static final int ECHOES = 5000;
    private static final int OBJECTS = 200;
    private static final int RUNS = 3;
    /** Untimed C-STORE rounds before the timed ones, so that the timed ones measure compiled code. */
    private static final int WARMUP_ROUNDS = 5;

    private final Path work;
    private final List<String[]> rows = new ArrayList<>();

    private DicomBenchmark(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = args.length > 0 && args[0].equals("quick");
        Path work = Files.createTempDirectory("orderly-bench");
        try {
            new DicomBenchmark(work).run(quick);
        } finally {
            deleteTree(work);
        }
    }

    private void run(boolean quick) throws Exception {
        echo();
        store();
        if (!quick) {
            largeSeries();
        }
        System.out.println();
        System.out.println("Date: " + LocalDate.now() + "; machine: " + Runtime.getRuntime().availableProcessors()
                + " cores, " + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java "
                + System.getProperty("java.version") + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20)
                + " MB; medians of " + RUNS + " runs; loopback; TCP_NODELAY=1 for dcmtk");
        System.out.println();
        System.out.println("| Measurement | Orderly | Reference (dcmtk) | Ratio |");
        System.out.println("|---|---|---|---|");
        for (String[] r : rows) {
            System.out.println("| " + String.join(" | ", r) + " |");
        }
    }

    // ---------------------------------------------------------------- C-ECHO

    private void echo() throws Exception {
        double ours;
        try (DicomServer server = DicomServer.builder("ORDERLY").port(0).build().start()) {
            List<Double> r = new ArrayList<>();
            for (int k = 0; k < RUNS; k++) {
                try (DicomClient c = DicomClient.connect("ORDERLY@127.0.0.1:" + server.port(), "BENCH",
                        UID.Verification)) {
                    for (int i = 0; i < 200; i++) {
                        c.echo(); // warm-up
                    }
                    long t0 = System.nanoTime();
                    for (int i = 0; i < ECHOES; i++) {
                        if (!c.echo().equals(Status.SUCCESS)) {
                            throw new IllegalStateException("echo failed");
                        }
                    }
                    r.add(ECHOES / seconds(t0));
                }
            }
            ours = median(r);
        }
        double ref;
        int port = freePort();
        Path out = Files.createDirectories(work.resolve("echo-scp"));
        Process scp = startDcmtk(work.resolve("storescp-echo.log"), port, "storescp", "-od", out.toString(),
                Integer.toString(port));
        try {
            List<Double> r = new ArrayList<>();
            for (int k = 0; k < RUNS; k++) {
                long t0 = System.nanoTime();
                runDcmtk("echoscu", "-aec", "STORESCP", "--repeat", Integer.toString(ECHOES), "127.0.0.1",
                        Integer.toString(port));
                r.add(ECHOES / seconds(t0));
            }
            ref = median(r);
        } finally {
            stop(scp);
        }
        rows.add(new String[] {"C-ECHO round trips/s, one association (ours SCU->ours SCP vs echoscu --repeat "
                + ECHOES + " -> storescp)", f0(ours), f0(ref), ratio(ours, ref)});
    }

    // ---------------------------------------------------------------- C-STORE

    private void store() throws Exception {
        Path in = Files.createDirectories(work.resolve("objects"));
        for (int i = 0; i < OBJECTS; i++) {
            writeImage(in.resolve(String.format("%04d.dcm", i)), "2.25.4711" + i, 512, 512, i); // 0.5 MB each
        }
        long bytes = totalSize(in);
        double mb = bytes / 1e6;

        List<Double> refT = new ArrayList<>();
        List<Double> scuT = new ArrayList<>();
        List<Double> scpT = new ArrayList<>();
        List<Double> refCpu = new ArrayList<>();
        List<Double> scpCpu = new ArrayList<>();
        // untimed warm-up rounds (k < 0), as the C-ECHO test warms up with 200 echoes: C2 compiles a method after
        // about 10,000 calls or loop iterations, i.e. after several rounds of 200 objects of 8 PDUs; a broker runs for
        // months, so the steady state is what counts. dcmtk needs no JIT; its pair joins the last warm-up round so
        // that the page cache holds the input files alike for every pair.
        for (int k = -WARMUP_ROUNDS; k < RUNS; k++) {
            Path out;
            int port;
            Process scp;
            if (k >= -1) {
                // reference: storescu -> storescp
                out = fresh("ref-out");
                port = freePort();
                scp = startDcmtk(work.resolve("storescp-ref.log"), port, "storescp", "-od", out.toString(),
                        Integer.toString(port));
                try {
                    BenchIo.syncDisks();
                    long c0 = cpuNanos(scp);
                    long t0 = System.nanoTime();
                    runDcmtk("storescu", "-aec", "STORESCP", "+sd", "127.0.0.1", Integer.toString(port),
                            in.toString());
                    refT.add(seconds(t0));
                    refCpu.add((cpuNanos(scp) - c0) / 1e9);
                } finally {
                    stop(scp);
                }
                check(out, OBJECTS);
            }

            // our SCU -> storescp
            out = fresh("scu-out");
            port = freePort();
            scp = startDcmtk(work.resolve("storescp-scu.log"), port, "storescp", "-od", out.toString(),
                    Integer.toString(port));
            try {
                List<Path> files = list(in);
                BenchIo.syncDisks();
                long t0 = System.nanoTime();
                try (DicomClient c = DicomClient.to("STORESCP@127.0.0.1:" + port).callingAe("BENCH")
                        .context(UID.CTImageStorage, UID.ExplicitVRLittleEndian).connect()) {
                    for (Path f : files) {
                        Status s = c.store(f).status();
                        if (!s.isOk()) {
                            throw new IllegalStateException("storescp answered " + s);
                        }
                    }
                    c.release();
                }
                scuT.add(seconds(t0));
            } finally {
                stop(scp);
            }
            check(out, OBJECTS);

            // storescu -> our SCP
            out = fresh("scp-out");
            try (DicomServer server = spoolingServer(out, null)) {
                BenchIo.syncDisks();
                long c0 = ownCpuNanos();
                long t0 = System.nanoTime();
                runDcmtk("storescu", "-aec", "ORDERLY", "+sd", "127.0.0.1", Integer.toString(server.port()),
                        in.toString());
                scpT.add(seconds(t0));
                scpCpu.add((ownCpuNanos() - c0) / 1e9);
            }
            check(out, OBJECTS);
            if (k < 0) {
                for (List<Double> l : List.of(refT, scuT, scpT, refCpu, scpCpu)) {
                    l.clear();
                }
            }
        }
        double ref = median(refT);
        double scu = median(scuT);
        double scp = median(scpT);
        String what = OBJECTS + " objects of 0.5 MB";
        rows.add(new String[] {"C-STORE MB/s, storescu -> Orderly SCP vs storescu -> storescp (" + what + ")",
                f1(mb / scp), f1(mb / ref), ratio(ref, scp)});
        rows.add(new String[] {"C-STORE objects/s, storescu -> Orderly SCP vs storescu -> storescp",
                f0(OBJECTS / scp), f0(OBJECTS / ref), ratio(ref, scp)});
        double gb = bytes / 1e9;
        rows.add(new String[] {"C-STORE receiving CPU s per GB (lower is better), Orderly SCP JVM (all threads, "
                + "JIT and GC included) vs storescp", f2(median(scpCpu) / gb), f2(median(refCpu) / gb),
                ratio(median(refCpu), median(scpCpu))});
        rows.add(new String[] {"C-STORE MB/s, Orderly SCU -> storescp vs storescu -> storescp (" + what + ")",
                f1(mb / scu), f1(mb / ref), ratio(ref, scu)});
        rows.add(new String[] {"C-STORE objects/s, Orderly SCU -> storescp vs storescu -> storescp",
                f0(OBJECTS / scu), f0(OBJECTS / ref), ratio(ref, scu)});
        deleteTree(in);
    }

    /** 20 x 50 MB from storescu to our SCP: throughput, and the SCP JVM's peak heap while receiving. */
    private void largeSeries() throws Exception {
        Path in = Files.createDirectories(work.resolve("series"));
        for (int i = 0; i < 20; i++) {
            writeImage(in.resolve(String.format("%02d.dcm", i)), "2.25.4712" + i, 5000, 5000, i); // 50 MB each
        }
        double mb = totalSize(in) / 1e6;
        Path out = fresh("series-out");
        System.gc();
        long before = heapUsed();
        AtomicLong peak = new AtomicLong();
        double secs;
        resetPeaks();
        double cpu;
        try (DicomServer server = spoolingServer(out, peak)) {
            BenchIo.syncDisks();
            long c0 = ownCpuNanos();
            long t0 = System.nanoTime();
            runDcmtk("storescu", "-aec", "ORDERLY", "+sd", "127.0.0.1", Integer.toString(server.port()),
                    in.toString());
            secs = seconds(t0);
            cpu = (ownCpuNanos() - c0) / 1e9;
        }
        check(out, 20);
        long peakPools = peakHeapPools();
        deleteTree(out);
        // reference for the same series: storescu -> storescp
        Path refOut = fresh("series-ref");
        int port = freePort();
        Process scp = startDcmtk(work.resolve("storescp-series.log"), port, "storescp", "-od", refOut.toString(),
                Integer.toString(port));
        double refSecs;
        double refCpu;
        try {
            BenchIo.syncDisks();
            long c0 = cpuNanos(scp);
            long t0 = System.nanoTime();
            runDcmtk("storescu", "-aec", "STORESCP", "+sd", "127.0.0.1", Integer.toString(port), in.toString());
            refSecs = seconds(t0);
            refCpu = (cpuNanos(scp) - c0) / 1e9;
        } finally {
            stop(scp);
        }
        check(refOut, 20);
        deleteTree(refOut);
        deleteTree(in);
        rows.add(new String[] {"C-STORE MB/s, 1 GB series (20 x 50 MB), storescu -> Orderly SCP vs -> storescp",
                f1(mb / secs), f1(mb / refSecs), ratio(refSecs, secs)});
        rows.add(new String[] {"C-STORE receiving CPU s per GB, 1 GB series, Orderly SCP JVM vs storescp",
                f2(cpu / (mb / 1e3)), f2(refCpu / (mb / 1e3)), ratio(refCpu, cpu)});
        rows.add(new String[] {"Orderly SCP heap while receiving the 1 GB series: before / peak sampled in "
                + "handler / peak of heap pools (MB)", (before >> 20) + " / " + (peak.get() >> 20) + " / "
                + (peakPools >> 20), "n/a", "n/a"});
    }

    // ---------------------------------------------------------------- helpers

    /** Our SCP spooling each data set unparsed to a Part 10 file, as the broker's spool does. */
    private static DicomServer spoolingServer(Path out, AtomicLong peakHeap) throws IOException {
        DicomServiceRegistry r = new DicomServiceRegistry().cStore(UID.CTImageStorage, rq -> {
            Path f = out.resolve(rq.sopInstanceUid() + ".dcm");
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(f), 1 << 16)) {
                Part10Writer.writeRaw(os, FileMetaInformation.create(rq.sopClassUid(), rq.sopInstanceUid(),
                        rq.transferSyntax().uid(), rq.callingAeTitle()), rq.dataset());
            }
            if (peakHeap != null) {
                peakHeap.accumulateAndGet(heapUsed(), Math::max);
            }
            return Status.SUCCESS;
        });
        return DicomServer.builder("ORDERLY").port(0).registry(r)
                .settings(org.orderly.dicom.net.acse.AssociationSettings.builder()
                        .maxPduLengthReceive(Long.getLong("bench.scpMaxPdu", 65536)) // see docs/benchmarks.md
                        .build())
                .build().start();
    }

    /** CPU time (user + system) of this JVM, all threads. */
    private static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * CPU time (user + system) of a running dcmtk process, from /proc on Linux (10 ms resolution). On a shared
     * machine CPU time per GB varies much less than elapsed time, so it is reported next to the rates.
     */
    private static long cpuNanos(Process p) {
        return p.toHandle().info().totalCpuDuration().orElseThrow(
                () -> new IllegalStateException("no CPU time for " + p.pid())).toNanos();
    }

    private static long heapUsed() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long peakHeapPools() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    static void writeImage(Path file, String iuid, int rows, int columns, long seed) throws IOException {
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, iuid);
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, rows);
        ds.setInt(Tag.Columns, VR.US, columns);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 16);
        ds.setInt(Tag.HighBit, VR.US, 15);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        byte[] header = DatasetCodec.encode(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        long len = 2L * rows * columns;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            Part10Writer.writeRaw(out, FileMetaInformation.create(UID.CTImageStorage, iuid,
                    UID.ExplicitVRLittleEndian), new ByteArrayInputStream(header));
            out.write(new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'W', 0, 0, (byte) len, (byte) (len >> 8),
                    (byte) (len >> 16), (byte) (len >> 24)});
            SplittableRandom rnd = new SplittableRandom(seed);
            byte[] buf = new byte[1 << 16];
            for (long left = len; left > 0; ) {
                int n = (int) Math.min(buf.length, left);
                for (int i = 0; i < n; i++) {
                    buf[i] = (byte) rnd.nextInt(256);
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }

    private static Process startDcmtk(Path log, int port, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("TCP_NODELAY", "1");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return p;
            } catch (IOException e) {
                Thread.sleep(20); // an external process: poll its port until it listens
            }
        }
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not listen: " + Files.readString(log));
    }

    private void runDcmtk(String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("TCP_NODELAY", "1");
        Path log = work.resolve("run.log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed: " + Files.readString(log));
        }
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private Path fresh(String name) throws IOException {
        Path d = work.resolve(name);
        deleteTree(d);
        return Files.createDirectories(d);
    }

    private static void check(Path dir, int expected) throws IOException {
        int n = list(dir).size();
        if (n != expected) {
            throw new IllegalStateException(dir + " holds " + n + " files, expected " + expected);
        }
    }

    /** Ours vs reference as a rate ratio: for times, reference time / our time. */
    private static String ratio(double a, double b) {
        return String.format("%.2fx", a / b);
    }

    private static String f0(double v) {
        return String.format("%.0f", v);
    }

    private static String f2(double v) {
        return String.format("%.2f", v);
    }

    private static String f1(double v) {
        return String.format("%.1f", v);
    }
}
