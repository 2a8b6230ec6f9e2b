package org.pipewright.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the SLURM commands print, as the launcher reads it. */
class SlurmTests {

  @Test
  void sbatchParsablePrintsTheJobIdWithOrWithoutItsCluster() {
    assertThat(Slurm.parseSbatch("1234\n")).isEqualTo("1234");
    assertThat(Slurm.parseSbatch("1234;cluster2\n")).isEqualTo("1234");
    assertThatThrownBy(() -> Slurm.parseSbatch("sbatch: error: invalid partition"))
        .hasMessageContaining("sbatch printed no job id");
  }

  @Test
  void squeueGivesEachJobsStateReasonAndRestarts() {
    Map<String, Slurm.Job> jobs =
        Slurm.parseSqueue(
            """
            12|RUNNING|None|0|
            13|PENDING|Resources|0|
            14|PENDING|BeginTime|1|
            15|FAILED|NonZeroExitCode|0|
            16|COMPLETING|None|0|

            """);

    assertThat(jobs.keySet()).containsExactly("12", "13", "14", "15", "16");
    assertThat(jobs.get("12")).isEqualTo(new Slurm.Job("12", "RUNNING", "", 0));
    assertThat(jobs.get("12").running()).isTrue();
    assertThat(jobs.get("13").requeued()).as("waiting for its first start").isFalse();
    assertThat(jobs.get("13").ended()).isFalse();
    assertThat(jobs.get("14").requeued()).as("waiting to run again").isTrue();
    assertThat(jobs.get("15").ended()).isTrue();
    assertThat(jobs.get("15")).hasToString("FAILED (NonZeroExitCode)");
    assertThat(jobs.get("16").ended()).as("its processes may still run").isFalse();
  }

  @Test
  void aJobSlurmIsRequeuingCountsAsRequeuedWhateverItsCount() {
    assertThat(new Slurm.Job("7", "REQUEUED", "", 0).requeued()).isTrue();
    assertThat(new Slurm.Job("7", "REQUEUE_HOLD", "", 0).requeued()).isTrue();
    assertThat(new Slurm.Job("7", "RUNNING", "", 1).requeued())
        .as("requeued, then started again: its script exits at once")
        .isFalse();
  }

  @Test
  void sacctGivesTheJobsOwnLineNotItsSteps() {
    String printed =
        """
        88|CANCELLED by 0|0:15
        88.batch|CANCELLED|0:15
        89|COMPLETED|0:0
        """;

    assertThat(Slurm.parseSacct(printed, "88"))
        .hasValue(new Slurm.Job("88", "CANCELLED", "exit code 0:15", 0));
    assertThat(Slurm.parseSacct(printed, "88").orElseThrow().ended()).isTrue();
    assertThat(Slurm.parseSacct(printed, "90")).isEmpty();
  }
}
