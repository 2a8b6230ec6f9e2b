package org.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.store.Postgres;
import tools.jackson.databind.JsonNode;

/**
 * Two packaged control planes, each a process with two workers of its own, on one PostgreSQL
 * database and one workspace: every job of runs started on either runs exactly once; then one is
 * killed with SIGKILL in the middle of its run, and the other takes the run over and finishes it
 * without two executions of a job ever overlapping.
 */
class TwoControlPlanesIT {

  /** Kept when the test fails: the services' and workers' logs say what happened. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path home;

  PackagedControlPlanes planes;

  @BeforeAll
  static void server() {
    Postgres.requireServer();
  }

  @BeforeEach
  void planes() {
    planes = new PackagedControlPlanes(home);
  }

  @AfterEach
  void killWhatIsLeft() {
    planes.killWhatIsLeft();
  }

  long workerProcesses(String name) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains("WorkerMain"))
        .filter(p -> p.info().commandLine().orElse("").contains(home.resolve(name).toString()))
        .count();
  }

  @Test
  void jobsOfRunsOnTwoControlPlanesRunOnceAndASurvivorFinishesTheRunOfOneKilled() throws Exception {
    String database = Postgres.freshDatabase("two_control_planes");
    int portA = ControlPlaneRestartIT.freePort();
    int portB = ControlPlaneRestartIT.freePort();
    Process first = planes.start("a", portA, database);
    planes.start("b", portB, database);
    Api a = PackagedControlPlanes.awaitUp(portA);
    Api b = PackagedControlPlanes.awaitUp(portB);

    // 2,000 jobs in four runs, two started on each control plane.
    List<Long> runs = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      Api on = i <= 2 ? a : b;
      // Each job also prints a line: both control planes append to the one shared log at once.
      on.postPipeline(
          Api.originate(
              "once" + i, 500, "echo $PIPEWRIGHT_JOB_ID >> {output}; echo made {output}"));
      runs.add(on.startRun("{\"pipeline\": \"once" + i + "\"}"));
    }
    for (long id : runs) {
      JsonNode run =
          await()
              .atMost(Duration.ofSeconds(240))
              .ignoreExceptions()
              .until(() -> b.get("/api/runs/" + id), r -> Api.FINAL.contains(state(r)));
      assertThat(state(run)).as(run.toString()).isEqualTo("SUCCEEDED");
      assertThat(run.get("counts").get("SUCCEEDED").asInt()).isEqualTo(500);
      assertThat(ControlPlaneRestartIT.logLines(b, id))
          .as("run %d's lines in the shared log, each once", id)
          .hasSize(500)
          .allMatch(line -> line.startsWith("made o"));
    }
    for (int i = 1; i <= 4; i++) {
      Path workdir = home.resolve("workspace/once" + i);
      for (int o = 1; o <= 500; o++) {
        assertThat(Files.readAllLines(workdir.resolve("o" + o + ".txt")))
            .as("once%d/o%d.txt is written by exactly one execution (logs in %s)", i, o, home)
            .hasSize(1);
      }
    }

    // A killed in the middle of its run: B takes it over once A has been silent long enough.
    String timed = "s=$(date +%s%N); sleep 0.2; echo $s $(date +%s%N) >> {output}";
    a.postPipeline(Api.originate("orphan", 60, timed));
    b.postPipeline(Api.originate("steady", 60, timed));
    long orphan = a.startRun("{\"pipeline\": \"orphan\"}");
    long steady = b.startRun("{\"pipeline\": \"steady\"}");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> ControlPlaneRestartIT.succeeded(a, orphan) >= 10);
    first.destroyForcibly().waitFor();

    for (long id : List.of(orphan, steady)) {
      JsonNode run =
          await()
              .atMost(Duration.ofSeconds(120))
              .ignoreExceptions()
              .until(() -> b.get("/api/runs/" + id), r -> Api.FINAL.contains(state(r)));
      assertThat(state(run)).as(run.toString()).isEqualTo("SUCCEEDED");
    }
    for (String pipeline : List.of("orphan", "steady")) {
      for (int o = 1; o <= 60; o++) {
        List<long[]> executions = new ArrayList<>();
        for (String line :
            Files.readAllLines(home.resolve("workspace/" + pipeline + "/o" + o + ".txt"))) {
          String[] parts = line.split(" ");
          executions.add(new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])});
        }
        assertThat(executions)
            .as("%s/o%d.txt was written (logs in %s)", pipeline, o, home)
            .isNotEmpty();
        executions.sort((x, y) -> Long.compare(x[0], y[0]));
        for (int e = 1; e < executions.size(); e++) {
          assertThat(executions.get(e)[0])
              .as("%s/o%d.txt: an execution began before the one before it ended", pipeline, o)
              .isGreaterThan(executions.get(e - 1)[1]);
        }
      }
    }
    Set<Long> ofB = workerIds(b, steady);
    Set<Long> ranOrphan = workerIds(b, orphan);
    assertThat(ranOrphan)
        .as("the orphan's jobs ran on A's workers, then on B's")
        .containsAnyElementsOf(ofB)
        .anyMatch(worker -> !ofB.contains(worker));
    await()
        .atMost(Duration.ofSeconds(60))
        .alias("the killed control plane's workers exit once it is unreachable")
        .until(() -> workerProcesses("a") == 0);
  }

  static Set<Long> workerIds(Api api, long run) throws Exception {
    Set<Long> ids = new TreeSet<>();
    for (JsonNode job : api.jobs(run, "").get("jobs")) {
      ids.add(job.get("workerId").asLong());
    }
    return ids;
  }

  static String state(JsonNode run) {
    return run.get("state").asString();
  }
}
