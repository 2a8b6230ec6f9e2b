package org.pipewright.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One writer process of {@code bench/sharedlog}, plain JDK: warms up, says {@code ready}, waits for
 * {@code go} on stdin, writes, says {@code done <ms>}.
 *
 * <p>Modes: {@code batch} appends its entries in batches of many lines, as a worker's log client
 * does; {@code lock} takes the lock around each entry and appends it line by line, as Ruffus's jobs
 * call the logger proxy inside {@code with logging_mutex:}; {@code pairs} only takes and releases
 * the lock.
 */
public final class LogWriter {

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
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
    writer.run(
        mode, source + "-warmup", Math.min(lines, 1000), perEntry, perBatch, "warmup-" + source);
    System.out.println("ready");
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    if (!"go".equals(in.readLine())) {
      return;
    }
    long start = System.nanoTime();
    writer.run(mode, source, lines, perEntry, perBatch, "bench");
    System.out.println("done " + (System.nanoTime() - start) / 1_000_000);
    System.out.flush();
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
      default -> throw new IllegalArgumentException(mode);
    }
  }

  private long acquire(String lock, String owner) throws Exception {
    String request = UUID.randomUUID().toString();
    while (true) {
      HttpResponse<String> answer =
          send(
              "/api/locks/" + lock + "/acquire",
              "{\"owner\":\"" + owner + "\",\"requestId\":\"" + request + "\",\"waitMs\":10000}");
      if (answer.statusCode() == 200) {
        String body = answer.body();
        int at = body.indexOf("\"token\":") + 8;
        int end = at;
        while (Character.isDigit(body.charAt(end))) {
          end++;
        }
        return Long.parseLong(body.substring(at, end));
      }
      if (answer.statusCode() != 409 || !answer.body().contains("lock-wait-timeout")) {
        throw new IllegalStateException("acquire: " + answer.statusCode() + " " + answer.body());
      }
    }
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
    HttpResponse<String> answer = send(path, body);
    if (answer.statusCode() != 200) {
      throw new IllegalStateException(path + ": " + answer.statusCode() + " " + answer.body());
    }
  }

  private HttpResponse<String> send(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
