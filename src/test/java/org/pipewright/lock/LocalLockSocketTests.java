package org.pipewright.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pipewright.lock.LockChannelTests.acquire;
import static org.pipewright.lock.LockChannelTests.problem;
import static org.pipewright.lock.LockChannelTests.release;
import static org.pipewright.lock.LockChannelTests.token;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.SteppedClock;
import org.pipewright.worker.runtime.LineSocket;
import org.pipewright.worker.runtime.WebSocketConnection;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lock channel on its Unix socket, for clients on the control plane's host: the token first,
 * checked as the WebSocket's handshake is; then the same messages and answers, one per line; a file
 * only its owner may open, which a control plane killed earlier does not keep from being taken.
 */
@SpringBootTest(
    properties = {
      "spring.datasource.url=jdbc:h2:mem:local-lock-socket;DB_CLOSE_DELAY=-1",
      "pipewright.security.admin-token=test-token",
      "pipewright.workers.launcher=none"
    })
class LocalLockSocketTests {

  static final String TOKEN = LockChannelTests.TOKEN;
  static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path folder;

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("pipewright.workspace.root", () -> folder.toString());
    registry.add("pipewright.locks.socket", () -> folder.resolve("run/locks.sock").toString());
    registry.add("pipewright.security.tokens[0].name", () -> "vera");
    registry.add("pipewright.security.tokens[0].role", () -> "viewer");
    registry.add(
        "pipewright.security.tokens[0].sha256",
        () -> HexFormat.of().formatHex(LockChannelTests.sha256(LockChannelTests.VIEWER)));
  }

  @Autowired LocalLockChannel local;
  @Autowired LockManager locks;

  LineSocket open() throws IOException {
    return LineSocket.open(local.path().orElseThrow(), TOKEN, 10_000);
  }

  static JsonNode next(LineSocket socket) throws IOException {
    return JSON.readTree(socket.readText());
  }

  @Test
  void theSocketIsTheOwnersOnlyAndWhereTheSettingsSay() throws IOException {
    Path path = local.path().orElseThrow();
    assertThat(path).isEqualTo(folder.resolve("run/locks.sock"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
        .isEqualTo("rw-------");
  }

  @Test
  void aGrantOverTheSocketIsTheSameLockTheManagerHoldsAndGoesToTheNextWaiterInOrder()
      throws Exception {
    try (LineSocket holder = open();
        LineSocket first = open();
        LineSocket second = open()) {
      holder.sendText(acquire(1, "local.queue", "holder", 0));
      long held = token(next(holder));
      assertThat(locks.find("local.queue"))
          .hasValueSatisfying(view -> assertThat(view.token()).isEqualTo(held));

      first.sendText(acquire(1, "local.queue", "first", 10_000));
      awaitWaiting("local.queue", 1);
      second.sendText(acquire(1, "local.queue", "second", 10_000));
      awaitWaiting("local.queue", 2);

      holder.sendText(release(2, "local.queue", held));
      assertThat(next(holder).get("released").asBoolean()).isTrue();
      long firstToken = token(next(first));
      assertThat(firstToken).isGreaterThan(held);

      first.sendText(release(2, "local.queue", firstToken));
      assertThat(next(first).get("id").asLong()).isEqualTo(2);
      assertThat(token(next(second))).isGreaterThan(firstToken);
    }
  }

  private void awaitWaiting(String lock, int waiting) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (locks.find(lock).map(LockView::waiters).orElse(0) < waiting) {
      assertThat(System.nanoTime()).as("waiters queued in time").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void aSocketThatGoesAwayGivesUpWhatItWaitedFor() throws Exception {
    try (LineSocket holder = open();
        LineSocket behind = open()) {
      holder.sendText(acquire(1, "local.left", "holder", 0));
      long held = token(next(holder));
      try (LineSocket leaving = open()) {
        leaving.sendText(acquire(1, "local.left", "leaving", 10_000));
        awaitWaiting("local.left", 1);
      }
      behind.sendText(acquire(1, "local.left", "behind", 10_000));
      awaitWaiting("local.left", 1); // queued, perhaps still behind the one that left

      holder.sendText(release(2, "local.left", held));
      next(holder);
      assertThat(token(next(behind))).isGreaterThan(held);
    }
  }

  @Test
  void badMessagesAreAnsweredWithAProblemAndTheSocketStaysOpen() throws Exception {
    try (LineSocket socket = open()) {
      socket.sendText("not json");
      problem(next(socket), 422, "invalid-lock-request");
      socket.sendText(release(4, "never.held", 12345));
      problem(next(socket), 409, "lock-not-held");
      socket.sendText(acquire(5, "local.still.open", "r", 0));
      long held = token(next(socket));
      socket.sendText(release(6, "local.still.open", held));
      assertThat(next(socket).get("released").asBoolean()).isTrue();
    }
  }

  @Test
  void aQuietReleaseIsAnsweredOnlyWhenRefused() throws Exception {
    try (LineSocket holder = open();
        LineSocket waiter = open()) {
      holder.sendText(acquire(1, "local.quiet", "holder", 0));
      long held = token(next(holder));
      waiter.sendText(acquire(1, "local.quiet", "waiter", 10_000));
      awaitWaiting("local.quiet", 1);

      holder.sendText(quietRelease(2, "local.quiet", held));
      holder.sendText(quietRelease(3, "local.quiet", held)); // no longer its grant
      long handedOn = token(next(waiter));
      assertThat(handedOn).as("released, and handed on at once").isGreaterThan(held);
      JsonNode refused = problem(next(holder), 409, "lock-not-held");
      assertThat(refused.get("id").asLong()).as("the only answer: the refused one").isEqualTo(3);

      waiter.sendText(quietRelease(2, "local.quiet", handedOn));
      waiter.sendText(acquire(3, "local.quiet", "again", 0));
      assertThat(next(waiter).get("id").asLong())
          .as("the release went unanswered; the acquire after it found the lock free")
          .isEqualTo(3);
      assertThat(locks.find("local.quiet")).isPresent();
    }
  }

  static String quietRelease(long id, String lock, long token) {
    return "{\"id\": %d, \"op\": \"release\", \"lock\": \"%s\", \"token\": %d, \"quiet\": true}"
        .formatted(id, lock, token);
  }

  @Test
  void aLineOverTheLimitIsAnsweredWithAProblemAndTheSocketClosed() throws Exception {
    try (LineSocket socket = open()) {
      socket.sendText("x".repeat(LocalLockSocket.MAX_LINE_BYTES + 1));
      assertThat(problem(next(socket), 422, "invalid-lock-request").get("detail").asString())
          .contains("longer than");
      assertThatThrownBy(socket::readText).isInstanceOf(IOException.class);
    }
  }

  @Test
  void onlyATokenThatMayOpenTheLockChannelOpensTheSocket() {
    Path path = local.path().orElseThrow();
    assertThatThrownBy(() -> LineSocket.open(path, "wrong", 10_000))
        .isInstanceOfSatisfying(
            WebSocketConnection.RefusedHandshakeException.class,
            e -> assertThat(e.status()).isEqualTo(401));
    assertThatThrownBy(() -> LineSocket.open(path, LockChannelTests.VIEWER, 10_000))
        .isInstanceOfSatisfying(
            WebSocketConnection.RefusedHandshakeException.class,
            e -> assertThat(e.status()).isEqualTo(403));
  }

  @Test
  void theSocketsOfAPrincipalWhoseLocksWereAllReleasedAreClosed() throws Exception {
    try (LineSocket socket = open()) {
      socket.sendText(acquire(1, "local.ended", "r", 0));
      token(next(socket));

      locks.releaseHeldBy("admin"); // as when a worker is declared lost

      assertThatThrownBy(socket::readText).isInstanceOf(IOException.class);
      assertThat(locks.find("local.ended")).isEmpty();
    }
  }

  /** A lock channel of its own, for the tests that start and stop sockets. */
  static LockChannel channel() {
    AtomicLong epochs = new AtomicLong();
    return new LockChannel(
        new LockManager(epochs::incrementAndGet, new SteppedClock(), LockManagerTests.PROPERTIES),
        LockManagerTests.PROPERTIES,
        JSON);
  }

  @Test
  void aSocketFileLeftByAKilledControlPlaneIsTakenOver(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("locks.sock");
    // What a killed control plane leaves: the file, with nobody listening.
    ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    dead.bind(UnixDomainSocketAddress.of(path));
    dead.close();
    assertThat(path).exists();

    try (LockChannel channel = channel()) {
      LocalLockSocket socket = LocalLockSocket.open(channel, token -> "admin", JSON, path);
      assertThat(socket).isNotNull();
      try (LineSocket client = LineSocket.open(path, "any", 10_000)) {
        client.sendText(acquire(1, "taken.over", "r", 0));
        assertThat(token(JSON.readTree(client.readText()))).isPositive();
      } finally {
        socket.close();
      }
      assertThat(path).as("deleted when it stops").doesNotExist();
    }
  }

  @Test
  void aSocketAnotherControlPlaneListensOnIsLeftToIt(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("locks.sock");
    try (LockChannel channel = channel()) {
      LocalLockSocket first = LocalLockSocket.open(channel, token -> "admin", JSON, path);
      assertThat(first).isNotNull();
      try {
        assertThat(LocalLockSocket.open(channel, token -> "admin", JSON, path)).isNull();
        try (LineSocket client = LineSocket.open(path, "any", 10_000)) {
          client.sendText("{\"id\": 1, \"op\": \"steal\"}");
          assertThat(JSON.readTree(client.readText()).get("id").asLong())
              .as("the first one still answers")
              .isEqualTo(1);
        }
      } finally {
        first.close();
      }
    }
  }

  @Test
  void aPathThatIsNotASocketIsLeftAloneAndNotListenedOn(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("locks.sock");
    Files.writeString(path, "someone's notes");
    try (LockChannel channel = channel()) {
      assertThat(LocalLockSocket.open(channel, token -> "admin", JSON, path)).isNull();
    }
    assertThat(path).hasContent("someone's notes");
  }

  @Test
  void aClientThatStopsReadingIsClosedAndHoldsUpNoOtherClient() throws Exception {
    try (LineSocket holder = open();
        SocketChannel flooding =
            SocketChannel.open(UnixDomainSocketAddress.of(local.path().get()))) {
      holder.sendText(acquire(1, "local.flood", "holder", 0));
      long held = token(next(holder));
      writeLine(flooding, TOKEN);
      ByteBuffer ready = ByteBuffer.allocate(64);
      flooding.read(ready);
      assertThat(new String(ready.array(), 0, ready.position(), StandardCharsets.UTF_8))
          .contains("ready");
      writeLine(flooding, acquire(1, "local.flood", "flooding", 10_000));
      awaitWaiting("local.flood", 1);
      // Thousands of messages, each answered with a problem the client never reads.
      String bad = "{\"id\": 2, \"op\": \"renew\", \"lock\": \"local.flood\", \"token\": 1}";
      flooding.configureBlocking(false);
      StringBuilder many = new StringBuilder();
      for (int i = 0; i < 200; i++) {
        many.append(bad).append('\n');
      }
      ByteBuffer burst = ByteBuffer.wrap(many.toString().getBytes(StandardCharsets.UTF_8));
      long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      boolean closedByServer = false;
      while (!closedByServer && System.nanoTime() < until) {
        try {
          burst.rewind();
          flooding.write(burst);
        } catch (IOException e) {
          closedByServer = true;
        }
        if (locks.find("local.flood").map(LockView::waiters).orElse(0) == 0) {
          closedByServer = true; // closed, its wait withdrawn
        }
      }
      assertThat(closedByServer).as("the server closed the client that took no answers").isTrue();

      holder.sendText(release(2, "local.flood", held));
      assertThat(next(holder).get("released").asBoolean()).isTrue();
      assertThat(locks.find("local.flood")).as("nobody waits for it any more").isEmpty();
    }
  }

  static void writeLine(SocketChannel socket, String line) throws IOException {
    ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    while (out.hasRemaining()) {
      socket.write(out);
    }
  }

  @Test
  void aClientThatSendsNoTokenIsClosedAfterTheTimeLimit(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("locks.sock");
    try (LockChannel channel = channel()) {
      LocalLockSocket socket = LocalLockSocket.open(channel, token -> "admin", JSON, path, 300);
      assertThat(socket).isNotNull();
      try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
        long start = System.nanoTime();
        int read = silent.read(ByteBuffer.allocate(16));
        assertThat(read).as("closed by the server").isEqualTo(-1);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .isGreaterThanOrEqualTo(Duration.ofMillis(300));
      } finally {
        socket.close();
      }
    }
  }
}
