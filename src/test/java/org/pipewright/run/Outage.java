package org.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * The steps of a database outage test: a run of 60 shell jobs under way, writes refused with 503
 * while the database cannot take them, and once it can, the run finished with every output written
 * exactly once.
 */
final class Outage {

  static final int JOBS = 60;

  /** A pipeline posted while the database is away: refused, then taken once it is back. */
  private static final String LATER =
      "name: later\ntasks:\n  - name: t\n    originate: {output: [x]}\n"
          + "    shell: \"touch {output}\"\n";

  private Outage() {}

  /** Starts the run ("outage") and returns once some of its jobs succeeded. */
  static long runUnderWay(Api api) throws Exception {
    api.postPipeline(
        Api.originate("outage", JOBS, "sleep 0.1; echo $PIPEWRIGHT_JOB_ID >> {output}"));
    long id = api.startRun("{\"pipeline\": \"outage\"}");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> ControlPlaneRestartIT.succeeded(api, id) >= 5);
    return id;
  }

  /** A write is refused with 503 database-unavailable, as a problem with Retry-After. */
  static void writesRefused(Api api) {
    HttpResponse<String> refused =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> api.send("POST", "/api/pipelines", "application/yaml", LATER),
                response -> response.statusCode() != 201);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(Api.JSON.readTree(refused.body()).get("type").asString())
        .endsWith("database-unavailable");
  }

  /**
   * Once the database takes writes again, the run succeeds with every output written by exactly one
   * execution, and a write is taken. The first calls may meet pooled connections that are dead:
   * they are answered 503 and retried.
   */
  static void nothingLost(Api api, long id, Path workspace) throws Exception {
    JsonNode run =
        await()
            .atMost(Duration.ofSeconds(120))
            .ignoreExceptions()
            .until(
                () -> api.get("/api/runs/" + id),
                r -> Api.FINAL.contains(r.get("state").asString()));
    assertThat(run.get("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
    for (int i = 1; i <= JOBS; i++) {
      assertThat(Files.readAllLines(workspace.resolve("outage/o" + i + ".txt")))
          .as("o%d.txt is written by exactly one execution", i)
          .hasSize(1);
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(() ->
            assertThat(api.send("POST", "/api/pipelines", "application/yaml", LATER).statusCode())
                .isEqualTo(201));
  }
}
