package org.pipewright.worker.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The control plane's side of docs/worker-protocol.md, small enough to read: hands out the jobs a
 * test queues, records every call, acks every completion, and answers heartbeats with what the test
 * set (cancels, exit, an error status).
 */
final class FakeControlPlane implements AutoCloseable {

  static final String LAUNCH_TOKEN = "launch-token";

  final List<Map<String, Object>> registrations = new CopyOnWriteArrayList<>();
  final List<Map<String, Object>> leases = new CopyOnWriteArrayList<>();
  final List<Map<String, Object>> heartbeats = new CopyOnWriteArrayList<>();

  /** Every completion received, from {@code /complete} and riding on leases alike. */
  final List<Map<String, Object>> completions = new CopyOnWriteArrayList<>();

  final List<String> wrongTokens = new CopyOnWriteArrayList<>();

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final ArrayDeque<List<Map<String, Object>>> batches = new ArrayDeque<>();
  private final Set<AttemptId> cancels = new HashSet<>();
  private final long heartbeatMs;
  private final long leaseMs;
  private boolean exit;
  private boolean exitOnHeartbeat;
  private int heartbeatStatus = 200;
  private int sessions;
  private volatile String session = "";

  FakeControlPlane(long heartbeatMs, long leaseMs) throws IOException {
    this.heartbeatMs = heartbeatMs;
    this.leaseMs = leaseMs;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext("/api/workers/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Jobs the next lease call hands out together. */
  synchronized void offer(Map<String, Object>... jobs) {
    batches.add(List.of(jobs));
    notifyAll();
  }

  synchronized void cancel(long jobId, int attempt) {
    cancels.add(new AttemptId(jobId, attempt));
  }

  /** Lease answers say {@code exit: true} from now on. */
  synchronized void exit() {
    exit = true;
    notifyAll();
  }

  synchronized void exitOnHeartbeat() {
    exitOnHeartbeat = true;
  }

  synchronized void heartbeatStatus(int status) {
    heartbeatStatus = status;
  }

  /** Stops answering: the control plane is unreachable. */
  void stop() {
    server.stop(0);
    threads.shutdownNow();
  }

  @Override
  public void close() {
    stop();
  }

  List<Map<String, Object>> completionsOf(long jobId) {
    return completions.stream().filter(c -> c.get("jobId").equals(jobId)).toList();
  }

  /** Whether the last heartbeat reported the job running. */
  boolean reportedRunning(long jobId) {
    if (heartbeats.isEmpty()) {
      return false;
    }
    List<?> running = (List<?>) heartbeats.get(heartbeats.size() - 1).get("running");
    return running.stream().anyMatch(r -> ((Map<?, ?>) r).get("jobId").equals(jobId));
  }

  static Map<String, Object> job(
      long jobId, String kind, String commandOrClass, String... outputs) {
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("jobId", jobId);
    job.put("attempt", 1L);
    job.put("token", "attempt-" + jobId);
    job.put("runId", 5L);
    job.put("pipeline", "p");
    job.put("task", "t");
    job.put("key", "t:" + jobId);
    job.put("kind", kind);
    job.put("command", kind.equals("shell") ? commandOrClass : null);
    job.put("className", kind.equals("java") ? commandOrClass : null);
    job.put("workdir", "p");
    job.put("inputs", List.of());
    job.put("outputs", List.of(outputs));
    job.put("extras", List.of());
    job.put("mkdir", List.of());
    job.put("checkOutputs", List.of(outputs));
    job.put("logDir", ".pipewright/runs/5/t/" + jobId);
    job.put("leaseExpiresAt", System.currentTimeMillis() + 15_000);
    return job;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Map<String, Object> body =
          JsonReader.parseObject(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (path.equals("/api/workers/register")) {
        if (!("Bearer " + LAUNCH_TOKEN).equals(auth)) {
          answer(exchange, 401, Map.of("title", "unknown launch token"));
          return;
        }
        registrations.add(body);
        String token;
        synchronized (this) {
          token = "session-" + ++sessions;
        }
        session = token;
        answer(
            exchange,
            200,
            Map.of(
                "workerId", 17L,
                "sessionToken", token,
                "heartbeatMs", heartbeatMs,
                "leaseMs", leaseMs));
        return;
      }
      if (!("Bearer " + session).equals(auth)) {
        wrongTokens.add(String.valueOf(auth));
        answer(exchange, 401, Map.of());
        return;
      }
      switch (path) {
        case "/api/workers/17/lease" -> answer(exchange, 200, lease(body));
        case "/api/workers/17/complete" -> answer(exchange, 200, Map.of("acks", acks(body)));
        case "/api/workers/17/heartbeat" -> heartbeat(exchange, body);
        default -> answer(exchange, 404, Map.of());
      }
    } catch (RuntimeException e) {
      e.printStackTrace();
      throw e;
    }
  }

  private Map<String, Object> lease(Map<String, Object> body) {
    leases.add(body);
    List<Map<String, Object>> acks = acks(body);
    long waitMs = (Long) body.get("waitMs");
    long deadline = System.currentTimeMillis() + waitMs;
    List<Map<String, Object>> jobs = List.of();
    boolean leave;
    synchronized (this) {
      while (batches.isEmpty() && !exit && System.currentTimeMillis() < deadline) {
        try {
          wait(Math.max(1, deadline - System.currentTimeMillis()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (!batches.isEmpty()) {
        jobs = batches.poll();
      }
      leave = exit && jobs.isEmpty();
    }
    return Map.of("jobs", jobs, "acks", acks, "exit", leave);
  }

  private void heartbeat(HttpExchange exchange, Map<String, Object> body) throws IOException {
    heartbeats.add(body);
    int status;
    List<Map<String, Object>> cancel = new ArrayList<>();
    boolean leave;
    synchronized (this) {
      status = heartbeatStatus;
      for (AttemptId id : cancels) {
        cancel.add(Map.of("jobId", id.jobId(), "attempt", (long) id.attempt()));
      }
      leave = exitOnHeartbeat;
    }
    if (status != 200) {
      answer(exchange, status, Map.of("title", "no"));
      return;
    }
    answer(exchange, 200, Map.of("cancel", cancel, "leaseMs", leaseMs, "exit", leave));
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> acks(Map<String, Object> body) {
    List<Map<String, Object>> acks = new ArrayList<>();
    for (Object item : (List<Object>) body.get("completions")) {
      Map<String, Object> completion = (Map<String, Object>) item;
      completions.add(completion);
      Map<String, Object> ack = new LinkedHashMap<>();
      ack.put("jobId", completion.get("jobId"));
      ack.put("attempt", completion.get("attempt"));
      ack.put("accepted", true);
      ack.put("message", null);
      acks.add(ack);
    }
    return acks;
  }

  private static void answer(HttpExchange exchange, int status, Map<String, Object> body)
      throws IOException {
    byte[] bytes = JsonWriter.write(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
