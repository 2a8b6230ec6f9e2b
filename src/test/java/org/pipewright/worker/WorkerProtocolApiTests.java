package org.pipewright.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker protocol over HTTP, played by hand: what each token opens, and the fencing of an
 * attempt whose lease was lost. No launcher runs; the test is the worker.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:worker-protocol;DB_CLOSE_DELAY=-1",
      "pipewright.security.admin-token=test-token",
      "pipewright.workers.launcher=none"
    })
class WorkerProtocolApiTests {

  static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path workspace;

  @DynamicPropertySource
  static void folders(DynamicPropertyRegistry registry) {
    registry.add("pipewright.workspace.root", () -> workspace.toString());
  }

  @LocalServerPort int port;
  @Autowired WorkerRegistry registry;

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  HttpResponse<String> post(String path, String token, String contentType, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", contentType)
            .POST(BodyPublishers.ofString(body))
            .build(),
        BodyHandlers.ofString());
  }

  JsonNode register() throws Exception {
    WorkerRegistry.Launch launch = registry.launch("test");
    HttpResponse<String> answer =
        post("/api/workers/register", launch.token(), "application/json", "{\"pid\": 1}");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  @Test
  void eachTokenOpensOnlyItsOwnCalls() throws Exception {
    JsonNode worker = register();
    JsonNode other = register();
    String session = worker.get("sessionToken").asString();
    String lease = "/api/workers/" + worker.get("workerId").asLong() + "/lease";

    assertThat(post(lease, "test-token", "application/json", "{}").statusCode())
        .as("the admin token is no worker")
        .isEqualTo(403);
    assertThat(post("/api/runs", session, "application/json", "{}").statusCode())
        .as("a worker token opens nothing but the worker calls")
        .isEqualTo(403);
    HttpResponse<String> stolen =
        post(lease, other.get("sessionToken").asString(), "application/json", "{}");
    assertThat(stolen.statusCode()).isEqualTo(403);
    assertThat(stolen.body()).contains("not-this-worker");
    assertThat(post(lease, session, "application/json", "{}").statusCode()).isEqualTo(200);
  }

  @Test
  void aCompletionWithATokenThatIsNoLongerCurrentIsRefusedWith409() throws Exception {
    post(
        "/api/pipelines",
        "test-token",
        "application/yaml",
        """
        name: fenced
        tasks:
          - name: one
            files: {input: null, output: one.txt}
            shell: "echo 1 > {output}"
        """);
    assertThat(
            post("/api/runs", "test-token", "application/json", "{\"pipeline\": \"fenced\"}")
                .statusCode())
        .isEqualTo(202);
    JsonNode worker = register();
    long id = worker.get("workerId").asLong();
    String session = worker.get("sessionToken").asString();
    JsonNode job = leaseOne(id, session);
    long jobId = job.get("jobId").asLong();

    registry.lost(id, "declared lost by the test");
    JsonNode again = register();
    HttpResponse<String> late =
        post(
            "/api/jobs/" + jobId + "/complete",
            again.get("sessionToken").asString(),
            "application/json",
            """
            {"jobId": %d, "attempt": 1, "token": "%s", "outcome": "SUCCEEDED", "exitCode": 0}
            """
                .formatted(jobId, job.get("token").asString()));

    assertThat(late.statusCode()).as(late.body()).isEqualTo(409);
    assertThat(JSON.readTree(late.body()).get("accepted").asBoolean()).isFalse();
    assertThat(
            post("/api/workers/" + id + "/heartbeat", session, "application/json", "{}")
                .statusCode())
        .as("the lost worker's own calls are refused too")
        .isIn(401, 409);
  }

  @Test
  void aWorkerGetsOnlyJobsItsOfferCoversAndTheApiListsItWithItsSlurmJob() throws Exception {
    post(
        "/api/pipelines",
        "test-token",
        "application/yaml",
        """
        name: sized
        tasks:
          - name: big
            files: {input: null, output: big.txt}
            touch: true
            cpus: 4
          - name: small
            files: {input: null, output: small.txt}
            touch: true
        """);
    post("/api/runs", "test-token", "application/json", "{\"pipeline\": \"sized\"}");
    WorkerRegistry.Launch launch = registry.launch("slurm");
    registry.submitted(launch.id(), "4242");

    HttpResponse<String> half =
        post("/api/workers/register", launch.token(), "application/json", "{\"cpus\": 2}");
    JsonNode worker =
        JSON.readTree(
            post(
                    "/api/workers/register",
                    launch.token(),
                    "application/json",
                    "{\"pid\": 1, \"cpus\": 2, \"memoryMb\": 4096}")
                .body());
    JsonNode leased =
        JSON.readTree(
            post(
                    "/api/workers/" + launch.id() + "/lease",
                    worker.get("sessionToken").asString(),
                    "application/json",
                    "{\"max\": 10, \"waitMs\": 2000}")
                .body());
    JsonNode listed =
        JSON.readTree(
                http.send(
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/api/workers"))
                            .header("Authorization", "Bearer test-token")
                            .build(),
                        BodyHandlers.ofString())
                    .body())
            .get("workers");

    assertThat(half.statusCode()).as(half.body()).isEqualTo(400);
    assertThat(leased.get("jobs"))
        .singleElement()
        .satisfies(job -> assertThat(job.get("key").asString()).isEqualTo("small:1"));
    assertThat(listed)
        .filteredOn(w -> w.get("id").asLong() == launch.id())
        .singleElement()
        .satisfies(w -> {
          assertThat(w.get("launcher").asString()).isEqualTo("slurm");
          assertThat(w.get("state").asString()).isEqualTo("ALIVE");
          assertThat(w.get("slurmJobId").asString()).isEqualTo("4242");
          assertThat(w.get("cpus").asInt()).isEqualTo(2);
          assertThat(w.get("memoryMb").asLong()).isEqualTo(4096);
        });
  }

  @Test
  void aJobHandedToAWorkerDeclaredLostWhileItsLeaseCallWaitedGoesBackToTheQueue() throws Exception {
    drainLeftovers();
    JsonNode lost = register();
    long id = lost.get("workerId").asLong();
    java.util.concurrent.CompletableFuture<HttpResponse<String>> waiting =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          try {
            return post(
                "/api/workers/" + id + "/lease",
                lost.get("sessionToken").asString(),
                "application/json",
                "{\"max\": 1, \"waitMs\": 20000}");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    // Time for the call to reach the scheduler and wait there: its answer says it did (409, not
    // the 401 of a call that came after the loss).
    Thread.sleep(500);
    registry.lost(id, "its process died, as a cancelled SLURM job's does");
    post(
        "/api/pipelines",
        "test-token",
        "application/yaml",
        """
        name: orphaned
        tasks:
          - name: one
            files: {input: null, output: one.txt}
            touch: true
        """);
    post("/api/runs", "test-token", "application/json", "{\"pipeline\": \"orphaned\"}");

    HttpResponse<String> late = waiting.get(30, java.util.concurrent.TimeUnit.SECONDS);
    JsonNode other = register();
    JsonNode leased =
        JSON.readTree(
            post(
                    "/api/workers/" + other.get("workerId").asLong() + "/lease",
                    other.get("sessionToken").asString(),
                    "application/json",
                    "{\"max\": 1, \"waitMs\": 5000}")
                .body());

    assertThat(late.statusCode()).as(late.body()).isEqualTo(409);
    assertThat(leased.get("jobs"))
        .singleElement()
        .satisfies(job -> {
          assertThat(job.get("key").asString()).isEqualTo("one:1");
          assertThat(job.get("attempt").asInt()).isEqualTo(2);
        });
  }

  @Autowired org.pipewright.lock.LockManager locks;

  @Test
  void aLockAJobForgotIsReleasedAsItsResultIsStoredNotWhenTheLeaseCallStopsWaiting()
      throws Exception {
    drainLeftovers();
    post(
        "/api/pipelines",
        "test-token",
        "application/yaml",
        """
        name: forgetsalock
        tasks:
          - name: one
            files: {input: null, output: one.txt}
            touch: true
        """);
    post("/api/runs", "test-token", "application/json", "{\"pipeline\": \"forgetsalock\"}");
    JsonNode worker = register();
    long id = worker.get("workerId").asLong();
    String session = worker.get("sessionToken").asString();
    JsonNode job = leaseOne(id, session);
    String jobToken = job.get("token").asString();
    HttpResponse<String> taken =
        post(
            "/api/locks/forgotten/acquire",
            jobToken,
            "application/json",
            "{\"owner\": \"job\", \"requestId\": \"r1\", \"leaseMs\": 60000}");
    assertThat(taken.statusCode()).as(taken.body()).isEqualTo(200);

    java.util.concurrent.CompletableFuture<HttpResponse<String>> leaseCall =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          try {
            return post(
                "/api/workers/" + id + "/lease",
                session,
                "application/json",
                """
                {"max": 1, "waitMs": 10000, "completions": [{"jobId": %d, "attempt": 1,
                 "token": "%s", "outcome": "SUCCEEDED", "exitCode": 0}]}
                """
                    .formatted(job.get("jobId").asLong(), jobToken));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (locks.find("forgotten").isPresent() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }

    assertThat(locks.find("forgotten")).as("the job's lock").isEmpty();
    assertThat(leaseCall).as("the lease call, still waiting for work").isNotDone();
    assertThat(leaseCall.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode())
        .isEqualTo(200);
  }

  /** The first job of a lease call that waits up to 2 s for one. */
  JsonNode leaseOne(long id, String session) throws Exception {
    return JSON.readTree(
            post(
                    "/api/workers/" + id + "/lease",
                    session,
                    "application/json",
                    "{\"max\": 1, \"waitMs\": 2000}")
                .body())
        .get("jobs")
        .get(0);
  }

  /** Takes what other tests left queued (this context is shared), so a new worker waits. */
  void drainLeftovers() throws Exception {
    JsonNode drainer = register();
    String lease = "/api/workers/" + drainer.get("workerId").asLong() + "/lease";
    String session = drainer.get("sessionToken").asString();
    while (!JSON.readTree(post(lease, session, "application/json", "{\"max\": 100}").body())
        .get("jobs")
        .isEmpty()) {
      // taken; its jobs stay leased to the drainer
    }
  }
}
