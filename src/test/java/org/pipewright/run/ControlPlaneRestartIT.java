package org.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The packaged service, started as a process, killed with SIGKILL in the middle of a run and
 * started again on the same data: the run finishes, no job ran twice, and no worker JVM is left
 * over.
 */
class ControlPlaneRestartIT {

  /** Kept when the test fails: its service.log and workers' logs say what happened. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path home;

  final List<Process> started = new ArrayList<>();

  @AfterEach
  void killWhatIsLeft() {
    started.forEach(Process::destroyForcibly);
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(home.toString()))
        .forEach(ProcessHandle::destroyForcibly);
  }

  Process start(int port) throws IOException {
    String jar = System.getProperty("pipewright.jar");
    assertThat(jar).as("the packaged jar (run by failsafe after package)").isNotNull();
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder =
        new ProcessBuilder(
            java,
            "-Xmx512m",
            "-jar",
            jar,
            "--server.port=" + port,
            "--pipewright.workspace.root=" + home.resolve("workspace"),
            "--pipewright.workers.directory=" + home.resolve("workers"),
            "--pipewright.workers.count=2",
            "--pipewright.workers.lease=10s",
            "--pipewright.security.admin-token=restart-token");
    builder.command().addAll(database());
    builder.directory(home.toFile());
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("service.log").toFile()));
    Process process = builder.start();
    started.add(process);
    return process;
  }

  /** The embedded H2 file, as a single machine keeps its state. */
  List<String> database() {
    return List.of(
        "--spring.datasource.url=jdbc:h2:file:"
            + home.resolve("data/pipewright")
            + ";WRITE_DELAY=0");
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  long workerProcesses() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains("WorkerMain"))
        .filter(p -> p.info().commandLine().orElse("").contains(home.toString()))
        .count();
  }

  @Test
  void aRunSurvivesAControlPlaneKilledWithSigkillAndNoWorkerIsLeftOver() throws Exception {
    int port = freePort();
    Api api = new Api("http://127.0.0.1:" + port, "restart-token");
    Process first = start(port);
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> api.get("/actuator/health").get("status").asString().equals("UP"));
    api.postPipeline(
        Api.originate(
            "survivor", 40, "sleep 0.3; echo $PIPEWRIGHT_JOB_ID >> {output}; echo made {output}"));
    long id = api.startRun("{\"pipeline\": \"survivor\"}");
    await().atMost(Duration.ofSeconds(60)).until(() -> succeeded(api, id) >= 10);
    // Stored before their jobs' completions were acknowledged: they must outlive the kill.
    Set<String> loggedBeforeKill = logLines(api, id);
    assertThat(loggedBeforeKill).hasSizeGreaterThanOrEqualTo(10);

    first.destroyForcibly().waitFor();
    assertThat(workerProcesses())
        .as("workers outlive a killed control plane for a while")
        .isPositive();
    Process second = start(port);

    JsonNode run =
        await()
            .atMost(Duration.ofSeconds(120))
            .ignoreExceptions()
            .until(
                () -> api.get("/api/runs/" + id),
                r -> Api.FINAL.contains(r.get("state").asString()));
    assertThat(run.get("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
    Path workdir = home.resolve("workspace/survivor");
    for (int i = 1; i <= 40; i++) {
      assertThat(Files.readAllLines(workdir.resolve("o" + i + ".txt")))
          .as("o%d.txt is written by exactly one execution (logs in %s)", i, home)
          .hasSize(1);
    }
    Set<String> logged = logLines(api, id);
    assertThat(logged).containsAll(loggedBeforeKill);
    assertThat(logged)
        .containsAll(IntStream.rangeClosed(1, 40).mapToObj(i -> "made o" + i + ".txt").toList());

    second.destroy();
    assertThat(second.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() -> workerProcesses() == 0);
  }

  static int succeeded(Api api, long id) throws Exception {
    JsonNode counts = api.get("/api/runs/" + id).get("counts");
    return counts.has("SUCCEEDED") ? counts.get("SUCCEEDED").asInt() : 0;
  }

  /** The lines the run's shell jobs printed, as the shared log holds them, with their numbers. */
  static Set<String> logLines(Api api, long run) throws Exception {
    Set<String> lines = new java.util.TreeSet<>();
    for (JsonNode record : api.get("/api/runs/" + run + "/logs?limit=10000").get("records")) {
      lines.add(record.get("message").asString());
    }
    return lines;
  }
}
