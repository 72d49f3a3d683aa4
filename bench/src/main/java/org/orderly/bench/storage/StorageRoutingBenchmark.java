package org.orderly.bench.storage;

import static org.orderly.bench.BenchIo.list;
import static org.orderly.bench.BenchIo.totalSize;
import static org.orderly.bench.BenchIo.deleteTree;
import static org.orderly.bench.BenchIo.freePort;
import static org.orderly.bench.BenchIo.seconds;
import static org.orderly.bench.BenchIo.syncDisks;
import static org.orderly.bench.BenchIo.median;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.io.DatasetCodec;
import org.orderly.dicom.io.FileMetaInformation;
import org.orderly.dicom.io.Part10Writer;
import org.orderly.dicom.io.TransferSyntax;

/**
 * Image routing (issue #7) against dcmtk in ONE run: storescu -> Orderly (the real {@code orderly.jar} in its own JVM,
 * temporary data dir, route {@code routes/storage-default.camel.yaml}) -> storescp, versus storescu -> storescp
 * direct. Sets: 1,000 x 0.5 MB and 20 x 50 MB (one study each: the delivery order within a study is kept, so the
 * broker forwards them one after the other), medians of 3, all on one warmed broker per set ({@link WarmBroker}).
 * Time through Orderly = storescu start until the last file is complete in the storescp folder; the time until
 * storescu finished (every object answered Success, i.e. durable in the spool) is reported too. Broker heap:
 * {@code jstat -gc} sampled every 500 ms (one jstat process per run, so sampling costs no JVM start per sample). Also
 * measures, in each run, what the disk flushes of the set cost on the spool's disk (the physical floor of
 * durable-before-Success). Every dcmtk process runs with TCP_NODELAY=1 (PEERS.md).
 *
 * <p>Usage: {@code StorageRoutingBenchmark <orderly.jar> <routes-dir> [all|small|large] [storescu associations]}
 */
public final class StorageRoutingBenchmark {
    private static final int RUNS = 3;
    /**
     * 0.5 MB objects sent through the broker of a set, and delivered, before its measured runs (default 20,000; 0 =
     * measure a cold JVM), as passes over one set of at most {@value #WARMUP_SET} files. Without it a 2-core machine
     * spends the measured window compiling: a C2 compiler thread took a whole core for the ~15 s of a cold
     * 1,000-object run (2026-12-02), while storescu and storescp are native code; the broker's CPU per object was
     * still falling after 20,000 objects (2026-12-04: 3.2 CPU ms per 0.5 MB object after 10,000, 2.2 after 22,000).
     * The broker idles during the direct runs (0.8 % of a core).
     */
    private static final int WARMUP = Integer.getInteger("bench.storage.warmup", 20_000);
    private static final int WARMUP_SET = 500;
    /**
     * Whether the measured set itself goes through the broker once more before the measured runs (default true): the
     * spool's free slots then have the set's size, as on a broker that has been receiving such objects; without it
     * the 50 MB set is measured on slots the 0.5 MB warm-up left, each grown to 50 MB (new blocks, a metadata commit
     * per flush: the first large objects after a change of traffic).
     */
    private static final boolean SET_PASS = Boolean.parseBoolean(System.getProperty("bench.storage.set-pass", "true"));
    private Path warmupSrc;

    private final Path work;
    private final Path jar;
    private final Path routes;
    private final int associations;
    private final List<String> rows = new ArrayList<>();
    private final List<String> budgets = new ArrayList<>();

    private StorageRoutingBenchmark(Path work, Path jar, Path routes, int associations) {
        this.work = work;
        this.jar = jar;
        this.routes = routes;
        this.associations = associations;
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "broker/target/orderly.jar").toAbsolutePath();
        Path routes = Path.of(args.length > 1 ? args[1] : "routes").toAbsolutePath();
        String which = args.length > 2 ? args[2] : "all";
        int associations = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " does not exist: mvn -B -pl broker -am package -DskipTests");
        }
        Path work = Files.createTempDirectory("orderly-storage-bench");
        try {
            new StorageRoutingBenchmark(work, jar, routes, associations).run(which);
        } finally {
            deleteTree(work);
        }
    }

    private void run(String which) throws Exception {
        if (WARMUP > 0) {
            warmupSrc = Files.createDirectories(work.resolve("src-warmup"));
            for (int i = 1; i <= Math.min(WARMUP, WARMUP_SET); i++) {
                writeImage(warmupSrc.resolve(String.format("%05d.dcm", i)), "2.25.4712", "2.25.4712." + i, 512, 512, i);
            }
        }
        if (!which.equals("large")) {
            set("1,000 x 0.5 MB", 1000, 512, 512);
        }
        if (!which.equals("small")) {
            set("20 x 50 MB", 20, 5000, 5000);
        }
        System.out.println();
        System.out.println("Date: " + LocalDate.now() + "; " + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.name") + ", Java " + System.getProperty("java.version") + "; medians of "
                + RUNS + "; storescu associations: " + associations + "; loopback; TCP_NODELAY=1; broker -Xmx512m; "
                + (WARMUP > 0 ? WARMUP + " x 0.5 MB through the broker of a set before its measured runs"
                        : "cold broker") + (SET_PASS ? ", then the set once" : "") + "; one broker per set");
        System.out.println();
        System.out.println("| set | direct (storescu -> storescp) | floor: storescu -> storescp --ignore + the set's disk"
                + " flushes (ceiling = direct / floor) | all answered Success (spooled) | through Orderly (last file at"
                + " storescp) | ratio | broker heap used min / max | machine CPU s per GB: direct / through |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.println();
        budgets.forEach(System.out::println);
    }

    private void set(String name, int count, int rows, int columns) throws Exception {
        Path src = Files.createDirectories(work.resolve("src-" + count));
        String study = "2.25.4711" + count;
        for (int i = 1; i <= count; i++) {
            writeImage(src.resolve(String.format("%05d.dcm", i)), study, study + "." + i, rows, columns, i);
        }
        long bytes = totalSize(src);
        List<Double> direct = new ArrayList<>();
        List<Double> floor = new ArrayList<>();
        List<Double> directCpu = new ArrayList<>();
        List<Double> throughCpu = new ArrayList<>();
        List<Double> spooled = new ArrayList<>();
        List<Double> through = new ArrayList<>();
        long heapMin = Long.MAX_VALUE;
        long heapMax = 0;
        try (WarmBroker orderly = new WarmBroker(src, count)) {
            for (int r = 0; r < RUNS; r++) {
                double[] dt = direct(src, count);
                direct.add(dt[0]);
                directCpu.add(dt[1]);
                double sink = sinkSeconds(src);
                double flushes = flushSeconds(src);
                double overwriteFlushes = overwriteFlushSeconds(src);
                floor.add(sink + flushes);
                double[] t = orderly.measure(src, count);
                throughCpu.add(t[4]);
                spooled.add(t[0]);
                through.add(t[1]);
                heapMin = Math.min(heapMin, (long) t[2]);
                heapMax = Math.max(heapMax, (long) t[3]);
                System.out.printf("  %s run %d: direct %.2f s, floor %.2f s (sink %.2f s + flushes %.2f s; the flushes"
                        + " into a preallocated file would be %.2f s), spooled %.2f s, through %.2f s; machine CPU busy:"
                        + " direct %.2f s, through %.2f s%n", name, r + 1, direct.get(r), sink + flushes, sink, flushes,
                        overwriteFlushes, t[0], t[1], directCpu.get(r), throughCpu.get(r));
            }
        }
        double d = median(direct);
        double f = median(floor);
        double s = median(spooled);
        double o = median(through);
        double mb = bytes / 1e6;
        this.rows.add(String.format("| %s (%.0f MB) | %.2f s = %.0f MB/s, %.1f obj/s | %.2f s (%.0f %%) |"
                + " %.2f s = %.1f obj/s | %.2f s = %.0f MB/s, %.1f obj/s | **%.0f %%** | %d / %d MB | %.2f / %.2f |",
                name, mb, d, mb / d, count / d, f, 100 * d / f, s, count / s, o, mb / o, count / o, 100 * d / o,
                heapMin >> 20, heapMax >> 20, median(directCpu) / (bytes / 1e9), median(throughCpu) / (bytes / 1e9)));
        // at 80 % the run may last direct / 0.8, so the machine has at most cores x that many CPU seconds; storescu and
        // storescp need about what they need direct: the rest is the most the broker may spend
        int cores = Runtime.getRuntime().availableProcessors();
        double dc = median(directCpu);
        double budget = cores * d / 0.8 - dc;
        double spent = median(throughCpu) - dc;
        budgets.add(String.format("- %s: at 80 %% of direct the broker may spend at most %.2f CPU s (%d cores x %.2f s"
                + " - the direct run's %.2f CPU s) = %.2f CPU ms per object; it spent about %.2f CPU s (through - direct"
                + " machine CPU) = %.2f ms per object", name, budget, cores, d / 0.8, dc, 1000 * budget / count,
                spent, 1000 * spent / count));
        deleteTree(src);
    }

    /** Returns {seconds until the last file was at storescp, machine CPU busy seconds meanwhile}. */
    private double[] direct(Path src, int count) throws Exception {
        Path out = fresh("direct-out");
        int port = freePort();
        Process scp = startAndAwaitPort(work.resolve("storescp-direct.log"), port, "storescp", "-aet", "PACS",
                "+xa", "-od", out.toString(), Integer.toString(port));
        try {
            syncDisks(); // the set-up's and warm-up's gigabytes are not written back in the measured window
            double cpu0 = MachineCpu.read();
            long t0 = System.nanoTime();
            runStorescu(src, port, "PACS");
            double t = seconds(t0);
            awaitFiles(out, count, TimeUnit.SECONDS.toNanos(60));
            return new double[] {t, MachineCpu.busySeconds(cpu0, MachineCpu.read())};
        } finally {
            stop(scp);
        }
    }

    /** storescu -> storescp {@code --ignore} (receives every byte, stores nothing): sending alone, in seconds. */
    private double sinkSeconds(Path src) throws Exception {
        int port = freePort();
        Process scp = startAndAwaitPort(work.resolve("storescp-ignore.log"), port, "storescp", "-aet", "PACS",
                "--ignore", Integer.toString(port));
        try {
            long t0 = System.nanoTime();
            runStorescu(src, port, "PACS");
            return seconds(t0);
        } finally {
            stop(scp);
        }
    }

    /**
     * One broker (and its PACS, a storescp writing files) for all runs of a set, warmed up once: a broker runs for
     * weeks, and its CPU per object keeps falling for tens of thousands of objects as the JIT settles (docs/benchmarks.md
     * #7). Closing it stops both.
     */
    private final class WarmBroker implements AutoCloseable {
        private final Path out;
        private final int dicomPort;
        private final Process scp;
        private Process broker;

        WarmBroker(Path src, int count) throws Exception {
            out = fresh("pacs-out");
            Path data = fresh("orderly-data");
            Path routeDir = fresh("orderly-routes");
            Files.copy(routes.resolve("storage-default.camel.yaml"), routeDir.resolve("storage-default.camel.yaml"));
            int pacsPort = freePort();
            dicomPort = freePort();
            scp = startAndAwaitPort(work.resolve("storescp-pacs.log"), pacsPort, "storescp", "-aet", "PACS",
                    "+xa", "-od", out.toString(), Integer.toString(pacsPort));
            try {
                broker = startBroker(data, routeDir, dicomPort, "PACS@127.0.0.1:" + pacsPort);
                for (int sent = 0; warmupSrc != null && sent < WARMUP; sent += WARMUP_SET) {
                    pass(warmupSrc, Math.min(WARMUP, WARMUP_SET));
                }
                if (SET_PASS) {
                    pass(src, count);
                }
            } catch (Exception e) {
                close();
                throw e;
            }
        }

        /** An unmeasured pass: the files reach the PACS, then are removed. */
        private void pass(Path src, int count) throws Exception {
            send(src, count);
            clearOut();
        }

        /**
         * Sends {@code src} through the broker and waits until its {@code count} files are at the PACS: {seconds until
         * storescu finished, seconds until the last file was at storescp}.
         */
        private double[] send(Path src, int count) throws Exception {
            long t0 = System.nanoTime();
            runStorescu(src, dicomPort, "ORDERLY");
            double spooled = seconds(t0);
            awaitFiles(out, count, TimeUnit.MINUTES.toNanos(10));
            return new double[] {spooled, seconds(t0)};
        }

        /**
         * One measured pass: {seconds until storescu finished, seconds until the last file was at storescp, heap min,
         * heap max, machine CPU busy seconds from the first byte to the last file}.
         */
        double[] measure(Path src, int count) throws Exception {
            syncDisks();
            try (HeapSampler heap = new HeapSampler(broker.pid())) {
                double cpu0 = MachineCpu.read();
                double[] t = send(src, count);
                double cpu = MachineCpu.busySeconds(cpu0, MachineCpu.read());
                heap.close();
                clearOut();
                return new double[] {t[0], t[1], heap.min(), heap.max(), cpu};
            }
        }

        private void clearOut() throws IOException {
            try (Stream<Path> files = Files.list(out)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (broker != null) {
                stop(broker);
            }
            stop(scp);
        }
    }

    private Process startBroker(Path data, Path routeDir, int dicomPort, String destination) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:-UseCodeCacheFlushing")); // as the ./orderly launcher
        // e.g. -Dbench.broker.jvm=-XX:StartFlightRecording=filename=/tmp/storage.jfr,settings=profile
        String jvm = System.getProperty("bench.broker.jvm", "").trim();
        if (!jvm.isEmpty()) {
            cmd.addAll(List.of(jvm.split("\\s+")));
        }
        cmd.addAll(List.of("-jar", jar.toString(), "--orderly.data-dir=" + data, "--orderly.routes-dir=" + routeDir,
                "--orderly.bind=127.0.0.1", "--orderly.dicom.port=" + dicomPort,
                "--orderly.http.port=" + freePort(), "--orderly.hl7.port=" + freePort(),
                "--orderly.storage.min-free-mb=1", "--orderly.forward.destination=" + destination));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("ORDERLY_"));
        Process p = pb.start();
        Path log = work.resolve("broker.log");
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (OutputStream w = Files.newOutputStream(log)) {
            for (String l; (l = r.readLine()) != null; ) {
                w.write((l + "\n").getBytes(StandardCharsets.UTF_8));
                if (l.contains("ready")) {
                    break;
                }
                if (System.nanoTime() > end) {
                    break;
                }
            }
        }
        if (!p.isAlive()) {
            throw new IOException("broker did not start: " + Files.readString(log));
        }
        Thread drain = new Thread(() -> {
            try {
                r.transferTo(java.io.Writer.nullWriter());
            } catch (IOException e) {
                // ended
            }
        }, "broker-out");
        drain.setDaemon(true);
        drain.start();
        return p;
    }

    /** storescu with {@code associations} processes over the files (one association each). */
    private void runStorescu(Path src, int port, String calledAe) throws Exception {
        List<Path> files = list(src);
        List<Process> ps = new ArrayList<>();
        for (int a = 0; a < associations; a++) {
            List<String> cmd = new ArrayList<>(List.of("storescu", "-aec", calledAe, "-aet", "MOD", "127.0.0.1",
                    Integer.toString(port)));
            for (int i = a; i < files.size(); i += associations) {
                cmd.add(files.get(i).toString());
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(work.resolve("storescu-" + a + ".log").toFile());
            pb.environment().put("TCP_NODELAY", "1");
            ps.add(pb.start());
        }
        for (int a = 0; a < ps.size(); a++) {
            Process p = ps.get(a);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("storescu failed: " + Files.readString(work.resolve("storescu-" + a + ".log")));
            }
        }
    }

    /** Waits until {@code n} files are in {@code dir} and none is still growing (storescp writes, then renames). */
    private static void awaitFiles(Path dir, int n, long timeoutNanos) throws Exception {
        long end = System.nanoTime() + timeoutNanos;
        while (true) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.filter(p -> !p.getFileName().toString().endsWith(".part")).count() >= n) {
                    return;
                }
            }
            if (System.nanoTime() > end) {
                throw new IOException(dir + ": fewer than " + n + " files after the timeout");
            }
            Thread.sleep(10); // an external process: poll its output folder
        }
    }

    /** Heap used by the broker JVM, from one {@code jstat -gc <pid> 500} process (S0U+S1U+EU+OU, KB). */
    private static final class HeapSampler implements AutoCloseable {
        private final Process jstat;
        private final AtomicLong min = new AtomicLong(Long.MAX_VALUE);
        private final AtomicLong max = new AtomicLong();

        HeapSampler(long pid) throws IOException {
            jstat = new ProcessBuilder("jstat", "-gc", Long.toString(pid), "500").redirectErrorStream(true).start();
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(jstat.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String[] header = null;
                    for (String l; (l = r.readLine()) != null; ) {
                        String[] f = l.trim().split("\\s+");
                        if (f.length > 0 && f[0].equals("S0C")) {
                            header = f;
                            continue;
                        }
                        if (header == null || f.length != header.length) {
                            continue;
                        }
                        double used = 0;
                        for (int i = 0; i < header.length; i++) {
                            if (List.of("S0U", "S1U", "EU", "OU").contains(header[i])) {
                                used += Double.parseDouble(f[i]);
                            }
                        }
                        long b = (long) (used * 1024);
                        min.accumulateAndGet(b, Math::min);
                        max.accumulateAndGet(b, Math::max);
                    }
                } catch (IOException | NumberFormatException e) {
                    // jstat ended
                }
            }, "jstat");
            t.setDaemon(true);
            t.start();
        }

        long min() {
            return min.get() == Long.MAX_VALUE ? 0 : min.get();
        }

        long max() {
            return max.get();
        }

        @Override
        public void close() {
            jstat.destroy();
        }
    }

    /**
     * The seconds the durable flushes of a set take on the spool's disk, measured in the same run: each file copied
     * the way the spool writes it (create, 64 KB writes, {@code force(false)}, then the directory's fsync), one after
     * the other as storescu sends them, minus the same copy without the two flushes. storescu waits for each
     * response, so no SCP that keeps the promise "Success = on disk" can answer a set over one association faster
     * than storescu can send it ({@link #sinkSeconds}) plus this: direct / (sink + flushes) is the best ratio any
     * such broker can reach on this machine.
     */
    private double flushSeconds(Path src) throws IOException {
        return copySeconds(src, true) - copySeconds(src, false);
    }

    /**
     * The same flushes if the spool overwrote space that is already allocated and on disk (one preallocated file,
     * the objects one after the other in it) instead of creating a file per object: {@code fdatasync} then writes
     * the data only, no inode, extent or directory change (no file system journal commit).
     */
    private double overwriteFlushSeconds(Path src) throws IOException {
        List<Path> files = list(src);
        Path segment = fresh("overwrite").resolve("segment");
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
            for (long left = totalSize(src); left > 0; left -= zeros.capacity()) {
                zeros.clear();
                while (zeros.hasRemaining()) {
                    ch.write(zeros);
                }
            }
            ch.force(true);
        }
        double t = overwriteSeconds(files, segment, true) - overwriteSeconds(files, segment, false);
        deleteTree(segment.getParent());
        return t;
    }

    private static double overwriteSeconds(List<Path> files, Path segment, boolean durable) throws IOException {
        long t0 = System.nanoTime();
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            long pos = 0;
            for (Path f : files) {
                try (FileChannel in = FileChannel.open(f, StandardOpenOption.READ)) {
                    for (long done = 0, size = in.size(); done < size; ) {
                        done += in.transferTo(done, size - done, ch.position(pos + done));
                    }
                    pos += in.size();
                }
                if (durable) {
                    ch.force(false);
                }
            }
        }
        return seconds(t0);
    }

    private double copySeconds(Path src, boolean durable) throws IOException {
        Path dst = fresh("copy");
        byte[] buf = new byte[1 << 16];
        long t0 = System.nanoTime();
        try (FileChannel dir = FileChannel.open(dst, StandardOpenOption.READ)) {
            for (Path f : list(src)) {
                try (InputStream in = Files.newInputStream(f);
                        FileChannel ch = FileChannel.open(dst.resolve(f.getFileName()), StandardOpenOption.CREATE_NEW,
                                StandardOpenOption.WRITE)) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                        while (b.hasRemaining()) {
                            ch.write(b);
                        }
                    }
                    if (durable) {
                        ch.force(false);
                    }
                }
                if (durable) {
                    dir.force(true);
                }
            }
        }
        double t = seconds(t0);
        deleteTree(dst);
        return t;
    }

    static void writeImage(Path file, String study, String iuid, int rows, int columns, long seed)
            throws IOException {
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, iuid);
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, study + ".1");
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
            // (7FE0,0010) OW, explicit VR little endian: tag, VR, 2 reserved bytes, 4-byte length (PS3.5 §7.1.2)
            out.write(new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'W', 0, 0, (byte) len, (byte) (len >> 8),
                (byte) (len >> 16), (byte) (len >> 24)});
            SplittableRandom rnd = new SplittableRandom(seed);
            byte[] buf = new byte[1 << 16];
            for (long left = len; left > 0; ) {
                int n = (int) Math.min(buf.length, left);
                for (int i = 0; i < n; i += 8) {
                    long v = rnd.nextLong();
                    for (int k = 0; k < 8 && i + k < n; k++) {
                        buf[i + k] = (byte) (v >>> (8 * k));
                    }
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }

    private static Process startAndAwaitPort(Path log, int port, String... cmd) throws Exception {
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

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private Path fresh(String name) throws IOException {
        Path d = work.resolve(name);
        deleteTree(d);
        return Files.createDirectories(d);
    }

    /**
     * Busy CPU time of the whole machine from {@code /proc/stat} (every process and the kernel: storescu, storescp,
     * the broker, loopback networking, page cache). On a quiet machine this is what a run costs; the cores set the
     * ceiling: a run cannot be faster than its busy CPU time divided by the number of cores.
     */
    static final class MachineCpu {
        private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux

        /** Busy ticks: user + nice + system + irq + softirq + steal of the aggregate "cpu" line. */
        static double read() throws IOException {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            double busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Double.parseDouble(f[i]);
            }
            return busy;
        }

        static double busySeconds(double from, double to) {
            return (to - from) / TICKS_PER_SECOND;
        }
    }
}
