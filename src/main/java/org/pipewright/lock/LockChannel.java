package org.pipewright.lock;

import java.io.IOException;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.SessionLimitExceededException;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shared locks over one WebSocket ({@code docs/shared-log.md}, "The lock channel"): the same
 * acquire, renew and release as the HTTP calls, with the same checks and answers, but without an
 * HTTP request each. A client that takes a lock many times a second keeps one socket open and
 * numbers its messages; each gets one answer with the same {@code id}.
 *
 * <p>An acquire waits without a thread: its answer is sent by whoever settles it, the release that
 * hands the lock on or the timer that ends its wait. So a socket may wait for several locks and
 * still renew and release others meanwhile, and a handoff costs no thread switch. The socket's
 * principal is the caller of the handshake. An acquire still unanswered when the socket closes is
 * withdrawn (or its grant released): nobody is left to hear of it. Grants already answered keep
 * their leases, as over HTTP.
 */
public class LockChannel extends TextWebSocketHandler implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LockChannel.class);

  /** How long a send may block before the socket is given up: a client that stopped reading. */
  private static final int SEND_TIME_LIMIT_MS = 10_000;

  /** How much may wait to be sent to a slow client before the socket is given up. */
  private static final int SEND_BUFFER_LIMIT = 1 << 20;

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
        try {
          channel.session().close(CloseStatus.POLICY_VIOLATION.withReason("its principal ended"));
        } catch (IOException e) {
          log.debug("lock channel {}: close failed: {}", channel.session().getId(), e.toString());
        }
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
      @Nullable Long token) {}

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
  private record Channel(
      WebSocketSession session, String principal, Map<Long, Request> unanswered) {}

  @Override
  public void afterConnectionEstablished(WebSocketSession session) throws IOException {
    Principal principal = session.getPrincipal();
    if (principal == null) { // the security rules let no anonymous handshake through
      session.close(CloseStatus.POLICY_VIOLATION);
      return;
    }
    WebSocketSession sending =
        new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MS, SEND_BUFFER_LIMIT);
    channels.put(
        session.getId(), new Channel(sending, principal.getName(), new ConcurrentHashMap<>()));
  }

  @Override
  protected void handleTextMessage(WebSocketSession session, TextMessage message) {
    Channel channel = channels.get(session.getId());
    if (channel == null) {
      return;
    }
    Request request;
    try {
      request = json.readValue(message.getPayload(), Request.class);
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
      case "release" -> answer(channel, id, () -> release(channel, id, request));
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
      answer(LockChannel.granted(id, grant));
    }

    @Override
    public void failed(PipewrightException problem) {
      answer(LockChannel.problem(id, problem));
    }

    private void answer(Map<String, Object> answer) {
      ScheduledFuture<?> due = timeout;
      if (due != null) {
        due.cancel(false);
      }
      // Sent before it leaves the unanswered: a close meanwhile withdraws it, grant and all.
      send(channel, answer);
      channel.unanswered().remove(id);
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

  private void send(Channel channel, Map<String, Object> answer) {
    try {
      channel.session().sendMessage(new TextMessage(json.writeValueAsString(answer)));
    } catch (IOException | IllegalStateException | SessionLimitExceededException e) {
      // The socket is closing or the client stopped reading: its close withdraws what waits.
      log.debug("lock channel {}: answer not sent: {}", channel.session().getId(), e.toString());
    }
  }

  @Override
  public void handleTransportError(WebSocketSession session, Throwable exception) {
    log.debug("lock channel {}: {}", session.getId(), exception.toString());
  }

  @Override
  public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
    Channel channel = channels.remove(session.getId());
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
