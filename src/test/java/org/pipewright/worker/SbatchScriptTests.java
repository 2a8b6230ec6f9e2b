package org.pipewright.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.pipeline.Resources;

/** The batch script of a SLURM worker, read as sbatch and bash read it. */
class SbatchScriptTests {

  @TempDir Path temp;

  static SbatchScript script(Path folder, List<String> options) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("PIPEWRIGHT_URL", "http://login1:8080");
    settings.put("PIPEWRIGHT_LAUNCH_TOKEN_FROM", "file:" + folder.resolve("launch-token"));
    settings.put("PIPEWRIGHT_WORKSPACE", "/shared/it's/workspace");
    return new SbatchScript(
        17,
        "pipewright-worker",
        new Resources(4, 8192),
        "short",
        Duration.ofHours(26).plusMinutes(3),
        "lab42",
        options,
        folder,
        settings,
        List.of("/opt/java/bin/java", "-Xmx64m", "-cp", "/shared/w.jar", WorkerClasspath.MAIN));
  }

  @Test
  void theSbatchLinesAskForTheWorkersCoresMemoryPartitionTimeAndAccountAndEveryOption() {
    Path folder = Path.of("/shared/data/workers/17");

    List<String> lines =
        script(folder, List.of("--qos=long", "--constraint=avx2")).text().lines().toList();

    assertThat(lines.getFirst()).isEqualTo("#!/bin/bash");
    assertThat(lines.stream().filter(l -> l.startsWith("#SBATCH ")).toList())
        .containsExactly(
            "#SBATCH --job-name=pipewright-worker",
            "#SBATCH --ntasks=1",
            "#SBATCH --cpus-per-task=4",
            "#SBATCH --mem=8192M",
            "#SBATCH --partition=short",
            "#SBATCH --time=1-02:03:00",
            "#SBATCH --account=lab42",
            "#SBATCH --chdir=/shared/data/workers/17",
            "#SBATCH --output=/shared/data/workers/17/worker.log",
            "#SBATCH --open-mode=append",
            "#SBATCH --qos=long",
            "#SBATCH --constraint=avx2");
    // sbatch stops reading #SBATCH lines at the first command.
    int lastDirective = lines.lastIndexOf("#SBATCH --constraint=avx2");
    assertThat(lines.subList(1, lastDirective))
        .allMatch(line -> line.startsWith("#"), "only comments and directives before the last");
    assertThat(lines.getLast())
        .isEqualTo(
            "exec '/opt/java/bin/java' '-Xmx64m' '-cp' '/shared/w.jar'"
                + " 'org.pipewright.worker.runtime.WorkerMain'");
  }

  @Test
  void theScriptNamesTheTokenFileButNeverHoldsTheToken() {
    String text = script(Path.of("/shared/data/workers/17"), List.of()).text();

    assertThat(text)
        .contains("export PIPEWRIGHT_LAUNCH_TOKEN_FROM='file:/shared/data/workers/17/launch-token'")
        .doesNotContain("PIPEWRIGHT_LAUNCH_TOKEN=");
  }

  @Test
  void aRequeuedJobExitsAtOnceAndAFirstRunExportsItsSettingsVerbatimAndStartsTheWorker()
      throws Exception {
    Path folder = Files.createDirectories(temp.resolve("17"));
    SbatchScript script =
        new SbatchScript(
            17,
            "pipewright-worker",
            new Resources(1, 1024),
            null,
            null,
            null,
            List.of(),
            folder,
            Map.of("PIPEWRIGHT_WORKSPACE", "/shared/it's/workspace"),
            List.of("sh", "-c", "echo \"$PIPEWRIGHT_WORKSPACE\" > started"));
    Path file = Files.writeString(folder.resolve("worker.sbatch"), script.text());

    ProcessBuilder requeued =
        new ProcessBuilder("bash", file.toString()).directory(folder.toFile());
    requeued.environment().put("SLURM_RESTART_COUNT", "1");
    assertThat(requeued.start().waitFor()).isZero();
    assertThat(folder.resolve("started")).doesNotExist();

    ProcessBuilder first = new ProcessBuilder("bash", file.toString()).directory(folder.toFile());
    first.environment().remove("SLURM_RESTART_COUNT");
    assertThat(first.start().waitFor()).isZero();
    assertThat(folder.resolve("started")).hasContent("/shared/it's/workspace");
  }

  @Test
  void aWallTimeReadsAsDaysHoursMinutesSeconds() {
    assertThat(SbatchScript.time(Duration.ofMinutes(90))).isEqualTo("0-01:30:00");
    assertThat(SbatchScript.time(Duration.ofDays(3).plusSeconds(5))).isEqualTo("3-00:00:05");
  }

  @Test
  void bashReadsAQuotedWordBackAsItWas() {
    assertThat(SbatchScript.quote("it's \"$HOME\" `x`")).isEqualTo("'it'\\''s \"$HOME\" `x`'");
  }
}
