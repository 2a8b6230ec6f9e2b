package org.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The embedded H2 database file is made read-only for a few seconds in the middle of a run: the API
 * answers writes with 503, and once the file takes writes again the run finishes with every job's
 * output written once. The file is made immutable ({@code chattr +i}), which stops even root and
 * even a file already open; where that cannot be done (not root, a file system without the
 * attribute) the test skips, except under {@code CI=true}.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "pipewright.security.admin-token=test-token",
      "pipewright.workers.count=2",
      "pipewright.workers.heartbeat=200ms",
      "pipewright.workers.lease=5s",
      "pipewright.workers.restart-backoff=100ms"
    })
@DirtiesContext
class H2FileOutageTests {

  @TempDir static Path home;

  static Path database() {
    return home.resolve("data/pipewright.mv.db");
  }

  @BeforeAll
  static void immutableFilesAreAvailable() throws Exception {
    Path probe = Files.writeString(home.resolve("probe"), "p");
    String why = null;
    try {
      chattr("+i", probe);
      chattr("-i", probe);
    } catch (IOException e) {
      why = "cannot make a file immutable here: " + e.getMessage();
    }
    if (why != null) {
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(why + "; the CI machine runs the tests as root on ext4");
      }
      Assumptions.abort(why);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add(
        "spring.datasource.url",
        () ->
            "jdbc:h2:file:"
                + home.resolve("data/pipewright")
                + ";AUTO_SERVER=FALSE;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
    registry.add("pipewright.workspace.root", () -> home.resolve("workspace").toString());
    registry.add("pipewright.workers.directory", () -> home.resolve("workers").toString());
    registry.add("pipewright.shared-log.file", () -> home.resolve("shared.log").toString());
  }

  static void chattr(String flag, Path file) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true).start();
    if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(
          "chattr " + flag + " failed: " + new String(process.getInputStream().readAllBytes()));
    }
  }

  @LocalServerPort int port;

  static final String LATER =
      "name: later\ntasks:\n  - name: t\n    originate: {output: [x]}\n    shell: \"touch {output}\"\n";

  @Test
  void aDatabaseFileMadeReadOnlyGets503sAndNothingIsLostOnceItTakesWritesAgain() throws Exception {
    Api api = new Api(port);
    api.postPipeline(Api.originate("outage", 60, "sleep 0.1; echo $PIPEWRIGHT_JOB_ID >> {output}"));
    long id = api.startRun("{\"pipeline\": \"outage\"}");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> ControlPlaneRestartIT.succeeded(api, id) >= 5);

    chattr("+i", database());
    try {
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
      Thread.sleep(2000);
    } finally {
      chattr("-i", database());
    }

    JsonNode run =
        await()
            .atMost(Duration.ofSeconds(120))
            .ignoreExceptions()
            .until(
                () -> api.get("/api/runs/" + id),
                r -> Api.FINAL.contains(r.get("state").asString()));
    assertThat(run.get("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
    for (int i = 1; i <= 60; i++) {
      assertThat(Files.readAllLines(home.resolve("workspace/outage/o" + i + ".txt")))
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
