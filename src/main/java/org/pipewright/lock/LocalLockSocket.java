package org.pipewright.lock;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.pipewright.PipewrightException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lock channel over a Unix socket, for clients on the control plane's own host: the local
 * workers. The same protocol as the WebSocket ({@link LockChannel}), one message per line, with a
 * thread per socket that the kernel wakes for each message. Through Tomcat every message woke its
 * poller and then a handler thread, which on two cores capped four clients at about 6,000 lock
 * pairs a second; Ruffus's lock manager is a Unix socket too.
 *
 * <p>The file is the owner's only ({@code rw-------}), and the first line a client sends is its
 * bearer token, checked as the WebSocket's handshake is ({@link LockSocketAdmission}). The answer
 * is {@code {"ready":true}}, or a problem detail (401, 403) after which the socket is closed. Then
 * each line is a message and each answer a line, as on the WebSocket.
 */
public final class LocalLockSocket implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalLockSocket.class);

  /** A line longer than this is refused and its socket closed: lock messages are small. */
  static final int MAX_LINE_BYTES = 64 * 1024;

  /** The most sockets open at once; one more is refused (each holds a thread). */
  static final int MAX_SOCKETS = 1_000;

  /**
   * How long a client may take to send its token, and a send may block on a client that stopped
   * reading, before its socket is closed.
   */
  static final long TIME_LIMIT_MS = 10_000;

  private final LockChannel channel;
  private final LockSocketAdmission admission;
  private final JsonMapper json;
  private final Path path;
  private final ServerSocketChannel server;
  private final Map<String, Connection> open = new ConcurrentHashMap<>();
  private final AtomicLong numbers = new AtomicLong();
  private final ScheduledExecutorService watch;
  private final long timeLimitNanos;
  private volatile boolean closed;

  private LocalLockSocket(
      LockChannel channel,
      LockSocketAdmission admission,
      JsonMapper json,
      Path path,
      ServerSocketChannel server,
      long timeLimitMs) {
    this.channel = channel;
    this.timeLimitNanos = TimeUnit.MILLISECONDS.toNanos(timeLimitMs);
    this.admission = admission;
    this.json = json;
    this.path = path;
    this.server = server;
    this.watch =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("lock-socket-watch").daemon().factory());
    long every = Math.max(10, timeLimitMs / 10);
    watch.scheduleWithFixedDelay(this::closeStuck, every, every, TimeUnit.MILLISECONDS);
    Thread.ofPlatform().name("lock-socket").daemon().start(this::accept);
  }

  /**
   * Listens at {@code path}, or returns null with a warning when it cannot: the clients then take
   * their locks over the WebSocket, as a remote one does, only slower.
   */
  static @Nullable LocalLockSocket open(
      LockChannel channel, LockSocketAdmission admission, JsonMapper json, Path path) {
    return open(channel, admission, json, path, TIME_LIMIT_MS);
  }

  static @Nullable LocalLockSocket open(
      LockChannel channel,
      LockSocketAdmission admission,
      JsonMapper json,
      Path path,
      long timeLimitMs) {
    Path file = path.toAbsolutePath().normalize();
    try {
      if (Files.exists(file)) {
        if (listening(file)) {
          log.warn(
              "Not listening at {}: another control plane does; local workers use the"
                  + " lock channel's WebSocket",
              file);
          return null;
        }
        Files.delete(file); // left by a control plane that was killed
      }
      Files.createDirectories(file.getParent());
      ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        server.bind(UnixDomainSocketAddress.of(file));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (IOException | RuntimeException e) {
        server.close();
        throw e;
      }
      log.info("Lock channel for local workers at {}", file);
      return new LocalLockSocket(channel, admission, json, file, server, timeLimitMs);
    } catch (IOException | RuntimeException e) {
      log.warn(
          "Not listening at {} ({}); local workers use the lock channel's WebSocket",
          file,
          e.toString());
      return null;
    }
  }

  private static boolean listening(Path file) {
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(file))) {
      return probe.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

  /** Where it listens. */
  public Path path() {
    return path;
  }

  /** How many sockets are open. */
  public int sockets() {
    return open.size();
  }

  private void accept() {
    while (!closed) {
      SocketChannel client;
      try {
        client = server.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!closed) {
          log.warn("lock socket: accept failed: {}", e.toString());
        }
        continue;
      }
      Connection connection = new Connection(client, "local-" + numbers.incrementAndGet());
      if (open.size() >= MAX_SOCKETS) {
        connection.refuse(
            new TooManyLocksException(MAX_SOCKETS + " lock sockets are open, the most allowed"));
        continue;
      }
      open.put(connection.id(), connection);
      Thread.ofPlatform()
          .name("lock-socket-" + connection.id())
          .daemon()
          .stackSize(256 * 1024)
          .start(() -> serve(connection));
    }
  }

  /** One client: its token, then its messages until it goes away. */
  private void serve(Connection connection) {
    boolean opened = false;
    try {
      connection.deadline = System.nanoTime() + timeLimitNanos;
      String token = connection.readLine();
      connection.deadline = 0;
      if (token == null) {
        return;
      }
      String principal;
      try {
        principal = admission.principalOf(token.strip());
      } catch (PipewrightException e) {
        connection.refuse(e);
        return;
      }
      channel.opened(connection, principal);
      opened = true;
      connection.send("{\"ready\":true}");
      for (String line; (line = connection.readLine()) != null; ) {
        channel.received(connection, line);
      }
    } catch (LineTooLongException e) {
      connection.refuse(
          new InvalidLockRequestException("message", "longer than " + MAX_LINE_BYTES + " bytes"));
    } catch (IOException e) {
      log.debug("lock socket {}: {}", connection.id(), e.toString());
    } finally {
      if (opened) {
        channel.closed(connection);
      }
      connection.close("ended");
      open.remove(connection.id());
    }
  }

  /** Closes the sockets that did not send their token in time, or do not take their answers. */
  private void closeStuck() {
    long now = System.nanoTime();
    for (Connection connection : open.values()) {
      long deadline = connection.deadline;
      if (deadline != 0 && now - deadline > 0) {
        log.debug("lock socket {}: past its time limit, closed", connection.id());
        connection.close("past its time limit");
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    watch.shutdownNow();
    try {
      server.close();
    } catch (IOException e) {
      log.debug("lock socket: close failed: {}", e.toString());
    }
    for (Connection connection : open.values()) {
      connection.close("the service stops");
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      log.debug("lock socket: {} not deleted: {}", path, e.toString());
    }
  }

  private static final class LineTooLongException extends IOException {
    private static final long serialVersionUID = 1L;
  }

  /** One client's socket: lines in on its own thread, answers out from whichever settles them. */
  private final class Connection implements LockChannel.Peer {

    private final SocketChannel socket;
    private final String id;
    private final ByteBuffer in = ByteBuffer.allocate(8 * 1024).flip();
    private final Object sending = new Object();

    /** When what it does now (send its token, take an answer) must be done by; 0 for nothing. */
    volatile long deadline;

    Connection(SocketChannel socket, String id) {
      this.socket = socket;
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    /** The next line without its newline, or null at the end of the stream. */
    @Nullable String readLine() throws IOException {
      byte[] line = null;
      int length = 0;
      while (true) {
        for (int i = in.position(); i < in.limit(); i++) {
          if (in.get(i) == '\n') {
            int part = i - in.position();
            line = grow(line, length, part);
            in.get(line, length, part);
            in.get(); // the newline
            return new String(line, 0, length + part, StandardCharsets.UTF_8);
          }
        }
        int part = in.remaining();
        line = grow(line, length, part);
        in.get(line, length, part);
        length += part;
        in.clear();
        int read = socket.read(in);
        in.flip();
        if (read < 0) {
          return null;
        }
      }
    }

    private static byte[] grow(byte @Nullable [] line, int length, int more)
        throws LineTooLongException {
      if (length + more > MAX_LINE_BYTES) {
        throw new LineTooLongException();
      }
      if (line == null || line.length < length + more) {
        byte[] bigger = new byte[Math.max(256, Math.max(length + more, length * 2))];
        if (line != null) {
          System.arraycopy(line, 0, bigger, 0, length);
        }
        return bigger;
      }
      return line;
    }

    @Override
    public void send(String text) {
      ByteBuffer out = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
      synchronized (sending) {
        deadline = System.nanoTime() + timeLimitNanos;
        try {
          while (out.hasRemaining()) {
            socket.write(out);
          }
        } catch (IOException e) {
          // Closing, or closed by the watch: its close withdraws what waits.
          log.debug("lock socket {}: answer not sent: {}", id, e.toString());
        } finally {
          deadline = 0;
        }
      }
    }

    /** Answers a problem with no message id, then closes. */
    void refuse(PipewrightException problem) {
      send(json.writeValueAsString(LockChannel.problem(null, problem)));
      close(problem.getMessage());
    }

    @Override
    public void close(String reason) {
      try {
        socket.close();
      } catch (IOException e) {
        log.debug("lock socket {}: close ({}) failed: {}", id, reason, e.toString());
      }
    }
  }
}
