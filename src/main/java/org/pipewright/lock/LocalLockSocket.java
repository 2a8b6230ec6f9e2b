package org.pipewright.lock;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.pipewright.PipewrightException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lock channel over a Unix socket, for clients on the control plane's own host: the local
 * workers. The same protocol as the WebSocket ({@link LockChannel}), one message per line.
 *
 * <p>One thread serves every socket from a selector. Through Tomcat every message woke its poller
 * and then a handler thread; here a client's release and its next acquire arrive and are handled in
 * one wake-up of one thread, and nothing waits in between. Answers are written without blocking
 * from whichever thread settles them (a release handing the lock on, a timer); what a client does
 * not take at once waits in its outbox, and a client whose outbox passes {@link #MAX_OUTBOX_BYTES}
 * (it stopped reading) is closed, so no other client waits on it.
 *
 * <p>The file is the owner's only ({@code rw-------}), and the first line a client sends is its
 * bearer token, checked as the WebSocket's handshake is ({@link LockSocketAdmission}), off the
 * selector's thread. The answer is {@code {"ready":true}}, or a problem detail (401, 403, 429)
 * after which the socket is closed. A lock file beside the socket ({@code <socket>.lock}) says
 * which control plane owns the path: only its holder binds, replaces or deletes the socket.
 */
public final class LocalLockSocket implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalLockSocket.class);

  /** A line longer than this is refused and its socket closed: lock messages are small. */
  static final int MAX_LINE_BYTES = 64 * 1024;

  /** The most sockets let in at once; one more is refused (429). */
  static final int MAX_SOCKETS = 1_000;

  /** The most sockets that have not sent their token yet; one more is refused (429). */
  static final int MAX_UNANSWERED = 64;

  /** What may wait to be sent to one client before it counts as not reading and is closed. */
  static final int MAX_OUTBOX_BYTES = 1 << 20;

  /** How long a client may take to send its token before its socket is closed. */
  static final long TIME_LIMIT_MS = 10_000;

  private final LockChannel channel;
  private final LockSocketAdmission admission;
  private final JsonMapper json;
  private final Path path;
  private final FileChannel ownerFile;
  private final FileLock owner;
  private final ServerSocketChannel server;
  private final Selector selector;
  private final long timeLimitNanos;
  private final Map<String, Connection> open = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicLong numbers = new AtomicLong();
  private final ExecutorService admissions = Executors.newVirtualThreadPerTaskExecutor();
  private final ByteBuffer in = ByteBuffer.allocate(16 * 1024);
  private final Thread loop;
  private volatile boolean closed;
  private long acceptAgainAt;
  private long lastLook = System.nanoTime();

  private LocalLockSocket(
      LockChannel channel,
      LockSocketAdmission admission,
      JsonMapper json,
      Path path,
      FileChannel ownerFile,
      FileLock owner,
      ServerSocketChannel server,
      long timeLimitMs)
      throws IOException {
    this.channel = channel;
    this.admission = admission;
    this.json = json;
    this.path = path;
    this.ownerFile = ownerFile;
    this.owner = owner;
    this.server = server;
    this.timeLimitNanos = TimeUnit.MILLISECONDS.toNanos(timeLimitMs);
    this.selector = Selector.open();
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
    this.loop = Thread.ofPlatform().name("lock-socket").daemon().start(this::serve);
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
    FileChannel ownerFile = null;
    ServerSocketChannel server = null;
    try {
      Files.createDirectories(file.getParent());
      ownerFile =
          FileChannel.open(
              file.resolveSibling(file.getFileName() + ".lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
      FileLock owner = tryLock(ownerFile);
      if (owner == null) {
        log.warn(
            "Not listening at {}: another control plane owns it; local workers use the lock"
                + " channel's WebSocket",
            file);
        ownerFile.close();
        return null;
      }
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        // Left by an owner that was killed. Only a socket is replaced: a path set by mistake to
        // someone's file must not cost them the file.
        if (!Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
            .isOther()) {
          throw new IOException(file + " exists and is not a socket");
        }
        Files.delete(file);
      }
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(file));
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      log.info("Lock channel for local workers at {}", file);
      return new LocalLockSocket(
          channel, admission, json, file, ownerFile, owner, server, timeLimitMs);
    } catch (IOException | RuntimeException e) {
      closeQuietly(server);
      closeQuietly(ownerFile); // lets go of the lock, if taken
      log.warn(
          "Not listening at {} ({}); local workers use the lock channel's WebSocket",
          file,
          e.toString());
      return null;
    }
  }

  private static @Nullable FileLock tryLock(FileChannel file) throws IOException {
    try {
      return file.tryLock();
    } catch (OverlappingFileLockException e) { // another control plane in this JVM (tests)
      return null;
    }
  }

  private static void closeQuietly(@Nullable AutoCloseable closeable) {
    if (closeable != null) {
      try {
        closeable.close();
      } catch (Exception e) {
        log.debug("lock socket: close failed: {}", e.toString());
      }
    }
  }

  /** One message as the socket carries it: its UTF-8 and a newline. */
  private static ByteBuffer line(String text) {
    return ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Where it listens. */
  public Path path() {
    return path;
  }

  /** How many sockets are let in. */
  public int sockets() {
    int let = 0;
    for (Connection connection : open.values()) {
      if (connection.state == State.OPEN) {
        let++;
      }
    }
    return let;
  }

  /** Runs {@code task} on the selector's thread, which is the only one to touch keys. */
  private void onLoop(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  private void serve() {
    long tick = Math.max(1, Math.min(1_000, TimeUnit.NANOSECONDS.toMillis(timeLimitNanos) / 4));
    while (!closed) {
      try {
        selector.select(tick);
        for (Runnable task; (task = tasks.poll()) != null; ) {
          task.run();
        }
        for (SelectionKey key : selector.selectedKeys()) {
          if (!key.isValid()) {
            continue;
          }
          if (key.isAcceptable()) {
            accept();
          } else if (key.attachment() instanceof Connection connection) {
            handle(key, connection);
          }
        }
        selector.selectedKeys().clear();
        long now = System.nanoTime();
        if (now - lastLook >= TimeUnit.MILLISECONDS.toNanos(tick)) {
          lastLook = now;
          closeLate(now);
        }
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          log.warn("lock socket: {}", e.toString(), e);
        }
      }
    }
  }

  /** One socket's turn; what goes wrong with it closes it, not the loop. */
  private void handle(SelectionKey key, Connection connection) {
    try {
      if (key.isWritable()) {
        connection.flush();
      }
      if (key.isValid() && key.isReadable()) {
        connection.read();
      }
    } catch (RuntimeException e) {
      log.warn("lock socket {}: {}", connection.id(), e.toString(), e);
      connection.close("failed");
    }
  }

  private void accept() throws IOException {
    SocketChannel client;
    try {
      client = server.accept();
    } catch (IOException e) {
      // Out of file descriptors, say: accepting again at once would only spin.
      log.warn("lock socket: accept failed, pausing for a second: {}", e.toString());
      server.keyFor(selector).interestOps(0);
      acceptAgainAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      return;
    }
    if (client == null) {
      return;
    }
    client.configureBlocking(false);
    Connection connection = new Connection(client, "local-" + numbers.incrementAndGet());
    connection.key = client.register(selector, SelectionKey.OP_READ, connection);
    open.put(connection.id(), connection);
    long waiting = open.values().stream().filter(c -> c.state == State.TOKEN).count();
    if (waiting > MAX_UNANSWERED || open.size() > MAX_SOCKETS + MAX_UNANSWERED) {
      connection.refuse(
          new TooManyLocksException("too many lock sockets are open; try again shortly"));
    }
  }

  /** Closes the sockets that did not send their token in time; accepts again after a pause. */
  private void closeLate(long now) {
    for (Connection connection : open.values()) {
      if (connection.state == State.TOKEN && now - connection.deadline > 0) {
        log.debug("lock socket {}: no token in time, closed", connection.id());
        connection.close("no token in time");
      }
    }
    if (acceptAgainAt != 0 && now - acceptAgainAt > 0) {
      acceptAgainAt = 0;
      server.keyFor(selector).interestOps(SelectionKey.OP_ACCEPT);
    }
  }

  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    try {
      loop.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Connection connection : open.values()) {
      connection.close("the service stops");
      connection.ended();
    }
    admissions.shutdownNow();
    closeQuietly(server);
    closeQuietly(selector);
    try {
      Files.deleteIfExists(path); // ours: the owner's lock is still held
    } catch (IOException e) {
      log.debug("lock socket: {} not deleted: {}", path, e.toString());
    }
    closeQuietly(owner);
    closeQuietly(ownerFile);
  }

  private enum State {
    /** Its token not read yet, or being checked. */
    TOKEN,
    /** Let in: its lines are messages. */
    OPEN,
    /** Closed, or refused and closed. */
    ENDED
  }

  /** One client's socket: lines in on the selector's thread, answers out from any thread. */
  private final class Connection implements LockChannel.Peer {

    private final SocketChannel socket;
    private final String id;
    private final ArrayDeque<ByteBuffer> outbox = new ArrayDeque<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private int outboxBytes;
    private byte[] line = new byte[256];
    private int length;
    private volatile @Nullable SelectionKey key;
    volatile State state = State.TOKEN;
    final long deadline = System.nanoTime() + timeLimitNanos;

    Connection(SocketChannel socket, String id) {
      this.socket = socket;
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    /** Reads what arrived and handles each whole line. On the selector's thread. */
    void read() {
      in.clear();
      int read;
      try {
        read = socket.read(in);
      } catch (IOException e) {
        log.debug("lock socket {}: {}", id, e.toString());
        read = -1;
      }
      if (read < 0) {
        close("closed by the client");
        return;
      }
      in.flip();
      consume(in);
    }

    private void consume(ByteBuffer bytes) {
      while (bytes.hasRemaining() && state != State.ENDED) {
        byte b = bytes.get();
        if (b != '\n') {
          if (length == MAX_LINE_BYTES) {
            refuse(
                new InvalidLockRequestException(
                    "message", "longer than " + MAX_LINE_BYTES + " bytes"));
            return;
          }
          if (length == line.length) {
            line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, line.length * 2));
          }
          line[length++] = b;
          continue;
        }
        String text = new String(line, 0, length, StandardCharsets.UTF_8);
        length = 0;
        if (state == State.TOKEN) {
          // What came after the token is read once the token is let in.
          byte[] rest = new byte[bytes.remaining()];
          bytes.get(rest);
          admit(text.strip(), rest);
          return;
        }
        channel.received(this, text);
      }
    }

    /** Checks the token off the selector's thread: it may need the database. */
    private void admit(String token, byte[] rest) {
      SelectionKey own = key;
      if (own != null) {
        own.interestOps(0);
      }
      admissions.execute(() -> {
        String principal;
        try {
          principal = admission.principalOf(token);
        } catch (PipewrightException e) {
          onLoop(() -> refuse(e));
          return;
        } catch (RuntimeException e) { // the database away, say: the client tries again
          log.warn("lock socket {}: its token could not be checked: {}", id, e.toString());
          close("its token could not be checked");
          return;
        }
        synchronized (this) {
          if (state != State.TOKEN) {
            return; // closed meanwhile
          }
          state = State.OPEN;
        }
        channel.opened(this, principal);
        send("{\"ready\":true}");
        onLoop(() -> {
          SelectionKey mine = key;
          if (mine != null && mine.isValid()) {
            mine.interestOps(mine.interestOps() | SelectionKey.OP_READ);
            consume(ByteBuffer.wrap(rest));
          }
        });
      });
    }

    @Override
    public boolean send(String text) {
      ByteBuffer out = line(text);
      synchronized (this) {
        if (state == State.ENDED) {
          return false;
        }
        if (outbox.isEmpty()) {
          try {
            socket.write(out);
          } catch (IOException e) {
            log.debug("lock socket {}: answer not sent: {}", id, e.toString());
            close("it broke");
            return false;
          }
          if (!out.hasRemaining()) {
            return true;
          }
          onLoop(this::wantWrite);
        }
        outbox.add(out);
        outboxBytes += out.remaining();
        if (outboxBytes > MAX_OUTBOX_BYTES) {
          log.debug("lock socket {}: takes no answers, closed", id);
          close("takes no answers");
          return false;
        }
        return true;
      }
    }

    private void wantWrite() {
      SelectionKey own = key;
      if (own != null && own.isValid()) {
        own.interestOps(own.interestOps() | SelectionKey.OP_WRITE);
      }
    }

    /** Writes what waits, as far as the client takes it. On the selector's thread. */
    synchronized void flush() {
      try {
        while (!outbox.isEmpty()) {
          ByteBuffer next = outbox.peek();
          int before = next.remaining();
          socket.write(next);
          outboxBytes -= before - next.remaining();
          if (next.hasRemaining()) {
            return;
          }
          outbox.poll();
        }
      } catch (IOException e) {
        log.debug("lock socket {}: answer not sent: {}", id, e.toString());
        close("it broke");
        return;
      }
      SelectionKey own = key;
      if (own != null && own.isValid()) {
        own.interestOps(own.interestOps() & ~SelectionKey.OP_WRITE);
      }
    }

    /**
     * Answers a problem with no message id, then closes. The answer goes only if nothing else waits
     * to be sent and the socket takes it at once: it is small, and a client that does not read gets
     * no answers anyway.
     */
    void refuse(PipewrightException problem) {
      synchronized (this) {
        if (state != State.ENDED && outbox.isEmpty()) {
          ByteBuffer out = line(json.writeValueAsString(LockChannel.problem(null, problem)));
          try {
            socket.write(out);
          } catch (IOException e) {
            log.debug("lock socket {}: refusal not sent: {}", id, e.toString());
          }
        }
      }
      close(problem.getMessage());
    }

    @Override
    public void close(String reason) {
      synchronized (this) {
        state = State.ENDED;
        outbox.clear();
        outboxBytes = 0;
      }
      try {
        socket.close();
      } catch (IOException e) {
        log.debug("lock socket {}: close ({}) failed: {}", id, reason, e.toString());
      }
      onLoop(this::ended);
    }

    /** Forgets the socket and withdraws what it waited for, once. */
    void ended() {
      if (ended.compareAndSet(false, true)) {
        open.remove(id);
        channel.closed(this);
      }
    }
  }
}
