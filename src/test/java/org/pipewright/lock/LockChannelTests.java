package org.pipewright.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The lock channel over a real WebSocket: the same locks as the HTTP calls, waits that hold no
 * thread and are answered in arrival order, problems as answers that leave the socket open, and a
 * socket that goes away giving up what it waited for.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:lock-channel;DB_CLOSE_DELAY=-1",
      "pipewright.security.admin-token=test-token",
      "pipewright.workers.launcher=none"
    })
class LockChannelTests {

  static final String TOKEN = "test-token";
  static final String VIEWER = "vera-token";
  static final String PROBLEMS = "https://pipewright.org/problems/";

  @TempDir static Path workspace;

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("pipewright.workspace.root", () -> workspace.toString());
    registry.add("pipewright.security.tokens[0].name", () -> "vera");
    registry.add("pipewright.security.tokens[0].role", () -> "viewer");
    registry.add(
        "pipewright.security.tokens[0].sha256", () -> HexFormat.of().formatHex(sha256(VIEWER)));
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @LocalServerPort int port;
  @Autowired LockManager locks;

  static String acquire(long id, String lock, String requestId, long waitMs) {
    return """
    {"id": %d, "op": "acquire", "lock": "%s", "owner": "test %s", "requestId": "%s", \
    "leaseMs": 30000, "waitMs": %d}\
    """
        .formatted(id, lock, requestId, requestId, waitMs);
  }

  static String release(long id, String lock, long token) {
    return """
    {"id": %d, "op": "release", "lock": "%s", "token": %d}\
    """
        .formatted(id, lock, token);
  }

  static long token(JsonNode answer) {
    assertThat(answer.has("token")).as(answer.toString()).isTrue();
    assertThat(answer.has("status")).as("a grant has no status").isFalse();
    return answer.get("token").asLong();
  }

  /** Takes a free lock with message 1 of the socket and returns its token. */
  static long hold(ChannelSocket socket, String lock) throws Exception {
    socket.send(acquire(1, lock, "holder", 0));
    return token(socket.answer(1));
  }

  static JsonNode problem(JsonNode answer, int status, String slug) {
    assertThat(answer.has("type")).as(answer.toString()).isTrue();
    assertThat(answer.get("type").asString()).isEqualTo(PROBLEMS + slug);
    assertThat(answer.get("status").asInt()).isEqualTo(status);
    return answer;
  }

  @Test
  void aGrantOverTheChannelIsTheSameLockTheHttpCallsSee() throws Exception {
    LockApiTests http = new LockApiTests();
    http.port = port;
    try (ChannelSocket channel = ChannelSocket.open(port, TOKEN)) {
      channel.send(acquire(1, "shared.one", "c1", 0));
      long token = token(channel.answer(1));

      LockApiTests.problem(
          http.post("/api/locks/shared.one/acquire", LockApiTests.acquireBody("h1", 30_000, 0)),
          409,
          "lock-wait-timeout");
      assertThat(LockApiTests.ok(http.get("/api/locks/shared.one")).get("token").asLong())
          .isEqualTo(token);

      channel.send(
          """
          {"id": 2, "op": "renew", "lock": "shared.one", "token": %d, "leaseMs": 60000}\
          """
              .formatted(token));
      JsonNode renewed = channel.answer(2);
      assertThat(renewed.get("token").asLong()).isEqualTo(token);
      assertThat(renewed.get("leaseMs").asLong()).isEqualTo(60_000);
      assertThat(renewed.get("name").asString()).isEqualTo("shared.one");
      channel.send(release(3, "shared.one", token));
      assertThat(channel.answer(3).get("released").asBoolean()).isTrue();
      LockApiTests.problem(http.get("/api/locks/shared.one"), 404, "lock-not-found");
    }
  }

  @Test
  void waitersAreAnsweredInArrivalOrderEachWithAHigherToken() throws Exception {
    try (ChannelSocket holder = ChannelSocket.open(port, TOKEN);
        ChannelSocket first = ChannelSocket.open(port, TOKEN);
        ChannelSocket second = ChannelSocket.open(port, TOKEN)) {
      long held = hold(holder, "queue");
      first.send(acquire(1, "queue", "first", 10_000));
      assertThat(first.quietFor(100)).isTrue();
      second.send(acquire(1, "queue", "second", 10_000));
      assertThat(second.quietFor(100)).as("the second waits behind the first").isTrue();

      holder.send(release(2, "queue", held));
      holder.answer(2);
      long firstToken = token(first.answer(1));
      assertThat(firstToken).isGreaterThan(held);
      assertThat(second.quietFor(100)).as("the second still waits").isTrue();

      first.send(release(2, "queue", firstToken));
      assertThat(token(second.answer(1))).isGreaterThan(firstToken);
    }
  }

  @Test
  void oneSocketRenewsAndReleasesWhileItsAcquireWaits() throws Exception {
    try (ChannelSocket holder = ChannelSocket.open(port, TOKEN);
        ChannelSocket busy = ChannelSocket.open(port, TOKEN)) {
      long wanted = hold(holder, "wanted");
      busy.send(acquire(1, "other", "mine", 0));
      long other = token(busy.answer(1));

      busy.send(acquire(2, "wanted", "waiting", 10_000));
      busy.send(release(3, "other", other));
      assertThat(busy.next().get("id").asLong()).as("the release is answered first").isEqualTo(3);

      holder.send(release(2, "wanted", wanted));
      assertThat(token(busy.answer(2))).isGreaterThan(wanted);
    }
  }

  @Test
  void aWaitThatRunsOutIsAnswered409AndARepeatKeepsItsPlace() throws Exception {
    try (ChannelSocket holder = ChannelSocket.open(port, TOKEN);
        ChannelSocket waiter = ChannelSocket.open(port, TOKEN);
        ChannelSocket later = ChannelSocket.open(port, TOKEN)) {
      long held = hold(holder, "slow");
      waiter.send(acquire(1, "slow", "patient", 150));
      JsonNode timedOut = problem(waiter.answer(1), 409, "lock-wait-timeout");
      assertThat(timedOut.get("detail").asString()).contains("150 ms", "requestId");

      later.send(acquire(1, "slow", "later", 10_000));
      waiter.send(acquire(2, "slow", "patient", 10_000)); // within the 2 s grace
      holder.send(release(2, "slow", held));

      assertThat(token(waiter.answer(2))).as("the repeat kept its place").isGreaterThan(held);
      assertThat(later.quietFor(100)).isTrue();
    }
  }

  @Test
  void badMessagesAreAnsweredWithAProblemAndTheSocketStaysOpen() throws Exception {
    try (ChannelSocket channel = ChannelSocket.open(port, TOKEN)) {
      channel.send("not json");
      problem(channel.next(), 422, "invalid-lock-request");
      channel.send("{\"op\": \"acquire\"}");
      assertThat(
              problem(channel.next(), 422, "invalid-lock-request")
                  .get("errors")
                  .get(0)
                  .get("path")
                  .asString())
          .isEqualTo("id");
      channel.send("{\"id\": 1, \"op\": \"steal\"}");
      assertThat(problem(channel.answer(1), 422, "invalid-lock-request").get("detail").asString())
          .contains("steal");
      channel.send(acquire(2, ".hidden", "r", 0));
      problem(channel.answer(2), 422, "invalid-lock-request");
      channel.send("{\"id\": 3, \"op\": \"release\", \"lock\": \"x\"}");
      problem(channel.answer(3), 422, "invalid-lock-request");
      channel.send(release(4, "never.held", 12345));
      problem(channel.answer(4), 409, "lock-not-held");

      channel.send(acquire(5, "still.open", "r", 0));
      token(channel.answer(5));
    }
  }

  @Test
  void aSocketThatClosesWhileWaitingGivesUpItsPlace() throws Exception {
    try (ChannelSocket holder = ChannelSocket.open(port, TOKEN);
        ChannelSocket behind = ChannelSocket.open(port, TOKEN)) {
      long held = hold(holder, "left");
      try (ChannelSocket leaving = ChannelSocket.open(port, TOKEN)) {
        leaving.send(acquire(1, "left", "leaving", 10_000));
        assertThat(leaving.quietFor(100)).isTrue();
      }
      behind.send(acquire(1, "left", "behind", 10_000));
      Thread.sleep(200); // the close is handled on the server's own time

      holder.send(release(2, "left", held));
      assertThat(token(behind.answer(1)))
          .as("the lock goes past the socket that left, at once")
          .isGreaterThan(held);
    }
  }

  @Test
  void theSocketsOfAPrincipalWhoseLocksWereAllReleasedAreClosed() throws Exception {
    try (ChannelSocket channel = ChannelSocket.open(port, TOKEN)) {
      channel.send(acquire(1, "ended", "r", 0));
      token(channel.answer(1));

      locks.releaseHeldBy("admin"); // as when a worker is declared lost

      assertThat(channel.closedByServer()).isEqualTo(1008); // policy violation
      LockApiTests http = new LockApiTests();
      http.port = port;
      LockApiTests.problem(http.get("/api/locks/ended"), 404, "lock-not-found");
    }
  }

  @Test
  void theHandshakeNeedsATokenThatMayTakeLocksAndNoOtherSitesPage() {
    assertThatThrownBy(() -> ChannelSocket.open(port, "wrong"))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
    assertThatThrownBy(() -> ChannelSocket.open(port, VIEWER))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
    assertThatThrownBy(() -> ChannelSocket.open(port, TOKEN, "https://elsewhere.example"))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
  }
}
