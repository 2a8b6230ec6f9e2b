package org.pipewright.worker.runtime;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The locks over the control plane's lock channel (docs/shared-log.md, "The lock channel"): one
 * socket, opened at the first lock call, carries every acquire, renew and release of this worker's
 * jobs; a thread of its own reads the answers and hands each to its caller by the message's id. A
 * handoff then costs the control plane no HTTP request and no waiting thread. The socket is the
 * control plane's Unix socket when it runs on this host and said where ({@code
 * PIPEWRIGHT_LOCK_SOCKET}), else the WebSocket.
 *
 * <p>A control plane that has no channel (it answers the handshake with a 4xx other than 401 or
 * 403) is asked over HTTP from then on; a refused token is answered as the call would answer it. A
 * socket that breaks fails the calls in flight as unreachable, which their callers retry as they
 * would an HTTP call; the next call opens a new socket.
 */
final class LockChannelClient implements LockCalls {

  static final String PATH = "/api/lock-channel";

  /** How long a connection and its handshake may take. */
  private static final int CONNECT_TIMEOUT_MS = 10_000;

  private final URI base;
  private final @Nullable Path local;
  private final SessionToken session;
  private final LockCalls fallback;
  private final AtomicLong ids = new AtomicLong();
  private volatile @Nullable Open current;
  private volatile boolean refused;

  /** One socket and the calls that wait for its answers. */
  private static final class Open {
    final MessageSocket connection;
    final Map<Long, CompletableFuture<HttpAnswer>> waiting = new ConcurrentHashMap<>();

    /** Quiet releases not known to be done: nothing sent after them was answered yet. */
    final ConcurrentSkipListMap<Long, Consumer<HttpAnswer>> quiet = new ConcurrentSkipListMap<>();

    volatile boolean broken;

    Open(MessageSocket connection) {
      this.connection = connection;
    }
  }

  /** The token a socket opens with: the worker's session token. */
  interface SessionToken {
    String session();
  }

  /**
   * @param local the control plane's Unix socket on this host, or null to use the WebSocket
   * @param session whose token opens the socket, read as each socket opens
   * @param fallback the HTTP calls, for a control plane without the channel
   */
  LockChannelClient(URI base, @Nullable Path local, SessionToken session, LockCalls fallback) {
    this.base = base;
    this.local = local;
    this.session = session;
    this.fallback = fallback;
  }

  /** The token was refused, on the channel's handshake: answered as the call would be. */
  private static final class TokenRefused extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    TokenRefused(int status) {
      super(null, null, false, false);
      this.status = status;
    }
  }

  /**
   * The open socket, opened now if need be; null when this control plane has no channel and the
   * calls go over HTTP.
   */
  private @Nullable Open socket() throws UnreachableException, TokenRefused {
    if (refused) {
      return null;
    }
    try {
      return open();
    } catch (WebSocketConnection.RefusedHandshakeException e) {
      int status = e.status();
      if (status == 401 || status == 403) {
        throw new TokenRefused(status);
      }
      if (status >= 500 || status == 0) {
        throw new UnreachableException("lock channel: " + e.getMessage(), e);
      }
      refused = true;
      WorkerLog.warn("no lock channel, taking locks over HTTP: " + e.getMessage());
      return null;
    } catch (IOException e) {
      throw new UnreachableException("lock channel: " + e.getMessage(), e);
    }
  }

  @Override
  public HttpAnswer call(String op, String name, byte[] body, int timeoutMs)
      throws UnreachableException {
    Open socket;
    try {
      socket = socket();
    } catch (TokenRefused e) {
      // The token, not the channel: answered as the call would be, which the caller knows.
      return new HttpAnswer(e.status, "");
    }
    if (socket == null) {
      return fallback.call(op, name, body, timeoutMs);
    }
    CompletableFuture<HttpAnswer> answer = new CompletableFuture<>();
    long id = 0;
    try {
      id = send(socket, op, name, body, false, answer, null);
      return await(answer, timeoutMs);
    } catch (IOException e) {
      broken(socket, e);
      throw new UnreachableException("lock channel: " + op + " of '" + name + "' failed", e);
    } catch (TimeoutException e) {
      // A socket that stays silent this long is as good as broken: start afresh.
      broken(socket, new IOException("no answer within " + timeoutMs + " ms"));
      throw new UnreachableException(
          "lock channel: no answer to " + op + " of '" + name + "' within " + timeoutMs + " ms", e);
    } finally {
      socket.waiting.remove(id);
    }
  }

  /**
   * Sends a quiet release, which the control plane answers only when it refuses it, and returns at
   * once. The release is done before anything this worker sends after it, on the same socket: the
   * next acquire of the same lock finds it released.
   */
  @Override
  public void releaseQuietly(String name, byte[] body, int timeoutMs, Consumer<HttpAnswer> refusal)
      throws UnreachableException {
    Open socket;
    try {
      socket = socket();
    } catch (TokenRefused e) {
      refusal.accept(new HttpAnswer(e.status, ""));
      return;
    }
    if (socket == null) {
      fallback.releaseQuietly(name, body, timeoutMs, refusal);
      return;
    }
    try {
      send(socket, "release", name, body, true, null, refusal);
    } catch (IOException e) {
      broken(socket, e);
      throw new UnreachableException("lock channel: release of '" + name + "' failed", e);
    }
  }

  /**
   * Numbers the message and sends it, in one step per socket: the numbers must rise in the order
   * the messages go out, since an answer to one confirms the quiet releases numbered before it.
   *
   * @return the message's number
   */
  private long send(
      Open socket,
      String op,
      String name,
      byte[] body,
      boolean quiet,
      @Nullable CompletableFuture<HttpAnswer> answer,
      @Nullable Consumer<HttpAnswer> refusal)
      throws IOException {
    synchronized (socket) {
      long id = ids.incrementAndGet();
      if (answer != null) {
        socket.waiting.put(id, answer);
      }
      if (refusal != null) {
        socket.quiet.put(id, refusal);
      }
      try {
        if (socket.broken) { // broken after it was opened, before the call was in its lists
          throw new IOException("the lock channel broke");
        }
        socket.connection.sendText(message(id, op, name, body, quiet));
      } catch (IOException e) {
        socket.waiting.remove(id);
        socket.quiet.remove(id);
        throw e;
      }
      return id;
    }
  }

  /**
   * The call's answer. Not cut short by an interrupt, as an HTTP call's read is not: the caller
   * must learn what became of its acquire, and it waits at most the call's timeout.
   */
  private static HttpAnswer await(CompletableFuture<HttpAnswer> answer, int timeoutMs)
      throws IOException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** {@code {"id":7,"op":"acquire","lock":"name", ...the body's fields}}. */
  private static String message(long id, String op, String name, byte[] body, boolean quiet) {
    String fields = new String(body, StandardCharsets.UTF_8).trim();
    String head =
        "{\"id\":"
            + id
            + ",\"op\":\""
            + op
            + "\",\"lock\":\""
            + name
            + "\""
            + (quiet ? ",\"quiet\":true" : "");
    return fields.equals("{}") ? head + "}" : head + "," + fields.substring(1);
  }

  private synchronized Open open() throws IOException {
    Open open = current;
    if (open == null) {
      open = new Open(connect());
      current = open;
      Open reading = open;
      Thread reader = new Thread(() -> read(reading), "lock-channel");
      reader.setDaemon(true);
      reader.start();
    }
    return open;
  }

  /**
   * The Unix socket when there is one and it answers; else, as when the control plane has moved off
   * this host or did not take the socket, the WebSocket. A refused token is refused on both.
   */
  private MessageSocket connect() throws IOException {
    String token = session.session();
    if (local != null) {
      try {
        return LineSocket.open(local, token, CONNECT_TIMEOUT_MS);
      } catch (WebSocketConnection.RefusedHandshakeException e) {
        if (e.status() == 401 || e.status() == 403) {
          throw e; // the token, which the WebSocket would refuse too
        }
        WorkerLog.warn("lock socket " + local + " refused, using the WebSocket: " + e.getMessage());
      } catch (IOException e) {
        WorkerLog.warn("lock socket " + local + " unusable, using the WebSocket: " + e);
      }
    }
    return WebSocketConnection.open(base, PATH, token, CONNECT_TIMEOUT_MS);
  }

  /** The reader: hands each answer to its caller until the socket ends. */
  private void read(Open socket) {
    try {
      while (true) {
        String text = socket.connection.readText();
        Map<String, Object> json = JsonReader.parseObject(text);
        // A problem detail has its status; a grant or a release has none, and stands for 200.
        int status = json.get("status") instanceof Number number ? number.intValue() : 200;
        // No id: a problem with a message that had none, so none of this client's.
        if (!(json.get("id") instanceof Number number)) {
          continue;
        }
        long id = number.longValue();
        Consumer<HttpAnswer> refused = socket.quiet.remove(id);
        if (refused != null) {
          refused.accept(new HttpAnswer(status, text));
        } else {
          CompletableFuture<HttpAnswer> answer = socket.waiting.get(id);
          if (answer != null) {
            answer.complete(new HttpAnswer(status, text));
          }
        }
        // The control plane handles a socket's messages in order, and answers a refused quiet
        // release at once: those sent before this one went through.
        socket.quiet.headMap(id).clear();
      }
    } catch (IOException | JsonException e) {
      broken(socket, e instanceof IOException io ? io : new IOException(e.getMessage(), e));
    }
  }

  /** Closes a socket that failed and fails every call waiting on it; the next call reopens. */
  private void broken(Open socket, IOException why) {
    socket.broken = true;
    synchronized (this) {
      if (current == socket) {
        current = null;
      }
    }
    socket.connection.close();
    for (CompletableFuture<HttpAnswer> answer : socket.waiting.values()) {
      answer.completeExceptionally(why);
    }
    // Quiet releases sent before the break are not sent again. The bytes of one were written, or
    // its send failed and its caller sends it again; only a control plane that closed the socket
    // before reading them can have lost them, and it does that when it stops (its locks are gone)
    // or when this worker was declared lost (its locks were released). Else the lease ends it.
    socket.quiet.clear();
  }
}
