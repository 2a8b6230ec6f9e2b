package org.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.store.Postgres;
import tools.jackson.databind.JsonNode;

/**
 * Packaged control planes whose workers are SLURM jobs on a real cluster, killed with SIGKILL: the
 * SLURM jobs they leave behind are cancelled by whoever takes their place, not left to hold an
 * allocation until they notice on their own (here they never would: their unreachable exit is an
 * hour).
 */
class SlurmControlPlanesIT {

  static final String JOB_NAME = "pipewright-planes-it";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path home;

  PackagedControlPlanes planes;

  @BeforeAll
  static void servers() {
    Postgres.requireServer();
    SlurmCluster.require();
  }

  @BeforeEach
  void planes() {
    planes = new PackagedControlPlanes(home);
  }

  @AfterEach
  void killWhatIsLeft() throws Exception {
    planes.killWhatIsLeft();
    List<String> left = SlurmCluster.queued(JOB_NAME);
    if (!left.isEmpty()) {
      SlurmCluster.run(
          java.util.stream.Stream.concat(java.util.stream.Stream.of("scancel"), left.stream())
              .toArray(String[]::new));
    }
  }

  static final String[] ON_SLURM = {
    "--pipewright.workers.launcher=slurm",
    "--pipewright.workers.count=1",
    "--pipewright.workers.unreachable-exit=1h",
    "--pipewright.slurm.cpus=1",
    "--pipewright.slurm.memory=256M",
    "--pipewright.slurm.options[0]=--oversubscribe",
    "--pipewright.slurm.poll-interval=500ms",
    "--pipewright.slurm.job-name=" + JOB_NAME
  };

  static String[] onSlurm(String... more) {
    return java.util.stream.Stream.concat(
            java.util.Arrays.stream(ON_SLURM), java.util.Arrays.stream(more))
        .toArray(String[]::new);
  }

  /** The SLURM jobs of the workers the API lists in {@code state}. */
  static Set<String> slurmJobs(Api api, String state) throws Exception {
    Set<String> jobs = new java.util.TreeSet<>();
    for (JsonNode worker : api.get("/api/workers?limit=1000").get("workers")) {
      if (worker.get("state").asString().equals(state) && !worker.get("slurmJobId").isNull()) {
        jobs.add(worker.get("slurmJobId").asString());
      }
    }
    return jobs;
  }

  @Test
  void theSlurmWorkersOfAControlPlaneKilledWithSigkillAreCancelledByThePeerThatTakesItsPlace()
      throws Exception {
    String database = Postgres.freshDatabase("slurm_planes_takeover");
    int portA = ControlPlaneRestartIT.freePort();
    int portB = ControlPlaneRestartIT.freePort();
    Process a = planes.start("a", portA, database, ON_SLURM);
    Api apiA = PackagedControlPlanes.awaitUp(portA);
    Set<String> ofA =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> slurmJobs(apiA, "ALIVE"), jobs -> jobs.size() == 1);
    planes.start("b", portB, database, ON_SLURM);
    Api apiB = PackagedControlPlanes.awaitUp(portB);
    Set<String> ofB =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  Set<String> alive = new java.util.TreeSet<>(slurmJobs(apiB, "ALIVE"));
                  alive.removeAll(ofA);
                  return alive;
                },
                jobs -> jobs.size() == 1);
    assertThat(SlurmCluster.queued(JOB_NAME)).containsAll(ofA).containsAll(ofB);

    a.destroyForcibly().waitFor();

    await()
        .atMost(Duration.ofSeconds(60))
        .alias("B found A dead and cancelled its SLURM worker")
        .until(
            () -> SlurmCluster.queued(JOB_NAME),
            queued -> !queued.stream().anyMatch(ofA::contains));
    assertThat(SlurmCluster.queued(JOB_NAME)).as("B's own worker stays").containsAll(ofB);
    assertThat(slurmJobs(apiB, "LOST")).containsAll(ofA);
  }

  @Test
  void aRestartCancelsTheSlurmWorkersItsKilledPredecessorLeftWaitingInTheQueue() throws Exception {
    String database = Postgres.freshDatabase("slurm_planes_restart");
    int port = ControlPlaneRestartIT.freePort();
    // Workers that may start only in an hour: they wait in the queue, never registered.
    String[] waiting = onSlurm("--pipewright.slurm.options[1]=--begin=now+3600");
    Process first = planes.start("a", port, database, waiting);
    PackagedControlPlanes.awaitUp(port);
    List<String> left =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> SlurmCluster.queued(JOB_NAME), queued -> queued.size() == 1);

    first.destroyForcibly().waitFor();
    assertThat(SlurmCluster.queued(JOB_NAME)).as("SIGKILL cancels nothing").containsAll(left);
    planes.start("a", port, database, waiting);
    Api again = PackagedControlPlanes.awaitUp(port);

    await()
        .atMost(Duration.ofSeconds(60))
        .alias("the restarted control plane cancelled what its predecessor left waiting")
        .until(
            () -> SlurmCluster.queued(JOB_NAME),
            queued -> queued.size() == 1 && !queued.contains(left.getFirst()));
    assertThat(slurmJobs(again, "EXITED")).containsAll(left);
  }
}
