package org.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.pipewright.store.Postgres;

/**
 * Packaged control planes started as processes on one PostgreSQL database and one workspace under
 * {@code home}, each with a folder of its own for its log, its workers and its shared log.
 */
final class PackagedControlPlanes {

  static final String TOKEN = "two-planes-token";

  private final Path home;
  private final List<Process> started = new ArrayList<>();

  PackagedControlPlanes(Path home) {
    this.home = home;
  }

  /**
   * Starts the packaged jar as control plane {@code name}.
   *
   * @param settings more {@code --name=value} arguments, after (so over) the common ones
   */
  Process start(String name, int port, String database, String... settings) throws IOException {
    String jar = System.getProperty("pipewright.jar");
    assertThat(jar).as("the packaged jar (run by failsafe after package)").isNotNull();
    String java = ProcessHandle.current().info().command().orElse("java");
    Files.createDirectories(home.resolve(name));
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx384m",
                "-jar",
                jar,
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + database,
                "--spring.datasource.username=" + Postgres.USER,
                "--spring.datasource.password=" + Postgres.PASSWORD,
                "--server.port=" + port,
                "--pipewright.workspace.root=" + home.resolve("workspace"),
                "--pipewright.workers.directory=" + home.resolve(name + "/workers"),
                "--pipewright.workers.count=2",
                "--pipewright.workers.lease=3s",
                "--pipewright.workers.unreachable-exit=10s",
                "--pipewright.cluster.takeover-after=10s",
                "--pipewright.shared-log.file=" + home.resolve(name + "/shared.log"),
                "--pipewright.security.admin-token=" + TOKEN));
    for (String setting : settings) {
      // Spring joins a name given twice into a list ("2,1"): a setting replaces its namesake.
      String key = setting.substring(0, setting.indexOf('=') + 1);
      command.removeIf(argument -> argument.startsWith(key));
      command.add(setting);
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.directory(home.resolve(name).toFile());
    builder.redirectErrorStream(true);
    builder.redirectOutput(
        ProcessBuilder.Redirect.appendTo(home.resolve(name + "/service.log").toFile()));
    Process process = builder.start();
    started.add(process);
    return process;
  }

  /** The API of the control plane on {@code port}, once its health is UP. */
  static Api awaitUp(int port) {
    Api api = new Api("http://127.0.0.1:" + port, TOKEN);
    await()
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .until(() -> api.get("/actuator/health").get("status").asString().equals("UP"));
    return api;
  }

  /** Kills what the test left: the services, and every process naming the home folder. */
  void killWhatIsLeft() {
    started.forEach(Process::destroyForcibly);
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(home.toString()))
        .forEach(ProcessHandle::destroyForcibly);
  }
}
