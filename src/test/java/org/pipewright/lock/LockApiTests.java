package org.pipewright.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The locks as a client drives them with curl, on the real clock: acquire, renew, release, the 409s
 * a client switches on, every mistake a 4xx problem, and a lease that runs out under a waiter.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:lock-api;DB_CLOSE_DELAY=-1",
      "pipewright.security.admin-token=test-token",
      "pipewright.workers.launcher=none"
    })
class LockApiTests {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String PROBLEM_JSON = "application/problem+json";

  @TempDir static Path workspace;

  @DynamicPropertySource
  static void folders(DynamicPropertyRegistry registry) {
    registry.add("pipewright.workspace.root", () -> workspace.toString());
  }

  @LocalServerPort int port;

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer test-token");
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(body))
            .build(),
        BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(request(path).GET().build(), BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> answer) {
    return JSON.readTree(answer.body());
  }

  static JsonNode ok(HttpResponse<String> answer) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return json(answer);
  }

  /** Asserts a problem detail of this status and slug, and returns it. */
  static JsonNode problem(HttpResponse<String> answer, int status, String slug) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue(PROBLEM_JSON);
    JsonNode problem = json(answer);
    assertThat(problem.get("type").asString()).endsWith("/problems/" + slug);
    return problem;
  }

  static String acquireBody(String requestId, long leaseMs, long waitMs) {
    return """
    {"owner": "job %s", "requestId": "%s", "leaseMs": %d, "waitMs": %d}
    """
        .formatted(requestId, requestId, leaseMs, waitMs);
  }

  @Test
  void aLockIsAcquiredRenewedAndReleased() throws Exception {
    JsonNode grant = ok(post("/api/locks/round.trip/acquire", acquireBody("r1", 30_000, 0)));
    assertThat(grant.get("name").asString()).isEqualTo("round.trip");
    assertThat(grant.get("token").isNumber()).isTrue();
    assertThat(grant.get("leaseMs").asLong()).isEqualTo(30_000);
    Instant expiresAt = Instant.parse(grant.get("expiresAt").asString());
    long token = grant.get("token").asLong();

    JsonNode renewed =
        ok(
            post(
                "/api/locks/round.trip/renew",
                "{\"token\": %d, \"leaseMs\": 60000}".formatted(token)));
    assertThat(renewed.get("token").asLong()).isEqualTo(token);
    assertThat(Instant.parse(renewed.get("expiresAt").asString())).isAfter(expiresAt);
    assertThat(renewed.get("leaseMs").asLong()).isEqualTo(60_000);

    JsonNode released =
        ok(post("/api/locks/round.trip/release", "{\"token\": %d}".formatted(token)));
    assertThat(released.get("name").asString()).isEqualTo("round.trip");
    assertThat(released.get("released").asBoolean()).isTrue();
    problem(get("/api/locks/round.trip"), 404, "lock-not-found");
  }

  @Test
  void anAcquireRepeatedWithItsRequestIdGetsTheSameGrantAndCanReleaseByIt() throws Exception {
    long token =
        ok(post("/api/locks/again/acquire", acquireBody("same", 30_000, 0))).get("token").asLong();

    assertThat(
            ok(post("/api/locks/again/acquire", acquireBody("same", 30_000, 0)))
                .get("token")
                .asLong())
        .isEqualTo(token);
    ok(post("/api/locks/again/release", "{\"requestId\": \"same\"}"));
    problem(get("/api/locks/again"), 404, "lock-not-found");
  }

  @Test
  void anAcquireThatWaitedInVainIsA409WithItsSlug() throws Exception {
    ok(post("/api/locks/busy/acquire", acquireBody("holder", 30_000, 0)));

    JsonNode problem =
        problem(
            post("/api/locks/busy/acquire", acquireBody("late", 30_000, 100)),
            409,
            "lock-wait-timeout");

    assertThat(problem.get("detail").asString()).contains("100 ms", "requestId");
  }

  @Test
  void aTokenThatIsNoLongerCurrentIsA409() throws Exception {
    long token =
        ok(post("/api/locks/stale/acquire", acquireBody("r", 30_000, 0))).get("token").asLong();
    ok(post("/api/locks/stale/release", "{\"token\": %d}".formatted(token)));

    problem(
        post("/api/locks/stale/renew", "{\"token\": %d}".formatted(token)), 409, "lock-not-held");
    problem(
        post("/api/locks/stale/release", "{\"token\": %d}".formatted(token)), 409, "lock-not-held");
  }

  @Test
  void badNamesAndBodiesAreClientProblemsNeverServerErrors() throws Exception {
    String good = acquireBody("r", 30_000, 0);
    assertThat(
            problem(post("/api/locks/.hidden/acquire", good), 422, "invalid-lock-request")
                .get("errors")
                .get(0)
                .get("path")
                .asString())
        .isEqualTo("name");
    problem(post("/api/locks/a%20b/acquire", good), 422, "invalid-lock-request");
    problem(post("/api/locks/" + "x".repeat(101) + "/acquire", good), 422, "invalid-lock-request");
    problem(get("/api/locks/.hidden"), 422, "invalid-lock-request");

    assertThat(
            problem(
                    post("/api/locks/body/acquire", "{\"requestId\": \"r\"}"),
                    422,
                    "invalid-lock-request")
                .get("errors")
                .get(0)
                .get("path")
                .asString())
        .isEqualTo("owner");
    assertThat(
            problem(
                    post("/api/locks/body/acquire", acquireBody("r", 0, 0)),
                    422,
                    "invalid-lock-request")
                .get("errors")
                .get(0)
                .get("path")
                .asString())
        .isEqualTo("leaseMs");
    assertThat(
            problem(
                    post("/api/locks/body/acquire", acquireBody("r", 1_000, 60_001)),
                    422,
                    "invalid-lock-request")
                .get("errors")
                .get(0)
                .get("path")
                .asString())
        .isEqualTo("waitMs");
    problem(post("/api/locks/body/release", "{}"), 422, "invalid-lock-request");
    problem(
        post("/api/locks/body/release", "{\"token\": 1, \"requestId\": \"r\"}"),
        422,
        "invalid-lock-request");
    problem(post("/api/locks/body/renew", "{}"), 422, "invalid-lock-request");

    for (String unreadable :
        new String[] {
          "", "not json", "{\"owner\": \"o\", \"requestId\": \"r\", \"leaseMs\": \"soon\"}",
          "{\"owner\": \"o\", \"requestId\": \"r\", \"colour\": \"red\"}", "{\"token\": 1.5e40}",
              "[]"
        }) {
      HttpResponse<String> answer =
          post(
              unreadable.contains("token") ? "/api/locks/body/renew" : "/api/locks/body/acquire",
              unreadable);
      assertThat(answer.statusCode()).as(unreadable + " -> " + answer.body()).isEqualTo(400);
      assertThat(answer.headers().firstValue("Content-Type")).hasValue(PROBLEM_JSON);
    }
  }

  @Test
  void locksAreListedAndFoundWithHolderTokenExpiryAndWaiters() throws Exception {
    long token =
        ok(post("/api/locks/listed-a/acquire", acquireBody("a", 30_000, 0))).get("token").asLong();
    ok(post("/api/locks/listed-b/acquire", acquireBody("b", 30_000, 0)));

    JsonNode found = ok(get("/api/locks/listed-a"));
    assertThat(found.get("owner").asString()).isEqualTo("job a");
    assertThat(found.get("principal").asString()).isEqualTo("admin");
    assertThat(found.get("token").asLong()).isEqualTo(token);
    assertThat(found.get("waiters").asInt()).isZero();
    assertThat(Instant.parse(found.get("expiresAt").asString())).isAfter(Instant.now());
    assertThat(ok(get("/api/locks")).valueStream().map(lock -> lock.get("name").asString()))
        .contains("listed-a", "listed-b");
    problem(get("/api/locks/never-held"), 404, "lock-not-found");
  }

  @Test
  void aHolderThatNeverRenewsLosesTheLockWhenItsLeaseRunsOut() throws Exception {
    long silent =
        ok(post("/api/locks/lease/acquire", acquireBody("a", 500, 0))).get("token").asLong();
    long started = System.nanoTime();

    CompletableFuture<HttpResponse<String>> waiter =
        http.sendAsync(
            request("/api/locks/lease/acquire")
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(acquireBody("b", 30_000, 5_000)))
                .build(),
            BodyHandlers.ofString());
    JsonNode grant = ok(waiter.get());

    assertThat(grant.get("token").asLong()).isGreaterThan(silent);
    assertThat((System.nanoTime() - started) / 1_000_000).isBetween(300L, 4_000L);
    problem(
        post("/api/locks/lease/renew", "{\"token\": %d}".formatted(silent)), 409, "lock-not-held");
  }
}
