package org.pipewright.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

/**
 * One writer process of {@code bench/sharedlog}, plain JDK: warms up, says {@code ready}, waits for
 * {@code go} on stdin, writes, says {@code done <ms> <CPU ms>}: the CPU this process took to write,
 * which shares the machine with the control plane.
 *
 * <p>Modes: {@code batch} appends its entries in batches of many lines, as a worker's log client
 * does; {@code lock} takes the lock around each entry and appends it line by line, as Ruffus's jobs
 * call the logger proxy inside {@code with logging_mutex:}; {@code pairs} only takes and releases
 * the lock; {@code channel} does the same over the lock channel's WebSocket, {@code local} over its
 * Unix socket ({@code PIPEWRIGHT_LOCK_SOCKET}), as a local worker does.
 */
public final class LogWriter {

  private final String base;
  private final String token;

  private LogWriter(String base, String token) {
    this.base = base;
    this.token = token;
  }

  /** args: url token mode source lines linesPerEntry entriesPerBatch */
  public static void main(String[] args) throws Exception {
    LogWriter writer = new LogWriter(args[0], args[1]);
    String mode = args[2];
    String source = args[3];
    int lines = Integer.parseInt(args[4]);
    int perEntry = Integer.parseInt(args[5]);
    int perBatch = Integer.parseInt(args[6]);
    // The control plane's JIT needs tens of thousands of records and calls before its numbers
    // settle, as a long-running service's would have.
    // The channels' path is short and their pairs fast: more of them before C2 has compiled it.
    int warmup =
        switch (mode) {
          case "batch" -> 25_000;
          case "channel", "local", "quiet" -> 20_000;
          default -> 5_000;
        };
    // Small batches first: the calls' own path is compiled only after thousands of calls.
    writer.run(mode, source + "-warmup", warmup, perEntry, 1, "warmup-" + source);
    writer.run(mode, source + "-warmup-big", warmup, perEntry, perBatch, "warmup-" + source);
    System.out.println("ready");
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    if (!"go".equals(in.readLine())) {
      return;
    }
    long start = System.nanoTime();
    long cpu = cpuNanos();
    writer.run(mode, source, lines, perEntry, perBatch, "bench");
    System.out.println(
        "done " + (System.nanoTime() - start) / 1_000_000 + " " + (cpuNanos() - cpu) / 1_000_000);
    System.out.flush();
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The text of one line; the benchmark checks every stored line against it. */
  public static String line(String source, long seq) {
    String head = source + " entry " + (seq / 1000) + " line " + (seq % 1000) + " ";
    return head + "-".repeat(Math.max(0, 80 - head.length()));
  }

  private void run(String mode, String source, int lines, int perEntry, int perBatch, String lock)
      throws Exception {
    int entries = lines / perEntry;
    switch (mode) {
      case "batch" -> {
        for (int e = 0; e < entries; e += perBatch) {
          StringBuilder body =
              new StringBuilder(perBatch * perEntry * 130).append("{\"records\":[");
          for (int x = e; x < Math.min(entries, e + perBatch); x++) {
            for (int l = 0; l < perEntry; l++) {
              appendRecord(body.append(x == e && l == 0 ? "" : ","), source, x * 1000L + l);
            }
          }
          post("/api/log", body.append("]}").toString());
        }
      }
      case "lock" -> {
        for (int e = 0; e < entries; e++) {
          long grant = acquire(lock, source);
          for (int l = 0; l < perEntry; l++) {
            StringBuilder body = new StringBuilder(200).append("{\"records\":[");
            appendRecord(body, source, e * 1000L + l);
            post(
                "/api/log",
                body.append("],\"lock\":\"" + lock + "\",\"token\":" + grant + "}").toString());
          }
          post("/api/locks/" + lock + "/release", "{\"token\":" + grant + "}");
        }
      }
      case "pairs" -> {
        for (int p = 0; p < lines; p++) {
          long grant = acquire(lock, source);
          post("/api/locks/" + lock + "/release", "{\"token\":" + grant + "}");
        }
      }
      case "channel", "local", "quiet" -> {
        boolean quiet = mode.equals("quiet");
        try (ChannelClient channel =
            mode.equals("channel")
                ? ChannelClient.webSocket(base, token)
                : ChannelClient.local(Path.of(System.getenv("PIPEWRIGHT_LOCK_SOCKET")), token)) {
          for (int p = 0; p < lines; p++) {
            String answer =
                channel.call(
                    "\"op\":\"acquire\",\"lock\":\""
                        + lock
                        + "\",\"owner\":\""
                        + source
                        + "\",\"requestId\":\""
                        + UUID.randomUUID()
                        + "\",\"waitMs\":10000");
            long grant = number(answer, "\"token\":");
            if (quiet) {
              // Answered only if refused, which the next call would then read and fail on.
              channel.send(
                  "\"op\":\"release\",\"lock\":\""
                      + lock
                      + "\",\"token\":"
                      + grant
                      + ",\"quiet\":true");
              continue;
            }
            answer =
                channel.call("\"op\":\"release\",\"lock\":\"" + lock + "\",\"token\":" + grant);
            if (!answer.contains("\"released\":true")) {
              throw new IllegalStateException("release: " + answer);
            }
          }
        }
      }
      default -> throw new IllegalArgumentException(mode);
    }
  }

  private long acquire(String lock, String owner) throws Exception {
    String request = UUID.randomUUID().toString();
    while (true) {
      Answer answer =
          send(
              "/api/locks/" + lock + "/acquire",
              "{\"owner\":\"" + owner + "\",\"requestId\":\"" + request + "\",\"waitMs\":10000}");
      if (answer.statusCode() == 200) {
        return number(answer.body(), "\"token\":");
      }
      if (answer.statusCode() != 409 || !answer.body().contains("lock-wait-timeout")) {
        throw new IllegalStateException("acquire: " + answer.statusCode() + " " + answer.body());
      }
    }
  }

  /** The number after {@code key} in a JSON answer; there is none but in a grant. */
  private static long number(String json, String key) {
    int at = json.indexOf(key);
    if (at < 0) {
      throw new IllegalStateException("no " + key + " in " + json);
    }
    int end = at + key.length();
    while (Character.isDigit(json.charAt(end))) {
      end++;
    }
    return Long.parseLong(json.substring(at + key.length(), end));
  }

  private static void appendRecord(StringBuilder body, String source, long seq) {
    body.append("{\"level\":\"INFO\",\"source\":\"")
        .append(source)
        .append("\",\"seq\":")
        .append(seq)
        .append(",\"message\":\"")
        .append(line(source, seq))
        .append("\"}");
  }

  private void post(String path, String body) throws Exception {
    Answer answer = send(path, body);
    if (answer.statusCode() != 200) {
      throw new IllegalStateException(path + ": " + answer.statusCode() + " " + answer.body());
    }
  }

  /** An answer: status and body. */
  private record Answer(int statusCode, String body) {}

  /**
   * One POST on {@link HttpURLConnection}, whose keep-alive cache reuses the connection: the
   * worker's own transport, so the numbers are what a worker would see.
   */
  private Answer send(String path, String body) throws Exception {
    HttpURLConnection connection =
        (HttpURLConnection) URI.create(base + path).toURL().openConnection(Proxy.NO_PROXY);
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setRequestProperty("Authorization", "Bearer " + token);
    connection.setRequestProperty("Content-Type", "application/json");
    try (OutputStream out = connection.getOutputStream()) {
      out.write(body.getBytes(StandardCharsets.UTF_8));
    }
    int status = connection.getResponseCode();
    try (InputStream in =
        status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
      return new Answer(
          status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
