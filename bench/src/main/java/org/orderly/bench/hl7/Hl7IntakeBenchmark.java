package org.orderly.bench.hl7;

import static org.orderly.bench.BenchIo.cpuMillis;
import static org.orderly.bench.BenchIo.freePort;
import org.orderly.bench.BenchIo;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HL7 intake throughput: new orders (ORM^O01 v2.3.1, ORC-1 NW, unique MSH-10 and order numbers)
 * over MLLP into the real broker jar (temp data dir), one message in flight per connection: the
 * client sends the next order only after the ACK, and the broker sends AA only after the commit.
 *
 * <p>Reference peer (docs/PEERS): a python3-hl7 MLLP sender against a python3-hl7 MLLP listener that
 * answers AA without doing anything. Both measured in the same run.
 *
 * <p>Usage: {@code java -cp bench/target/classes org.orderly.bench.hl7.Hl7IntakeBenchmark <orderly.jar>
 * [messages-per-run] [long-run-messages]}. Prints a markdown table.
 */
public final class Hl7IntakeBenchmark {
    private static final byte SB = 0x0b;
    private static final byte EB = 0x1c;
    private static final byte CR = 0x0d;

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "broker/target/orderly.jar");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int longRun = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        System.out.printf("# HL7 intake benchmark, %s, %d cores, Java %s%n", java.time.LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        // -Dbench.hl7.reference=false skips the python reference (while iterating on the broker only)
        boolean reference = Boolean.parseBoolean(System.getProperty("bench.hl7.reference", "true"));
        double refPy = reference ? pythonToPython(n) : Double.NaN;
        double refJavaToPy = Double.NaN;
        if (reference) {
            int pyPort = freePort();
            Process py = startPythonAckServer(pyPort);
            try {
                refJavaToPy = run(pyPort, 1, n, 0).rate;
            } finally {
                py.destroy();
                py.waitFor(5, TimeUnit.SECONDS);
            }
        }

        Path tmp = Files.createTempDirectory("orderly-hl7-bench");
        int hl7 = freePort();
        Process broker = startBroker(jar, tmp, hl7);
        try {
            long pid = broker.pid();
            run(hl7, 1, Integer.getInteger("bench.hl7.warmup", 2_000), 9_000_000); // warm-up (JIT, H2 pages)
            long heapBefore = usedHeapAfterGc(pid);
            long cpu0 = cpuMillis(pid);
            Result one = run(hl7, 1, n, 1_000_000);
            long cpu1 = cpuMillis(pid);
            Result eight = run(hl7, 8, n, 2_000_000);
            long cpu2 = cpuMillis(pid);
            long heapAfter = usedHeapAfterGc(pid);
            System.out.println();
            System.out.println("| run | messages | orders/s | ratio vs python->python | broker CPU ms/order |");
            System.out.println("| --- | ---: | ---: | ---: | ---: |");
            System.out.printf("| python3-hl7 sender -> python3-hl7 AA listener (reference) | %d | %.0f | 1.00 | |%n", n, refPy);
            System.out.printf("| Java client -> python3-hl7 AA listener | %d | %.0f | %.2f | |%n", n, refJavaToPy, refJavaToPy / refPy);
            System.out.printf("| Java client -> Orderly, 1 connection (AA after commit) | %d | %.0f | %.2f | %.2f |%n", n, one.rate,
                    one.rate / refPy, (cpu1 - cpu0) / (double) n);
            System.out.printf("| Java client -> Orderly, 8 connections (AA after commit) | %d | %.0f | %.2f | %.2f |%n", n, eight.rate,
                    eight.rate / refPy, (cpu2 - cpu1) / (double) n);
            System.out.printf("%nheap used after GC (broker, -Xmx256m): before %d KiB, after %d KiB%n", heapBefore / 1024, heapAfter / 1024);
            if (longRun > 0) {
                System.out.printf("%nlong run: %d messages on 1 connection, used heap after GC every %d:%n", longRun, longRun / 10);
                List<Long> samples = new ArrayList<>();
                long t0 = System.nanoTime();
                int chunk = longRun / 10;
                for (int i = 0; i < 10; i++) {
                    run(hl7, 1, chunk, 10_000_000 + i * chunk);
                    samples.add(usedHeapAfterGc(pid) / 1024);
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%s KiB; %.0f orders/s overall (including the GC samples)%n", samples, longRun / secs);
            }
        } finally {
            broker.destroy();
            broker.waitFor(30, TimeUnit.SECONDS);
            // the database of a long run is gigabytes (docs/benchmarks.md, H2 retention): never leave it behind
            BenchIo.deleteTree(tmp);
        }
    }

    record Result(double rate, long errors) {
    }

    /** {@code conns} connections, {@code n} orders in total, each waiting for its ACK; counts non-AA. */
    static Result run(int port, int conns, int n, int firstId) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(conns);
        AtomicLong notAa = new AtomicLong();
        List<Future<?>> fs = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int c = 0; c < conns; c++) {
            int start = firstId + c * (n / conns);
            int count = n / conns;
            fs.add(pool.submit(() -> {
                try (Socket s = new Socket()) {
                    s.setTcpNoDelay(true);
                    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                    s.setSoTimeout(30_000);
                    OutputStream out = new BufferedOutputStream(s.getOutputStream(), 4096);
                    InputStream in = new BufferedInputStream(s.getInputStream(), 4096);
                    byte[] ack = new byte[4096];
                    for (int i = 0; i < count; i++) {
                        out.write(SB);
                        out.write(order(start + i));
                        out.write(EB);
                        out.write(CR);
                        out.flush();
                        int len = readFrame(in, ack);
                        if (!new String(ack, 0, Math.min(len, ack.length), StandardCharsets.ISO_8859_1).contains("MSA|AA")) {
                            notAa.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        if (notAa.get() > 0) {
            System.out.println("WARNING: " + notAa.get() + " answers were not AA");
        }
        return new Result((n / conns) * conns / secs, notAa.get());
    }

    static int readFrame(InputStream in, byte[] into) throws IOException {
        int b;
        while ((b = in.read()) != SB) {
            if (b < 0) {
                throw new IOException("closed");
            }
        }
        int n = 0;
        while ((b = in.read()) != EB) {
            if (b < 0) {
                throw new IOException("closed in frame");
            }
            if (n < into.length) {
                into[n] = (byte) b;
            }
            n++;
        }
        in.read(); // CR
        return n;
    }

    /** A realistic RAD-4 new order (IHE RAD TF-2 §4.4, ORM^O01 v2.3.1), unique IDs from {@code id}. */
    static byte[] order(int id) {
        String p = "P" + id;
        String pat = "BN" + (100000 + id % 5000);
        String msg = "MSH|^~\\&|RADIS|BENCHHOSP|ORDERLY|IMAGING|20240315083000||ORM^O01|BM" + id + "|P|2.3.1\r"
                + "PID|1||" + pat + "^^^BENCHHOSP||BENCH^PATIENT^" + (id % 97) + "||19700101|F|||1 MAIN ST^^TOWN^^12345\r"
                + "PV1|1|O|CTROOM1^01|||||D123^SMITH^ROBERT^A^^DR|||||||||||V" + id + "\r"
                + "ORC|NW|" + p + "|F" + id + "||SC||^^^20240315093000^^R|||||D123^SMITH^ROBERT^A^^DR\r"
                + "OBR|1|" + p + "|F" + id + "|CTHEAD^CT Head without contrast^L||||||||||||D123^SMITH^ROBERT^A^^DR||A"
                + id + "|R" + id + "|S" + id + "||||CT|||^^^20240315093000^^R||||^Headache, rule out bleed\r"
                + "ZDS|1.2.826.0.1.3680043.9.7433.9." + id + "^100^Application^DICOM\r";
        return msg.getBytes(StandardCharsets.ISO_8859_1);
    }

    static Process startBroker(Path jar, Path tmp, int hl7) throws Exception {
        Path routes = Files.createDirectories(tmp.resolve("routes"));
        Path repoRoutes = jar.toAbsolutePath().getParent().getParent().getParent().resolve("routes");
        try (var files = Files.list(repoRoutes)) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m"));
        // e.g. -Dbench.broker.jvm=-XX:StartFlightRecording=filename=/tmp/broker.jfr,settings=profile
        String jvm = System.getProperty("bench.broker.jvm", "").trim();
        if (!jvm.isEmpty()) {
            cmd.addAll(List.of(jvm.split("\\s+")));
        }
        cmd.addAll(List.of("-jar", jar.toString(), "--orderly.http.port=" + freePort(),
                "--orderly.dicom.port=" + freePort(), "--orderly.hl7.port=" + hl7,
                "--orderly.data-dir=" + tmp.resolve("data"), "--orderly.routes-dir=" + routes,
                "--orderly.mappings-dir=" + tmp.resolve("maps"), "--orderly.bind=127.0.0.1"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("broker.log").toFile()).start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            if (Files.readString(tmp.resolve("broker.log")).contains("Orderly ready")) {
                return p;
            }
            Thread.sleep(200);
        }
        p.destroyForcibly();
        throw new IllegalStateException("broker did not start; see " + tmp.resolve("broker.log"));
    }

    /** jcmd GC.run then GC.heap_info: used heap after a full GC, in bytes. */
    static long usedHeapAfterGc(long pid) throws Exception {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("no heap figure in: " + info);
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    static String jcmd(long pid, String what) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), what).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    static final String PY_SERVER = String.join("\n",
            "import asyncio, sys, hl7",
            "from hl7.mllp import start_hl7_server",
            "async def handle(reader, writer):",
            "    try:",
            "        while not writer.is_closing():",
            "            msg = await reader.readmessage()",
            "            writer.writemessage(msg.create_ack())",
            "            await writer.drain()",
            "    except Exception:",
            "        pass",
            "async def main():",
            "    async with await start_hl7_server(handle, host='127.0.0.1', port=int(sys.argv[1])) as s:",
            "        print('listening', flush=True)",
            "        await s.serve_forever()",
            "asyncio.run(main())");

    static final String PY_CLIENT = String.join("\n",
            "import asyncio, sys, time, hl7",
            "from hl7.mllp import open_hl7_connection",
            "async def main():",
            "    port, n, tmpl = int(sys.argv[1]), int(sys.argv[2]), open(sys.argv[3]).read()",
            "    reader, writer = await open_hl7_connection('127.0.0.1', port)",
            "    t0 = time.perf_counter()",
            "    for i in range(n):",
            "        writer.writemessage(hl7.parse(tmpl.replace('BM0|', 'BM%d|' % i)))",
            "        await writer.drain()",
            "        await reader.readmessage()",
            "    print(n / (time.perf_counter() - t0))",
            "    writer.close()",
            "asyncio.run(main())");

    static Process startPythonAckServer(int port) throws Exception {
        Path script = Files.createTempFile("hl7ack", ".py");
        Files.writeString(script, PY_SERVER);
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), Integer.toString(port)).redirectErrorStream(true).start();
        byte[] line = new byte[9];
        if (p.getInputStream().readNBytes(line, 0, 9) != 9) {
            throw new IllegalStateException("python3-hl7 server did not start (apt-get install python3-hl7)");
        }
        return p;
    }

    /** python3-hl7 sender -> python3-hl7 AA listener, one connection: messages/s. */
    static double pythonToPython(int n) throws Exception {
        int port = freePort();
        Process server = startPythonAckServer(port);
        try {
            Path tmpl = Files.createTempFile("hl7msg", ".hl7");
            Files.write(tmpl, order(0));
            Path script = Files.createTempFile("hl7send", ".py");
            Files.writeString(script, PY_CLIENT);
            Process c = new ProcessBuilder("/usr/bin/python3", script.toString(), Integer.toString(port), Integer.toString(n),
                    tmpl.toString()).redirectErrorStream(true).start();
            String out = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            c.waitFor(120, TimeUnit.SECONDS);
            return Double.parseDouble(out.substring(out.lastIndexOf('\n') + 1));
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private Hl7IntakeBenchmark() {
    }
}
