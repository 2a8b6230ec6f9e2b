package org.pipewright.lock;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shared locks over one socket ({@code docs/shared-log.md}, "The lock channel"): the same
 * acquire, renew and release as the HTTP calls, with the same checks and answers, but without an
 * HTTP request each. A client that takes a lock many times a second keeps one socket open and
 * numbers its messages; each gets one answer with the same {@code id}. The socket is a WebSocket
 * ({@link LockChannelWebSocket}) or, for clients on the control plane's own host, a Unix socket
 * ({@link LocalLockSocket}); this class is the protocol, the same over both.
 *
 * <p>An acquire waits without a thread: its answer is sent by whoever settles it, the release that
 * hands the lock on or the timer that ends its wait. So a socket may wait for several locks and
 * still renew and release others meanwhile, and a handoff costs no thread switch. The socket's
 * principal is the caller of the handshake. An acquire still unanswered when the socket closes is
 * withdrawn (or its grant released): nobody is left to hear of it. Grants already answered keep
 * their leases, as over HTTP.
 */
public class LockChannel implements AutoCloseable {

  /**
   * A client's socket as the protocol sees it. Sending never throws: a socket that cannot take an
   * answer is closing, and its close withdraws what it waited for.
   */
  interface Peer {

    /** Unique among the open sockets of every transport. */
    String id();

    /**
     * Sends one answer; safe from any thread.
     *
     * @return false when the socket is closed or broke, so the answer will not arrive
     */
    boolean send(String text);

    /** Closes the socket, whose transport then reports it {@link #closed}. */
    void close(String reason);
  }

  private final LockManager locks;
  private final LockProperties properties;
  private final JsonMapper json;
  private final Map<String, Channel> channels = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor timeouts;

  LockChannel(LockManager locks, LockProperties properties, JsonMapper json) {
    this.locks = locks;
    this.properties = properties;
    this.json = json;
    // Ends the waits that ran out. Most acquires are answered first, so their timeouts are
    // cancelled, and taken out at once rather than piling up until they are due.
    this.timeouts =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().name("lock-channel-timeouts").daemon().factory());
    this.timeouts.setRemoveOnCancelPolicy(true);
    locks.onEnded(this::closeSocketsOf);
  }

  /**
   * Closes the sockets of a principal whose locks were all released at once: a worker declared
   * lost. Its token no longer opens anything, and a socket it opened before must not either.
   */
  private void closeSocketsOf(String principal) {
    for (Channel channel : channels.values()) {
      if (LockManager.fallsUnder(channel.principal(), principal)) {
        channel.peer().close("its principal ended");
      }
    }
  }

  /** How many sockets are open. */
  public int sockets() {
    return channels.size();
  }

  /** Stops the timer of the waits with the service. */
  @Override
  public void close() {
    timeouts.shutdownNow();
  }

  /** One message from a client. */
  record Request(
      @Nullable Long id,
      @Nullable String op,
      @Nullable String lock,
      @Nullable String owner,
      @Nullable String requestId,
      @Nullable Long leaseMs,
      @Nullable Long waitMs,
      @Nullable Long token,
      @Nullable Boolean quiet) {}

  /**
   * An answer: the body the HTTP call would answer, after the {@code id} of the message it answers.
   * A problem detail carries its {@code status}; a grant or a release has none.
   */
  private static Map<String, Object> answer(@Nullable Long id) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", id);
    return answer;
  }

  static Map<String, Object> granted(long id, Grant grant) {
    Map<String, Object> answer = answer(id);
    answer.put("name", grant.name());
    answer.put("token", grant.token());
    answer.put("expiresAt", grant.expiresAt());
    answer.put("leaseMs", grant.leaseMs());
    return answer;
  }

  static Map<String, Object> released(long id, String name) {
    Map<String, Object> answer = answer(id);
    answer.put("name", name);
    answer.put("released", true);
    return answer;
  }

  /** The problem detail the HTTP call would answer, with the same type URI. */
  static Map<String, Object> problem(@Nullable Long id, PipewrightException e) {
    Map<String, Object> answer = answer(id);
    answer.put("type", ProblemType.BASE + e.type());
    answer.put("status", e.status());
    answer.put("title", e.title());
    answer.put("detail", e.getMessage());
    if (!e.fieldErrors().isEmpty()) {
      answer.put("errors", e.fieldErrors());
    }
    return answer;
  }

  /** One open socket: its principal, and its acquires not answered yet. */
  private record Channel(Peer peer, String principal, Map<Long, Request> unanswered) {}

  /** A socket whose caller was let in as {@code principal}. */
  void opened(Peer peer, String principal) {
    channels.put(peer.id(), new Channel(peer, principal, new ConcurrentHashMap<>()));
  }

  /** One message from a socket: answered on it, now or once settled. */
  void received(Peer peer, String message) {
    Channel channel = channels.get(peer.id());
    if (channel == null) {
      return;
    }
    Request request;
    try {
      request = json.readValue(message, Request.class);
    } catch (JacksonException e) {
      send(channel, problem(null, invalid("message", "not a JSON object")));
      return;
    }
    if (request.id() == null) {
      send(channel, problem(null, invalid("id", "required")));
      return;
    }
    long id = request.id();
    String op = request.op() == null ? "" : request.op();
    switch (op) {
      case "acquire" -> {
        if (channel.unanswered().putIfAbsent(id, request) != null) {
          send(channel, problem(id, invalid("id", "already waiting: " + id)));
          return;
        }
        acquire(channel, id, request);
      }
      case "renew" -> answer(channel, id, () -> renew(channel, id, request));
      case "release" -> {
        if (Boolean.TRUE.equals(request.quiet())) {
          releaseQuietly(channel, id, request);
        } else {
          answer(channel, id, () -> release(channel, id, request));
        }
      }
      default ->
          send(channel, problem(id, invalid("op", "acquire, renew or release, not '" + op + "'")));
    }
  }

  private void acquire(Channel channel, long id, Request request) {
    String name = request.lock() == null ? "" : request.lock();
    long waitMs = properties.waitOrDefault(request.waitMs());
    Waiting waiting = new Waiting(channel, id);
    Runnable giveUp;
    try {
      giveUp =
          locks.acquire(
              name,
              LockChecks.text("owner", request.owner()),
              LockChecks.text("requestId", request.requestId()),
              properties.leaseOrDefault(request.leaseMs()),
              waitMs,
              channel.principal(),
              waiting);
    } catch (PipewrightException e) { // its own fields, checked before the lock is touched
      waiting.failed(e);
      return;
    }
    if (giveUp != null) {
      waiting.timeout = timeouts.schedule(giveUp, waitMs, TimeUnit.MILLISECONDS);
    }
  }

  /** An acquire of this socket that is not answered yet. */
  private final class Waiting implements PendingAcquire {

    private final Channel channel;
    private final long id;
    volatile @Nullable ScheduledFuture<?> timeout;

    Waiting(Channel channel, long id) {
      this.channel = channel;
      this.id = id;
    }

    @Override
    public void granted(Grant grant) {
      cancelTimeout();
      // Once sent it leaves the unanswered: a close after that leaves the grant to its lease, as
      // over HTTP. Not sent, it stays for the socket's close, which always follows and releases
      // it; a close that came first withdrew the waiter, so no grant was made.
      if (send(channel, LockChannel.granted(id, grant))) {
        channel.unanswered().remove(id);
      }
    }

    @Override
    public void failed(PipewrightException problem) {
      cancelTimeout();
      send(channel, LockChannel.problem(id, problem));
      channel.unanswered().remove(id);
    }

    private void cancelTimeout() {
      ScheduledFuture<?> due = timeout;
      if (due != null) {
        due.cancel(false);
      }
    }
  }

  private Map<String, Object> renew(Channel channel, long id, Request request) {
    String name = request.lock() == null ? "" : request.lock();
    long token = LockChecks.token(request.token());
    return granted(id, locks.renew(name, token, request.leaseMs(), channel.principal()));
  }

  private Map<String, Object> release(Channel channel, long id, Request request) {
    String name = request.lock() == null ? "" : request.lock();
    locks.release(name, request.token(), request.requestId(), channel.principal());
    return released(id, name);
  }

  /**
   * A release answered only when refused: its caller goes on at once, and hears from this socket
   * only if something was wrong. A client that releases and takes a lock again then costs the
   * control plane one wake-up, not two, and itself no round trip.
   */
  private void releaseQuietly(Channel channel, long id, Request request) {
    try {
      release(channel, id, request);
    } catch (PipewrightException e) {
      send(channel, problem(id, e));
    }
  }

  private interface Call {
    Map<String, Object> answer();
  }

  private void answer(Channel channel, long id, Call call) {
    Map<String, Object> answer;
    try {
      answer = call.answer();
    } catch (PipewrightException e) {
      answer = problem(id, e);
    }
    send(channel, answer);
  }

  private static PipewrightException invalid(String field, String message) {
    return new InvalidLockRequestException(field, message);
  }

  /** Whether the answer was sent, or waits to be. */
  private boolean send(Channel channel, Map<String, Object> answer) {
    return channel.peer().send(json.writeValueAsString(answer));
  }

  /** The socket ended: what it still waited for is withdrawn, as nobody is left to hear of it. */
  void closed(Peer peer) {
    Channel channel = channels.remove(peer.id());
    if (channel == null) {
      return;
    }
    for (Request pending : channel.unanswered().values()) {
      if (pending.lock() == null || pending.requestId() == null) {
        continue; // refused before it was queued, its answer on the way
      }
      try {
        locks.releaseRequest(pending.lock(), pending.requestId(), channel.principal());
      } catch (PipewrightException e) {
        // Never queued (a bad request), or already answered and gone.
      }
    }
  }
}
