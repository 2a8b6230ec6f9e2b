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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The control plane's side of docs/worker-protocol.md and docs/shared-log.md, small enough to read:
 * hands out the jobs a test queues, records every call, acks every completion, answers heartbeats
 * with what the test set (cancels, exit, an error status), stores shared-log records once per
 * {@code (source, seq)}, and keeps a simple in-memory lock table (not FIFO).
 */
final class FakeControlPlane implements AutoCloseable {

  static final String LAUNCH_TOKEN = "launch-token";

  final List<Map<String, Object>> registrations = new CopyOnWriteArrayList<>();
  final List<Map<String, Object>> leases = new CopyOnWriteArrayList<>();
  final List<Map<String, Object>> heartbeats = new CopyOnWriteArrayList<>();

  /** Every completion received, from {@code /complete} and riding on leases alike. */
  final List<Map<String, Object>> completions = new CopyOnWriteArrayList<>();

  final List<String> wrongTokens = new CopyOnWriteArrayList<>();

  /** Every {@code /api/log} body, in the order the calls came, whatever the answer. */
  final List<Map<String, Object>> logCalls = new CopyOnWriteArrayList<>();

  /** The records stored, each once, with the {@code lock} and {@code token} of their batch. */
  final List<Map<String, Object>> records = new CopyOnWriteArrayList<>();

  /**
   * What came in which order: {@code "record <jobId>"} per record stored, {@code "completion
   * <jobId>"} per completion, {@code "<action> <name>"} per lock call.
   */
  final List<String> arrivals = new CopyOnWriteArrayList<>();

  /** Every lock call: {@code acquire}, {@code renew} or {@code release}, the name, the body. */
  final List<LockCall> lockCalls = new CopyOnWriteArrayList<>();

  record LockCall(String action, String name, Map<String, Object> body, int status) {}

  private final Map<String, Long> stored = new HashMap<>();
  private final Map<String, Grant> grants = new HashMap<>();
  private long nextGlobalSeq = 1_000;
  private long nextToken = 8_589_934_592L;
  private int lostLogAnswers;
  private boolean logDown;
  private int nextLogStatus;
  private boolean refuseLockedAppends;
  private boolean refuseRenewals;

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
    server.createContext("/api/log", this::handle);
    server.createContext("/api/locks/", this::handle);
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

  /** The next {@code n} log calls store their records but answer 503, as if the answer was lost. */
  synchronized void loseLogAnswers(int n) {
    lostLogAnswers = n;
  }

  /** While down, log calls answer 503 and store nothing. */
  synchronized void logDown(boolean down) {
    logDown = down;
  }

  /** The next log call is refused with this status and stores nothing. */
  synchronized void refuseNextLogCall(int status) {
    nextLogStatus = status;
  }

  /** Appends under a lock are refused with 409 {@code lock-not-held} from now on. */
  synchronized void refuseLockedAppends() {
    refuseLockedAppends = true;
  }

  /** Renewals are refused with 409 {@code lock-not-held} from now on. */
  synchronized void refuseRenewals() {
    refuseRenewals = true;
  }

  /** Someone else holds the lock until {@link #letGo}; returns the grant's token. */
  synchronized long hold(String name) {
    Grant grant = new Grant(++nextToken, "someone else", Long.MAX_VALUE);
    grants.put(name, grant);
    return grant.token;
  }

  synchronized void letGo(String name) {
    grants.remove(name);
    notifyAll();
  }

  /** The token of the lock's current grant, or null when nobody holds it. */
  synchronized Long holder(String name) {
    Grant grant = grants.get(name);
    return grant == null || grant.expired() ? null : grant.token;
  }

  List<Map<String, Object>> recordsOf(long jobId) {
    return records.stream().filter(r -> r.get("jobId").equals(jobId)).toList();
  }

  List<String> messagesOf(long jobId) {
    return recordsOf(jobId).stream().map(r -> (String) r.get("message")).toList();
  }

  List<LockCall> lockCalls(String action) {
    return lockCalls.stream().filter(c -> c.action().equals(action)).toList();
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
      if (path.equals("/api/log")) {
        log(exchange, body);
        return;
      }
      if (path.startsWith("/api/locks/")) {
        String[] parts = path.split("/");
        lock(exchange, parts[4], parts[3], body);
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
  private void log(HttpExchange exchange, Map<String, Object> body) throws IOException {
    logCalls.add(body);
    String lock = (String) body.get("lock");
    List<Long> seqs = new ArrayList<>();
    int status = 200;
    synchronized (this) {
      if (logDown || nextLogStatus != 0) {
        status = logDown ? 503 : nextLogStatus;
        nextLogStatus = 0;
        answer(exchange, status, problem(status == 503 ? "try-again" : "invalid-log-records"));
        return;
      }
      if (lock != null) {
        Grant grant = grants.get(lock);
        if (refuseLockedAppends || grant == null || !grant.token.equals(body.get("token"))) {
          answer(exchange, 409, problem("lock-not-held"));
          return;
        }
      }
      for (Object item : (List<Object>) body.get("records")) {
        Map<String, Object> record = new LinkedHashMap<>((Map<String, Object>) item);
        String key = record.get("source") + ":" + record.get("seq");
        Long seq = stored.get(key);
        if (seq == null) {
          seq = nextGlobalSeq++;
          stored.put(key, seq);
          record.put("lock", lock);
          record.put("token", body.get("token"));
          records.add(record);
          arrivals.add("record " + record.get("jobId"));
        }
        seqs.add(seq);
      }
      if (lostLogAnswers > 0) {
        lostLogAnswers--;
        status = 503;
      }
    }
    if (status != 200) {
      answer(exchange, status, problem("try-again"));
      return;
    }
    answer(exchange, 200, Map.of("seqs", seqs));
  }

  private void lock(HttpExchange exchange, String action, String name, Map<String, Object> body)
      throws IOException {
    int status;
    Map<String, Object> answer;
    synchronized (this) {
      long now = System.currentTimeMillis();
      Grant grant = grants.get(name);
      if (grant != null && grant.expired()) {
        grants.remove(name);
        grant = null;
      }
      switch (action) {
        case "acquire" -> {
          String requestId = (String) body.get("requestId");
          long leaseMs = (Long) body.getOrDefault("leaseMs", 30_000L);
          long deadline = now + (Long) body.getOrDefault("waitMs", 10_000L);
          while (grant != null
              && !grant.requestId.equals(requestId)
              && System.currentTimeMillis() < deadline) {
            try {
              wait(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              break;
            }
            grant = grants.get(name);
            if (grant != null && grant.expired()) {
              grants.remove(name);
              grant = null;
            }
          }
          if (grant == null) {
            grant = new Grant(++nextToken, requestId, System.currentTimeMillis() + leaseMs);
            grants.put(name, grant);
          }
          if (grant.requestId.equals(requestId)) {
            status = 200;
            answer = granted(name, grant, leaseMs);
          } else {
            status = 409;
            answer = problem("lock-wait-timeout");
          }
        }
        case "renew" -> {
          if (refuseRenewals || grant == null || !grant.token.equals(body.get("token"))) {
            status = 409;
            answer = problem("lock-not-held");
          } else {
            long leaseMs = (Long) body.getOrDefault("leaseMs", 30_000L);
            grant.expiresAt = now + leaseMs;
            status = 200;
            answer = granted(name, grant, leaseMs);
          }
        }
        case "release" -> {
          boolean byToken = grant != null && grant.token.equals(body.get("token"));
          boolean byRequest = grant != null && grant.requestId.equals(body.get("requestId"));
          if (byToken || byRequest) {
            grants.remove(name);
            notifyAll();
          }
          status = byToken || body.containsKey("requestId") ? 200 : 409;
          answer =
              status == 200
                  ? Map.of("name", name, "released", byToken || byRequest)
                  : problem("lock-not-held");
        }
        default -> {
          status = 404;
          answer = Map.of();
        }
      }
    }
    lockCalls.add(new LockCall(action, name, body, status));
    arrivals.add(action + " " + name);
    answer(exchange, status, answer);
  }

  private static Map<String, Object> granted(String name, Grant grant, long leaseMs) {
    return Map.of(
        "name", name, "token", grant.token, "expiresAt", grant.expiresAt, "leaseMs", leaseMs);
  }

  private static Map<String, Object> problem(String type) {
    return Map.of("type", "https://pipewright.org/problems/" + type, "title", type);
  }

  private static final class Grant {
    final Long token;
    final String requestId;
    long expiresAt;

    Grant(long token, String requestId, long expiresAt) {
      this.token = token;
      this.requestId = requestId;
      this.expiresAt = expiresAt;
    }

    boolean expired() {
      return System.currentTimeMillis() >= expiresAt;
    }
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> acks(Map<String, Object> body) {
    List<Map<String, Object>> acks = new ArrayList<>();
    for (Object item : (List<Object>) body.get("completions")) {
      Map<String, Object> completion = (Map<String, Object>) item;
      completions.add(completion);
      arrivals.add("completion " + completion.get("jobId"));
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
