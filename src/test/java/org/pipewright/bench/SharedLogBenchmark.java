package org.pipewright.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pipewright.lock.LocalLockChannel;
import org.pipewright.sharedlog.LogQuery;
import org.pipewright.sharedlog.LogRecord;
import org.pipewright.sharedlog.LogStore;

/**
 * {@code bench/sharedlog}: the control plane in this JVM, four writer processes ({@link LogWriter})
 * writing 5,000 lines each, once in batches and once taking the shared lock around each entry, then
 * four clients only taking and releasing the lock. Checks what the database holds afterwards: every
 * line once, intact, and each entry's lines next to each other.
 */
public final class SharedLogBenchmark {

  /** The lock channel's Unix socket, which the writers of mode {@code local} open. */
  private static Optional<Path> lockSocket = Optional.empty();

  public static void main(String[] args) throws Exception {
    Path root =
        BenchService.freshRoot(Path.of(args.length > 0 ? args[0] : "target/bench-sharedlog"));
    int writers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int lines = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
    List<String> modes =
        args.length > 3
            ? List.of(args[3].split(","))
            : List.of("batch", "lock", "pairs", "channel", "local", "quiet");
    int perEntry = 5;
    int perBatch = 100;
    try (BenchService service =
        BenchService.start(
            root,
            "--pipewright.workers.launcher=none",
            "--pipewright.shared-log.file=" + root.resolve("logs/shared.log"))) {
      String url = service.base;
      lockSocket = service.context.getBean(LocalLockChannel.class).path();
      LogStore store = service.context.getBean(LogStore.class);
      System.out.printf(
          "bench/sharedlog: %d writer processes x %,d lines, entries of %d lines%n",
          writers, lines, perEntry);

      // A control plane runs for days; a cold one spends the first seconds compiling its
      // request path, which a race of 20,000 lines would measure instead of the log.
      int warmups = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUPS", "2"));
      if (modes.contains("batch")) {
        warmUp(url, "batch", "w", warmups, writers, lines, perEntry, perBatch);
        long ms = race(url, "batch", "b", writers, lines, perEntry, perBatch);
        System.out.printf(
            "batches:  %,7d lines in %5d ms = %,8.0f lines/s (batches of %d lines); %s%n",
            writers * lines,
            ms,
            writers * lines * 1000.0 / ms,
            perBatch * perEntry,
            integrity(store, "b", writers, lines, perEntry));
      }
      if (modes.contains("lock")) {
        long ms = race(url, "lock", "l", writers, lines, perEntry, perBatch);
        int entries = writers * (lines / perEntry);
        System.out.printf(
            "locked:   %,7d lines in %5d ms = %,8.0f lines/s, %,6.0f entries/s (lock around each"
                + " entry, one append per line); %s%n",
            writers * lines,
            ms,
            writers * lines * 1000.0 / ms,
            entries * 1000.0 / ms,
            integrity(store, "l", writers, lines, perEntry));
      }
      if (modes.contains("pairs")) {
        long ms = race(url, "pairs", "p", writers, lines, perEntry, perBatch);
        System.out.printf(
            "lock:     %,7d acquire+release pairs on one lock in %5d ms = %,8.0f pairs/s (HTTP"
                + " calls)%n",
            writers * lines, ms, writers * lines * 1000.0 / ms);
      }
      if (modes.contains("channel")) {
        long ms = race(url, "channel", "c", writers, lines, perEntry, perBatch);
        System.out.printf(
            "lock:     %,7d acquire+release pairs on one lock in %5d ms = %,8.0f pairs/s (lock"
                + " channel, one WebSocket per client)%n",
            writers * lines, ms, writers * lines * 1000.0 / ms);
      }
      for (String mode : List.of("local", "quiet")) {
        if (!modes.contains(mode)) {
          continue;
        }
        warmUp(url, mode, mode.charAt(0) + "w", warmups, writers, lines, perEntry, perBatch);
        long ms = race(url, mode, mode.substring(0, 1), writers, lines, perEntry, perBatch);
        System.out.printf(
            "lock:     %,7d acquire+release pairs on one lock in %5d ms = %,8.0f pairs/s (lock"
                + " channel, one Unix socket per client, %s)%n",
            writers * lines,
            ms,
            writers * lines * 1000.0 / ms,
            mode.equals("quiet")
                ? "each release answered only if refused, as a local worker's jobs release"
                : "each release answered");
      }
    }
  }

  /** Untimed races of the same mode and size first, as a control plane that has been running. */
  private static void warmUp(
      String url,
      String mode,
      String tag,
      int rounds,
      int writers,
      int lines,
      int perEntry,
      int perBatch)
      throws Exception {
    for (int w = 0; w < rounds; w++) {
      race(url, mode, tag + w, writers, lines, perEntry, perBatch);
    }
    if (rounds > 0) {
      System.out.printf("(the rounds above warmed the control plane up and are not counted)%n");
    }
  }

  /** Starts the writers, waits until all are warm, lets them go together, times the slowest. */
  private static long race(
      String url, String mode, String tag, int writers, int lines, int perEntry, int perBatch)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<ProcessBuilder> builders = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      builders.add(
          new ProcessBuilder(
                  java,
                  "-XX:TieredStopAtLevel=1",
                  "-Xmx128m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  LogWriter.class.getName(),
                  url,
                  BenchService.TOKEN,
                  mode,
                  "bench-" + tag + "-" + w,
                  Integer.toString(lines),
                  Integer.toString(perEntry),
                  Integer.toString(perBatch))
              .redirectError(ProcessBuilder.Redirect.INHERIT));
    }
    List<Process> processes = new ArrayList<>();
    for (ProcessBuilder builder : builders) {
      lockSocket.ifPresent(
          path -> builder.environment().put("PIPEWRIGHT_LOCK_SOCKET", path.toString()));
      processes.add(builder.start());
    }
    List<BufferedReader> outputs = new ArrayList<>();
    for (Process process : processes) {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      if (!"ready".equals(out.readLine())) {
        throw new IllegalStateException("a writer did not warm up");
      }
      outputs.add(out);
    }
    long start = System.nanoTime();
    long serverCpuBefore = serverCpuNanos();
    Map<String, Long> threadsBefore = ThreadCpu.now();
    for (Process process : processes) {
      OutputStream in = process.getOutputStream();
      in.write("go\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
    }
    long writersCpuMs = 0;
    for (BufferedReader out : outputs) {
      String done = out.readLine();
      if (done == null || !done.startsWith("done")) {
        throw new IllegalStateException("a writer failed");
      }
      writersCpuMs += Long.parseLong(done.split(" ")[2]);
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    long serverCpu = serverCpuNanos() - serverCpuBefore;
    for (Process process : processes) {
      process.waitFor();
    }
    System.out.printf(
        "          (CPU of the writers %,d ms, of the control plane %,d ms in %,d ms of wall time:"
            + " %s)%n",
        writersCpuMs, serverCpu / 1_000_000, ms, ThreadCpu.since(threadsBefore, 6));
    return ms;
  }

  private static long serverCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Lines stored, lines intact, entries whose lines follow each other in the log. */
  private static String integrity(
      LogStore store, String tag, int writers, int lines, int perEntry) {
    Map<String, List<long[]>> bySource = new HashMap<>();
    int[] intact = {0};
    int[] stored = {0};
    long after = 0;
    List<LogRecord> page;
    do {
      page = store.page(new LogQuery(after, null, null, null, null, null, 10_000));
      for (LogRecord record : page) {
        after = record.seq();
        String source = record.source();
        if (!source.startsWith("bench-" + tag + "-") || source.contains("-warmup")) {
          continue;
        }
        long sourceSeq = record.sourceSeq();
        stored[0]++;
        if (record.message().equals(LogWriter.line(source, sourceSeq))) {
          intact[0]++;
        }
        bySource
            .computeIfAbsent(source, s -> new ArrayList<>())
            .add(new long[] {sourceSeq, record.seq()});
      }
    } while (!page.isEmpty());
    int contiguous = 0;
    int entries = 0;
    for (List<long[]> records : bySource.values()) {
      Map<Long, List<Long>> byEntry = new HashMap<>();
      for (long[] record : records) {
        byEntry.computeIfAbsent(record[0] / 1000, e -> new ArrayList<>()).add(record[1]);
      }
      for (List<Long> seqs : byEntry.values()) {
        entries++;
        boolean together = seqs.size() == perEntry;
        for (int i = 1; i < seqs.size() && together; i++) {
          together = seqs.get(i) == seqs.get(i - 1) + 1;
        }
        if (together) {
          contiguous++;
        }
      }
    }
    int expected = writers * lines;
    boolean ok =
        stored[0] == expected && intact[0] == expected && contiguous == expected / perEntry;
    return String.format(
        "integrity %s: %,d/%,d stored, %,d intact, %,d/%,d entries contiguous",
        ok ? "OK" : "FAILED", stored[0], expected, intact[0], contiguous, entries);
  }
}
