package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigTests {

  @TempDir Path temp;
  Map<String, String> env = new HashMap<>();

  @BeforeEach
  void required() {
    env.put("PIPEWRIGHT_URL", "http://127.0.0.1:8080");
    env.put("PIPEWRIGHT_LAUNCH_TOKEN", "secret");
    env.put("PIPEWRIGHT_WORKSPACE", temp.toString());
    env.put("PIPEWRIGHT_WORKER_DIR", temp.resolve("worker").toString());
  }

  @Test
  void defaultsAreThoseTheProtocolNames() {
    WorkerConfig config = WorkerConfig.fromEnvironment(env);

    assertThat(config.unreachableMs()).isEqualTo(60_000);
    assertThat(config.maxBatch()).isEqualTo(16);
    assertThat(config.leaseWaitMs()).isEqualTo(20_000);
    assertThat(config.plugins()).isEmpty();
    assertThat(config.workspace()).isEqualTo(temp);
  }

  @Test
  void everySettingComesFromItsVariable() throws Exception {
    Path jar = Files.writeString(temp.resolve("a.jar"), "");
    env.put("PIPEWRIGHT_UNREACHABLE_MS", "1500");
    env.put("PIPEWRIGHT_MAX_BATCH", "4");
    env.put("PIPEWRIGHT_LEASE_WAIT_MS", "30000");
    env.put("PIPEWRIGHT_PLUGINS", jar + "::");

    WorkerConfig config = WorkerConfig.fromEnvironment(env);

    assertThat(config.unreachableMs()).isEqualTo(1500);
    assertThat(config.maxBatch()).isEqualTo(4);
    assertThat(config.leaseWaitMs()).isEqualTo(30_000);
    assertThat(config.plugins()).isEqualTo(List.of(jar));
  }

  @Test
  void aMissingRequiredVariableIsNamed() {
    env.remove("PIPEWRIGHT_LAUNCH_TOKEN");

    assertThatThrownBy(() -> WorkerConfig.fromEnvironment(env))
        .hasMessage("PIPEWRIGHT_LAUNCH_TOKEN is not set");
  }

  @Test
  void theLaunchTokenCanComeFromStdinSoThatJobsCannotReadItFromTheEnvironment() {
    env.remove("PIPEWRIGHT_LAUNCH_TOKEN");
    env.put("PIPEWRIGHT_LAUNCH_TOKEN_FROM", "stdin");

    assertThat(WorkerConfig.fromEnvironment(env, () -> "from-the-pipe\n").launchToken())
        .isEqualTo("from-the-pipe");
    assertThatThrownBy(() -> WorkerConfig.fromEnvironment(env, () -> ""))
        .hasMessageContaining("stdin held no token");
  }

  @Test
  void wrongValuesAreRefusedWithTheVariablesName() {
    assertRefused("PIPEWRIGHT_URL", "ftp://host", "PIPEWRIGHT_URL must be an http(s) URL");
    assertRefused(
        "PIPEWRIGHT_WORKSPACE", "relative/path", "PIPEWRIGHT_WORKSPACE must be an absolute path");
    assertRefused("PIPEWRIGHT_WORKSPACE", "/no/such/folder", "is not a folder on this host");
    assertRefused("PIPEWRIGHT_MAX_BATCH", "0", "PIPEWRIGHT_MAX_BATCH must be a whole number");
    assertRefused("PIPEWRIGHT_LEASE_WAIT_MS", "30001", "from 100 to 30000");
    assertRefused("PIPEWRIGHT_UNREACHABLE_MS", "soon", "PIPEWRIGHT_UNREACHABLE_MS must be");
    assertRefused("PIPEWRIGHT_PLUGINS", "/no/such.jar", "names a missing file");
  }

  @Test
  void theLaunchTokenCanComeFromAFileThatIsDeletedOnceRead() throws Exception {
    env.remove("PIPEWRIGHT_LAUNCH_TOKEN");
    Path file = Files.writeString(temp.resolve("launch-token"), "from-the-file\n");
    env.put("PIPEWRIGHT_LAUNCH_TOKEN_FROM", "file:" + file);

    assertThat(WorkerConfig.fromEnvironment(env).launchToken()).isEqualTo("from-the-file");
    assertThat(file).doesNotExist();
    // The same launch started again (a requeued SLURM job) finds no token to register with.
    assertThatThrownBy(() -> WorkerConfig.fromEnvironment(env))
        .hasMessageContaining("launch-token could not be read and deleted");
  }

  @Test
  void aTokenFileNeedsAnAbsolutePathAndNoOtherSourceIsTaken() throws Exception {
    env.remove("PIPEWRIGHT_LAUNCH_TOKEN");

    env.put("PIPEWRIGHT_LAUNCH_TOKEN_FROM", "file:relative/token");
    assertThatThrownBy(() -> WorkerConfig.fromEnvironment(env))
        .hasMessageContaining("needs an absolute path");
    env.put("PIPEWRIGHT_LAUNCH_TOKEN_FROM", "argv");
    assertThatThrownBy(() -> WorkerConfig.fromEnvironment(env))
        .hasMessage("PIPEWRIGHT_LAUNCH_TOKEN_FROM must be stdin or file:<absolute path>, not argv");
    env.put("PIPEWRIGHT_LAUNCH_TOKEN_FROM", "file:" + Files.writeString(temp.resolve("t"), ""));
    assertThatThrownBy(() -> WorkerConfig.fromEnvironment(env))
        .hasMessageContaining("held no token");
  }

  @Test
  void aWorkerOffersWhatItIsToldThenWhatSlurmAllocatedThenTheHost() {
    assertThat(capacity()).isEqualTo(new Capacity(8, 32_000));

    env.put("SLURM_JOB_ID", "42");
    env.put("SLURM_CPUS_PER_TASK", "2");
    env.put("SLURM_MEM_PER_NODE", "4096");
    assertThat(capacity()).isEqualTo(new Capacity(2, 4096));

    env.remove("SLURM_MEM_PER_NODE");
    env.put("SLURM_MEM_PER_CPU", "1000");
    assertThat(capacity()).isEqualTo(new Capacity(2, 2000));

    env.put("PIPEWRIGHT_CPUS", "16");
    env.put("PIPEWRIGHT_MEMORY_MB", "65536");
    assertThat(capacity()).isEqualTo(new Capacity(16, 65_536));

    env.put("PIPEWRIGHT_CPUS", "many");
    assertThatThrownBy(this::capacity)
        .hasMessage("PIPEWRIGHT_CPUS must be a positive whole number: many");
  }

  @Test
  void slurmVariablesCountOnlyInsideASlurmJob() {
    env.put("SLURM_CPUS_PER_TASK", "2"); // left over in the environment of the service

    assertThat(capacity()).isEqualTo(new Capacity(8, 32_000));
  }

  private Capacity capacity() {
    return WorkerConfig.fromEnvironment(env, () -> "", () -> 8, () -> 32_000).capacity();
  }

  @Test
  void theLaunchTokenNeverShowsInTheConfigsText() {
    assertThat(WorkerConfig.fromEnvironment(env).toString()).doesNotContain("secret");
  }

  private void assertRefused(String name, String value, String message) {
    Map<String, String> wrong = new HashMap<>(env);
    wrong.put(name, value);
    assertThatThrownBy(() -> WorkerConfig.fromEnvironment(wrong))
        .as(name + "=" + value)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
