package org.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.worker.LocalLauncher;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * An operator grows and shrinks the pool of real worker JVMs while a run goes on: a worker that
 * leaves finishes its job first, and none is replaced behind the operator's back.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:pool-resize;DB_CLOSE_DELAY=-1",
      "pipewright.security.admin-token=test-token",
      "pipewright.workers.count=2",
      "pipewright.workers.max-count=4",
      "pipewright.workers.heartbeat=200ms",
      "pipewright.workers.lease=3s",
      "pipewright.workers.restart-backoff=100ms"
    })
class PoolResizeTests {

  @TempDir static Path workspace;
  @TempDir static Path workers;

  @DynamicPropertySource
  static void folders(DynamicPropertyRegistry registry) {
    registry.add("pipewright.workspace.root", () -> workspace.toString());
    registry.add("pipewright.workers.directory", () -> workers.toString());
  }

  @LocalServerPort int port;
  @Autowired LocalLauncher launcher;

  Api api() {
    return new Api(port);
  }

  Map<Long, String> statesOfWorkers() throws Exception {
    Map<Long, String> states = new HashMap<>();
    for (JsonNode worker : api().get("/api/workers?limit=1000").get("workers")) {
      states.put(worker.get("id").asLong(), worker.get("state").asString());
    }
    return states;
  }

  @Test
  void aShrunkPoolLetsEachLeavingWorkerFinishItsJobAndAGrownOneStartsTheMissingWorkers()
      throws Exception {
    Api api = api();
    assertThat(api.get("/api/workers/pool").toString())
        .isEqualTo("{\"launcher\":\"local\",\"workers\":2,\"maxWorkers\":4}");
    await().atMost(Duration.ofSeconds(20)).until(() -> statesOfWorkers().size() == 2);
    api.postPipeline(
        RunEndToEndTests.manyFiles("resize", 6)
            .replace("shell: \"echo {output}", "shell: \"sleep 1; echo {output}"));
    long run = api.startRun("{\"pipeline\": \"resize\"}");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> api.jobs(run, "state=RUNNING").get("jobs").size() == 2);
    Set<Long> before = launcher.pids().keySet();
    Map<Long, Long> pids = launcher.pids();

    JsonNode shrunk = api.put("/api/workers/pool", "{\"workers\": 1}");

    assertThat(shrunk.get("workers").asInt()).isEqualTo(1);
    JsonNode ended = api.awaitEnd(run);
    assertThat(ended.get("state").asString()).as(ended.toString()).isEqualTo("SUCCEEDED");
    for (JsonNode job : api.jobs(run, "").get("jobs")) {
      assertThat(api.get("/api/jobs/" + job.get("id").asLong()).get("attempts"))
          .as("no job was lost to the shrinking pool: %s", job)
          .hasSize(1);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> launcher.pids().size() == 1);
    long left = before.stream().filter(id -> !launcher.pids().containsKey(id)).findFirst().get();
    assertThat(ProcessHandle.of(pids.get(left)).map(ProcessHandle::isAlive))
        .isNotEqualTo(java.util.Optional.of(true));
    assertThat(statesOfWorkers().get(left)).isEqualTo("EXITED");
    Thread.sleep(1000); // the restart backoff is 100 ms: a replacement would be there by now
    assertThat(launcher.pids()).hasSize(1);

    api.put("/api/workers/pool", "{\"workers\": 3}");

    await().atMost(Duration.ofSeconds(20)).until(() -> launcher.pids().size() == 3);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> statesOfWorkers().values().stream().filter("ALIVE"::equals).count() == 3);
    assertThat(api.get("/api/workers/pool").get("workers").asInt()).isEqualTo(3);
  }

  @Test
  void aSizeBelowZeroAboveTheMaximumOrMissingIsRefusedAndChangesNothing() throws Exception {
    Api api = api();
    int size = api.get("/api/workers/pool").get("workers").asInt();
    for (String body : new String[] {"{\"workers\": -1}", "{\"workers\": 5}", "{}"}) {
      HttpResponse<String> response =
          api.send("PUT", "/api/workers/pool", "application/json", body);

      assertThat(response.statusCode()).as(body).isEqualTo(400);
      assertThat(response.body())
          .as(body)
          .contains("invalid-pool-size")
          .contains("workers must be a number between 0 and 4");
    }
    assertThat(api.get("/api/workers/pool").get("workers").asInt()).isEqualTo(size);
  }
}
