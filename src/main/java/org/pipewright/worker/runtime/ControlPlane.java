package org.pipewright.worker.runtime;

import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The four calls of docs/worker-protocol.md, typed, and {@link #post} for the calls of the shared
 * log and the locks (docs/shared-log.md), whose clients read the status themselves. Every answer
 * the control plane itself gives (any status below 500) counts as contact for {@link Liveness}; a
 * 5xx, which a proxy or a collapsing server sends, counts as unreachable.
 */
final class ControlPlane implements LockChannelClient.SessionToken {

  private static final int REGISTER_TIMEOUT_MS = 10_000;
  private static final int COMPLETE_TIMEOUT_MS = 10_000;

  /** Beyond the long poll's own wait: time for the control plane to answer once it gave up. */
  private static final int LEASE_MARGIN_MS = 10_000;

  private final HttpTransport http;
  private final Liveness liveness;
  private final LongSupplier clock;
  private volatile @Nullable Registration registration;
  private volatile String leasePath = "";
  private volatile String completePath = "";
  private volatile String heartbeatPath = "";

  ControlPlane(HttpTransport http, Liveness liveness, LongSupplier clock) {
    this.http = http;
    this.liveness = liveness;
    this.clock = clock;
  }

  Registration register(String launchToken, String host, long pid)
      throws UnreachableException, RefusedException {
    return register(launchToken, host, pid, null);
  }

  /** Registers with the cores and memory it offers, when it knows them. */
  Registration register(String launchToken, String host, long pid, @Nullable Capacity capacity)
      throws UnreachableException, RefusedException {
    JsonWriter body = new JsonWriter(96);
    body.beginObject().name("host").value(host).name("pid").value(pid);
    if (capacity != null) {
      body.name("cpus").value(capacity.cpus()).name("memoryMb").value(capacity.memoryMb());
    }
    body.endObject();
    Map<String, Object> json =
        call("register", "/api/workers/register", launchToken, body, REGISTER_TIMEOUT_MS);
    Registration answer;
    try {
      answer = Registration.fromJson(json);
    } catch (JsonException e) {
      throw unexpected("register", e);
    }
    String base = "/api/workers/" + answer.workerId();
    leasePath = base + "/lease";
    completePath = base + "/complete";
    heartbeatPath = base + "/heartbeat";
    registration = answer;
    return answer;
  }

  LeaseAnswer lease(int max, int waitMs, List<Completion> riding)
      throws UnreachableException, RefusedException {
    JsonWriter body = new JsonWriter(128 + 160 * riding.size());
    body.beginObject().name("max").value(max).name("waitMs").value(waitMs);
    writeCompletions(body, riding);
    body.endObject();
    Map<String, Object> json = call("lease", leasePath, session(), body, waitMs + LEASE_MARGIN_MS);
    try {
      return LeaseAnswer.fromJson(json);
    } catch (JsonException e) {
      throw unexpected("lease", e);
    }
  }

  List<Ack> complete(List<Completion> completions) throws UnreachableException, RefusedException {
    JsonWriter body = new JsonWriter(32 + 160 * completions.size());
    body.beginObject();
    writeCompletions(body, completions);
    body.endObject();
    Map<String, Object> json = call("complete", completePath, session(), body, COMPLETE_TIMEOUT_MS);
    try {
      return Ack.listFromJson(json);
    } catch (JsonException e) {
      throw unexpected("complete", e);
    }
  }

  /**
   * One heartbeat; the body is what {@link Holdings} holds at the moment it is written, with the
   * completions the outbox has not had acknowledged.
   */
  HeartbeatAnswer heartbeat(Holdings holdings, Outbox outbox, int timeoutMs)
      throws UnreachableException, RefusedException {
    JsonWriter body = new JsonWriter(256);
    holdings.writeHeartbeat(body, outbox);
    Map<String, Object> json = call("heartbeat", heartbeatPath, session(), body, timeoutMs);
    try {
      return HeartbeatAnswer.fromJson(json);
    } catch (JsonException e) {
      throw unexpected("heartbeat", e);
    }
  }

  /**
   * POSTs a body with the session token and returns the answer, whatever its status below 500: the
   * shared log and the locks tell their refusals apart by status and problem type.
   *
   * @param call what the call is, for messages
   * @throws UnreachableException when no answer came, or a 5xx did (as for the protocol's calls)
   */
  HttpAnswer post(String call, String path, byte[] body, int timeoutMs)
      throws UnreachableException {
    HttpAnswer answer = http.post(path, session(), body, timeoutMs);
    if (answer.status() >= 500) {
      throw new UnreachableException(
          call + " answered " + answer.status() + ", the control plane is not serving", null);
    }
    liveness.contact(clock.getAsLong());
    return answer;
  }

  /** This worker's id; only after {@link #register}. */
  long workerId() {
    Registration current = registration;
    if (current == null) {
      throw new IllegalStateException("not registered");
    }
    return current.workerId();
  }

  private static void writeCompletions(JsonWriter body, List<Completion> completions) {
    body.name("completions").beginArray();
    for (Completion completion : completions) {
      completion.writeTo(body);
    }
    body.endArray();
  }

  private Map<String, Object> call(
      String call, String path, String bearer, JsonWriter body, int timeoutMs)
      throws UnreachableException, RefusedException {
    HttpAnswer answer = http.post(path, bearer, body.toBytes(), timeoutMs);
    if (answer.status() >= 500) {
      throw new UnreachableException(
          call + " answered " + answer.status() + ", the control plane is not serving", null);
    }
    liveness.contact(clock.getAsLong());
    if (!answer.ok()) {
      throw new RefusedException(call, answer.status(), answer.body());
    }
    try {
      return JsonReader.parseObject(answer.body());
    } catch (JsonException e) {
      throw new RefusedException(call, answer.status(), "unreadable answer: " + e.getMessage());
    }
  }

  /** The session token of this worker's registration. */
  @Override
  public String session() {
    Registration current = registration;
    if (current == null) {
      throw new IllegalStateException("not registered");
    }
    return current.sessionToken();
  }

  /** Lambdas are avoided on purpose: their first bootstrap costs a starting worker milliseconds. */
  private static RefusedException unexpected(String call, JsonException e) {
    return new RefusedException(call, 200, "unexpected answer: " + e.getMessage());
  }
}
