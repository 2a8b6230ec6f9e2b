package org.pipewright.lock;

import java.io.IOException;
import java.security.Principal;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.SessionLimitExceededException;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The lock channel over a WebSocket at {@code /api/lock-channel}: each text message is one message
 * of the protocol ({@link LockChannel}). Its principal is the caller of the handshake, which the
 * security rules let through only for callers that may take locks.
 */
class LockChannelWebSocket extends TextWebSocketHandler {

  private static final Logger log = LoggerFactory.getLogger(LockChannelWebSocket.class);

  /** How long a send may block before the socket is given up: a client that stopped reading. */
  private static final int SEND_TIME_LIMIT_MS = 10_000;

  /** How much may wait to be sent to a slow client before the socket is given up. */
  private static final int SEND_BUFFER_LIMIT = 1 << 20;

  private static final String PEER = LockChannelWebSocket.class.getName() + ".peer";

  /** The most answers that may wait for one session, while one is sent (at most 10 s). */
  private static final int MAX_QUEUED = 4_096;

  /** The threads that send answers, one at a time per session. */
  private static final Executor SENDERS = Executors.newVirtualThreadPerTaskExecutor();

  private final LockChannel channel;

  LockChannelWebSocket(LockChannel channel) {
    this.channel = channel;
  }

  /**
   * A session as the protocol's peer. An answer is sent on a thread of its own, in the order given:
   * it may be given by the thread that serves the Unix socket (a release there hands the lock to a
   * waiter here), and a client here that stopped reading must not hold that thread up. The
   * decorator bounds what waits and how long a send may take, then closes the session.
   */
  private static final class SessionPeer implements LockChannel.Peer {

    private final WebSocketSession session;
    private final ConcurrentLinkedQueue<String> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicInteger queued = new AtomicInteger();

    SessionPeer(WebSocketSession session) {
      this.session = session;
    }

    @Override
    public String id() {
      return "ws-" + session.getId();
    }

    @Override
    public boolean send(String text) {
      if (!session.isOpen()) {
        return false;
      }
      if (queued.incrementAndGet() > MAX_QUEUED) { // it sends and does not read
        queued.decrementAndGet();
        close("takes no answers");
        return false;
      }
      outbox.add(text);
      if (sending.compareAndSet(false, true)) {
        SENDERS.execute(this::drain);
      }
      return true;
    }

    private void drain() {
      do {
        for (String text; (text = outbox.poll()) != null; ) {
          queued.decrementAndGet();
          try {
            session.sendMessage(new TextMessage(text));
          } catch (IOException | IllegalStateException | SessionLimitExceededException e) {
            // The socket is closing or the client stopped reading: its close withdraws what waits.
            log.debug("lock channel {}: answer not sent: {}", session.getId(), e.toString());
          }
        }
        sending.set(false);
        // One added after the last poll and before the flag went down is sent by this thread.
      } while (!outbox.isEmpty() && sending.compareAndSet(false, true));
    }

    @Override
    public void close(String reason) {
      try {
        session.close(CloseStatus.POLICY_VIOLATION.withReason(reason));
      } catch (IOException e) {
        log.debug("lock channel {}: close failed: {}", session.getId(), e.toString());
      }
    }
  }

  @Override
  public void afterConnectionEstablished(WebSocketSession session) throws IOException {
    Principal principal = session.getPrincipal();
    if (principal == null) { // the security rules let no anonymous handshake through
      session.close(CloseStatus.POLICY_VIOLATION);
      return;
    }
    SessionPeer peer =
        new SessionPeer(
            new ConcurrentWebSocketSessionDecorator(
                session, SEND_TIME_LIMIT_MS, SEND_BUFFER_LIMIT));
    session.getAttributes().put(PEER, peer);
    channel.opened(peer, principal.getName());
  }

  @Override
  protected void handleTextMessage(WebSocketSession session, TextMessage message) {
    if (session.getAttributes().get(PEER) instanceof SessionPeer peer) {
      channel.received(peer, message.getPayload());
    }
  }

  @Override
  public void handleTransportError(WebSocketSession session, Throwable exception) {
    log.debug("lock channel {}: {}", session.getId(), exception.toString());
  }

  @Override
  public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
    if (session.getAttributes().get(PEER) instanceof SessionPeer peer) {
      channel.closed(peer);
    }
  }
}
