package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pipewright.lock.LocalLockChannel;
import org.pipewright.lock.LockChannel;
import org.pipewright.lock.LockManager;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The worker's client of the lock channel against the real control plane, over the WebSocket and
 * over the Unix socket for this host: its answers read as the HTTP calls' would, and a socket the
 * control plane closed is opened again at the next call.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:lock-channel-client;DB_CLOSE_DELAY=-1",
      "pipewright.security.admin-token=test-token",
      "pipewright.workers.launcher=none"
    })
class LockChannelClientTests {

  @TempDir static Path workspace;

  @DynamicPropertySource
  static void folders(DynamicPropertyRegistry registry) {
    registry.add("pipewright.workspace.root", () -> workspace.toString());
    registry.add("pipewright.locks.socket", () -> workspace.resolve("run/locks.sock").toString());
  }

  @LocalServerPort int port;
  @Autowired LockChannel channel;
  @Autowired LocalLockChannel localChannel;
  @Autowired LockManager locks;

  /** Every call over HTTP fails the test: this client must use the channel. */
  static final LockCalls NO_HTTP =
      (op, name, body, timeoutMs) -> {
        throw new AssertionError("asked over HTTP: " + op + " " + name);
      };

  LockChannelClient client(boolean local) {
    return new LockChannelClient(
        URI.create("http://127.0.0.1:" + port),
        local ? localChannel.path().orElseThrow() : null,
        () -> "test-token",
        NO_HTTP);
  }

  static byte[] body(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] acquire(String requestId, long waitMs) {
    return body(
        "{\"owner\":\"test\",\"requestId\":\"%s\",\"leaseMs\":30000,\"waitMs\":%d}"
            .formatted(requestId, waitMs));
  }

  static long token(HttpAnswer answer) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    Map<String, Object> json = JsonReader.parseObject(answer.body());
    return ((Number) json.get("token")).longValue();
  }

  @ParameterizedTest(name = "over the Unix socket: {0}")
  @ValueSource(booleans = {false, true})
  void answersReadAsTheCallsWouldAnswer(boolean local) throws Exception {
    LockChannelClient client = client(local);
    int localSockets = localChannel.sockets();
    long token = token(client.call("acquire", "client.one", acquire("a", 0), 10_000));
    assertThat(localChannel.sockets()).isEqualTo(localSockets + (local ? 1 : 0));

    HttpAnswer busy = client.call("acquire", "client.one", acquire("b", 100), 10_000);
    assertThat(busy.status()).isEqualTo(409);
    assertThat(busy.problemType()).isEqualTo("lock-wait-timeout");

    HttpAnswer renewed =
        client.call("renew", "client.one", body("{\"token\":" + token + "}"), 10_000);
    assertThat(token(renewed)).isEqualTo(token);
    HttpAnswer released =
        client.call("release", "client.one", body("{\"token\":" + token + "}"), 10_000);
    assertThat(released.ok()).isTrue();
    assertThat(JsonReader.parseObject(released.body())).containsEntry("released", true);
    // The acquire that timed out kept its place for the grace, so the lock went to it.
    assertThat(locks.find("client.one"))
        .hasValueSatisfying(view -> assertThat(view.token()).isGreaterThan(token));
    client.call("release", "client.one", body("{\"requestId\":\"b\"}"), 10_000);
    assertThat(locks.find("client.one")).isEmpty();

    HttpAnswer stale =
        client.call("release", "client.one", body("{\"token\":" + token + "}"), 10_000);
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.problemType()).isEqualTo("lock-not-held");
  }

  @ParameterizedTest(name = "over the Unix socket: {0}")
  @ValueSource(booleans = {false, true})
  void aQuietReleaseIsDoneBeforeTheNextCallAndOnlyARefusalIsHeardOf(boolean local)
      throws Exception {
    LockChannelClient client = client(local);
    String lock = "client.quiet." + local;
    List<HttpAnswer> refusals = new CopyOnWriteArrayList<>();
    long first = token(client.call("acquire", lock, acquire("q1" + local, 0), 10_000));

    client.releaseQuietly(lock, body("{\"token\":" + first + "}"), 10_000, refusals::add);
    long second = token(client.call("acquire", lock, acquire("q2" + local, 0), 10_000));
    assertThat(second).as("released before the acquire sent after it").isGreaterThan(first);

    client.releaseQuietly(lock, body("{\"token\":" + first + "}"), 10_000, refusals::add);
    await().atMost(Duration.ofSeconds(10)).until(() -> !refusals.isEmpty());
    assertThat(refusals)
        .singleElement()
        .satisfies(refused -> {
          assertThat(refused.status()).isEqualTo(409);
          assertThat(refused.problemType()).isEqualTo("lock-not-held");
        });
    client.releaseQuietly(lock, body("{\"token\":" + second + "}"), 10_000, refusals::add);
    await().atMost(Duration.ofSeconds(10)).until(() -> locks.find(lock).isEmpty());
    assertThat(refusals).hasSize(1);
  }

  @ParameterizedTest(name = "over the Unix socket: {0}")
  @ValueSource(booleans = {false, true})
  void aSocketTheControlPlaneClosedIsOpenedAgainAtTheNextCall(boolean local) throws Exception {
    LockChannelClient client = client(local);
    String lock = "client.two." + local;
    long first = token(client.call("acquire", lock, acquire("c" + local, 0), 10_000));

    locks.releaseHeldBy("admin"); // closes the admin's sockets: this client's, and every other here

    await().atMost(Duration.ofSeconds(10)).until(() -> channel.sockets() == 0);
    long second;
    try {
      second = token(client.call("acquire", lock, acquire("d" + local, 0), 10_000));
    } catch (UnreachableException e) {
      // The close may reach the reader only as this call is sent: the next one reopens.
      second = token(client.call("acquire", lock, acquire("d" + local, 0), 10_000));
    }
    assertThat(second).as("granted again, over a new socket").isGreaterThan(first);
    assertThat(channel.sockets()).isEqualTo(1);
    assertThat(localChannel.sockets()).isEqualTo(local ? 1 : 0);
    client.call("release", lock, body("{\"token\":" + second + "}"), 10_000);
  }

  @Test
  void aLocalSocketThatRefusesForAnotherReasonThanTheTokenLeavesTheClientOnTheWebSocket(
      @TempDir Path dir) throws Exception {
    Path busy = dir.resolve("busy.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(busy));
      Thread.ofVirtual()
          .start(() -> {
            try (SocketChannel refused = server.accept()) {
              refused.read(ByteBuffer.allocate(256)); // the token
              refused.write(
                  ByteBuffer.wrap(
                      "{\"id\":null,\"status\":429,\"title\":\"Too many locks\"}\n"
                          .getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
              // the test fails below
            }
          });
      LockChannelClient client =
          new LockChannelClient(
              URI.create("http://127.0.0.1:" + port), busy, () -> "test-token", NO_HTTP);

      long token = token(client.call("acquire", "client.busy", acquire("busy", 0), 10_000));

      assertThat(
              client.call("release", "client.busy", body("{\"token\":" + token + "}"), 10_000).ok())
          .as("granted and released over the WebSocket, not HTTP")
          .isTrue();
    }
  }
}
