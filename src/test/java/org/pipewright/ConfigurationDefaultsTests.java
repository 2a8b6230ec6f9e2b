package org.pipewright;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pipewright.lock.LockProperties;
import org.pipewright.pipeline.PipelineProperties;
import org.pipewright.pipeline.Resources;
import org.pipewright.run.RunProperties;
import org.pipewright.security.SecurityProperties;
import org.pipewright.sharedlog.SharedLogProperties;
import org.pipewright.worker.SlurmProperties;
import org.pipewright.worker.WorkerProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;
import org.springframework.mock.env.MockEnvironment;

/** The defaults each capability gets when the operator sets nothing. */
class ConfigurationDefaultsTests {

  static <T> T bindNothing(String prefix, Class<T> type) {
    return new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate(prefix, type);
  }

  static <T> T bind(String prefix, Class<T> type, Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate(prefix, type);
  }

  @Test
  void securityDefaultsToAGeneratedTokenInTheDataFolder() {
    SecurityProperties security = bindNothing("pipewright.security", SecurityProperties.class);

    assertThat(security.adminToken()).isNull();
    assertThat(security.tokenFile()).isEqualTo(Path.of("data", "admin-token"));
    assertThat(security.sessionLifetime()).isEqualTo(java.time.Duration.ofDays(7));
  }

  @Test
  void securityPropertiesNeverPrintTheToken() {
    SecurityProperties security =
        bind(
            "pipewright.security",
            SecurityProperties.class,
            Map.of("pipewright.security.admin-token", "s3cret"));

    assertThat(security.adminToken()).isEqualTo("s3cret");
    assertThat(security.toString()).doesNotContain("s3cret");
  }

  @Test
  void adminTokenComesFromPipewrightAdminTokenVariable() throws Exception {
    var environment = new MockEnvironment().withProperty("PIPEWRIGHT_ADMIN_TOKEN", "from-env");
    new YamlPropertySourceLoader()
        .load("defaults", new ClassPathResource("application.yml"))
        .forEach(environment.getPropertySources()::addLast);

    SecurityProperties security =
        Binder.get(environment).bindOrCreate("pipewright.security", SecurityProperties.class);

    assertThat(security.adminToken()).isEqualTo("from-env");
  }

  @Test
  void adminTokenIsUnsetWithoutTheVariable() throws Exception {
    var environment = new MockEnvironment();
    new YamlPropertySourceLoader()
        .load("defaults", new ClassPathResource("application.yml"))
        .forEach(environment.getPropertySources()::addLast);

    SecurityProperties security =
        Binder.get(environment).bindOrCreate("pipewright.security", SecurityProperties.class);

    assertThat(security.adminToken()).isNullOrEmpty();
  }

  @Test
  void workspaceDefaultsToAFolderInTheWorkingDirectory() {
    assertThat(bindNothing("pipewright.workspace", WorkspaceProperties.class).root())
        .isEqualTo(Path.of("workspace"));
  }

  @Test
  void pipelineLimitsDefaultToOneMebibyteAThousandTasksAndDepth32() {
    assertThat(bindNothing("pipewright.pipelines", PipelineProperties.class))
        .isEqualTo(
            new PipelineProperties(
                1024 * 1024,
                1000,
                32,
                List.of("org.pipewright.examples"),
                50,
                100_000,
                65_536,
                10_000));
  }

  @Test
  void pipelineLimitsBindFromKebabCase() {
    PipelineProperties limits =
        bind(
            "pipewright.pipelines",
            PipelineProperties.class,
            Map.of(
                "pipewright.pipelines.max-body-bytes", "2048",
                "pipewright.pipelines.max-tasks", "5",
                "pipewright.pipelines.max-nesting-depth", "4",
                "pipewright.pipelines.java-packages", "org.example,com.lab.jobs",
                "pipewright.pipelines.max-aliases", "3",
                "pipewright.pipelines.max-values", "1000",
                "pipewright.pipelines.max-string-length", "200",
                "pipewright.pipelines.max-listed-jobs", "7"));

    assertThat(limits)
        .isEqualTo(
            new PipelineProperties(
                2048, 5, 4, List.of("org.example", "com.lab.jobs"), 3, 1000, 200, 7));
  }

  @Test
  void workersDefaultToOneLocalJvmPerCoreWithAOneSecondHeartbeatAndFifteenSecondLease() {
    WorkerProperties workers = bindNothing("pipewright.workers", WorkerProperties.class);

    assertThat(workers.launcher()).isEqualTo("local");
    assertThat(workers.poolSize()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(workers.heartbeat()).isEqualTo(Duration.ofSeconds(1));
    assertThat(workers.lease()).isEqualTo(Duration.ofSeconds(15));
    assertThat(workers.unreachableExit()).isEqualTo(Duration.ofSeconds(60));
    assertThat(workers.maxBatch()).isEqualTo(64);
    assertThat(workers.jvmOptions()).contains("-XX:TieredStopAtLevel=1", "-Xmx64m");
    assertThat(workers.directory()).isEqualTo(Path.of("data", "workers"));
    assertThat(workers.callbackUrl()).isNull();
    assertThat(workers.plugins()).isEmpty();
  }

  @Test
  void runsRetryALostJobTwiceAndWaitAtMostThirtySecondsPerLease() {
    assertThat(bindNothing("pipewright.runs", RunProperties.class))
        .isEqualTo(
            new RunProperties(3, Duration.ofSeconds(30), Duration.ofSeconds(5), 100, 2_000_000));
  }

  @Test
  void locksLeaseThirtySecondsWaitTenAndKeepATimedOutPlaceTwo() {
    assertThat(bindNothing("pipewright.locks", LockProperties.class))
        .isEqualTo(
            new LockProperties(30_000, 600_000, 10_000, 60_000, Duration.ofSeconds(2), 100, null));
  }

  @Test
  void lockPropertiesBindFromKebabCase() {
    LockProperties locks =
        bind(
            "pipewright.locks",
            LockProperties.class,
            Map.of(
                "pipewright.locks.default-lease-ms", "500",
                "pipewright.locks.max-lease-ms", "1000",
                "pipewright.locks.default-wait-ms", "0",
                "pipewright.locks.max-wait-ms", "5",
                "pipewright.locks.requeue-grace", "250ms",
                "pipewright.locks.socket", "/run/pipewright/locks.sock"));

    assertThat(locks)
        .isEqualTo(
            new LockProperties(
                500,
                1000,
                0,
                5,
                Duration.ofMillis(250),
                100,
                Path.of("/run/pipewright/locks.sock")));
  }

  @Test
  void anEmptyLockSocketMeansNone() {
    LockProperties locks =
        bind("pipewright.locks", LockProperties.class, Map.of("pipewright.locks.socket", ""));

    assertThat(locks.localSocket()).isNull();
  }

  @Test
  void sharedLogDefaultsToTheRuffusExamplesRotatingFile() {
    SharedLogProperties log = bindNothing("pipewright.shared-log", SharedLogProperties.class);

    assertThat(log.file()).isEqualTo(Path.of("logs", "shared.log"));
    assertThat(log.maxFileSize().toBytes()).isEqualTo(100_000);
    assertThat(log.backups()).isEqualTo(5);
    assertThat(log.maxMessageChars()).isEqualTo(16_384);
    assertThat(log.retention()).isEqualTo(java.time.Duration.ofDays(30));
  }

  @Test
  void sharedLogRefusesMoreBackupsThanItCanRollThrough() {
    assertThatThrownBy(() ->
            bind(
                "pipewright.shared-log",
                SharedLogProperties.class,
                Map.of("pipewright.shared-log.backups", "21")))
        .hasStackTraceContaining("between 1 and 20");
  }

  @Test
  void slurmWorkersDefaultToOneCoreAndTwoGigabytesInTheDefaultPartition() {
    SlurmProperties slurm = bindNothing("pipewright.slurm", SlurmProperties.class);

    assertThat(slurm.partition()).isNull();
    assertThat(slurm.cpus()).isEqualTo(1);
    assertThat(slurm.memory()).isEqualTo("2G");
    assertThat(slurm.timeLimit()).isNull();
    assertThat(slurm.account()).isNull();
    assertThat(slurm.options()).isEmpty();
    assertThat(slurm.groups()).isEmpty();
    assertThat(slurm.callbackUrl()).isNull();
    assertThat(slurm.classPath()).isEmpty();
    assertThat(slurm.javaCommand()).isNull();
    assertThat(slurm.directory()).isNull();
    assertThat(slurm.pollInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(slurm.jobName()).isEqualTo("pipewright-worker");
  }

  @Test
  void slurmGroupsTakeWhatTheyDoNotSetFromTheTopLevel() {
    SlurmProperties slurm =
        bind(
            "pipewright.slurm",
            SlurmProperties.class,
            Map.of(
                "pipewright.slurm.partition", "short",
                "pipewright.slurm.groups[0].count", "2",
                "pipewright.slurm.groups[0].cpus", "8",
                "pipewright.slurm.groups[0].memory", "32G",
                "pipewright.slurm.groups[0].options[0]", "--constraint=bigmem"));

    assertThat(slurm.pools(4))
        .extracting(
            SlurmProperties.Group::count,
            SlurmProperties.Group::offer,
            SlurmProperties.Group::partition,
            SlurmProperties.Group::options)
        .containsExactly(
            tuple(4, new Resources(1, 2048), "short", List.of()),
            tuple(2, new Resources(8, 32_768), "short", List.of("--constraint=bigmem")));
  }

  @Test
  void slurmRefusesAMemoryOrOptionSbatchCouldNotRead() {
    assertThatThrownBy(() ->
            bind(
                "pipewright.slurm",
                SlurmProperties.class,
                Map.of("pipewright.slurm.memory", "2 gigs")))
        .hasStackTraceContaining("pipewright.slurm.memory: '2 gigs' is not a memory size");
    assertThatThrownBy(() ->
            bind(
                "pipewright.slurm",
                SlurmProperties.class,
                Map.of("pipewright.slurm.groups[0].options[0]", "qos=long")))
        .hasStackTraceContaining("pipewright.slurm.groups[0].options: each is one sbatch option");
  }

  @Test
  void theReadmesClusterConfigurationBindsToEightSmallAndTwoBigSlurmWorkers() throws Exception {
    String readme = java.nio.file.Files.readString(Path.of("README.md"));
    String section = readme.substring(readme.indexOf("## Running on a SLURM cluster"));
    java.util.regex.Matcher yaml =
        java.util.regex.Pattern.compile("```yaml\n(.*?)```", java.util.regex.Pattern.DOTALL)
            .matcher(section);
    assertThat(yaml.find()).isTrue();
    var environment = new MockEnvironment();
    new YamlPropertySourceLoader()
        .load(
            "readme",
            new org.springframework.core.io.ByteArrayResource(
                yaml.group(1).stripIndent().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .forEach(environment.getPropertySources()::addLast);

    WorkerProperties workers =
        Binder.get(environment).bindOrCreate("pipewright.workers", WorkerProperties.class);
    SlurmProperties slurm =
        Binder.get(environment).bindOrCreate("pipewright.slurm", SlurmProperties.class);

    assertThat(workers.launcher()).isEqualTo("slurm");
    assertThat(slurm.callbackUrl()).hasToString("http://login1.cluster:8080");
    assertThat(slurm.timeLimit()).isEqualTo(Duration.ofHours(12));
    assertThat(slurm.pools(workers.poolSize()))
        .extracting(SlurmProperties.Group::count, SlurmProperties.Group::offer)
        .containsExactly(tuple(8, new Resources(1, 4096)), tuple(2, new Resources(8, 32_768)));
  }
}
