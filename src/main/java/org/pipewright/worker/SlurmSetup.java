package org.pipewright.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every SLURM worker of this service starts with, settled once as the launcher starts: where
 * the workers call, their command line and their folders on the shared file system; and the files
 * of each worker: its folder, its launch token (readable by its owner only) and its batch script.
 */
final class SlurmSetup {

  /** The file in a worker's folder that holds its launch token until the worker reads it. */
  static final String TOKEN_FILE = "launch-token";

  /** The worker's batch script, in its folder. */
  static final String SCRIPT = "worker.sbatch";

  final URI callback;
  final Path directory;
  private final WorkerProperties workers;
  private final SlurmProperties properties;
  private final Path workspace;
  private final List<String> command;

  private SlurmSetup(
      URI callback,
      Path directory,
      WorkerProperties workers,
      SlurmProperties properties,
      Path workspace,
      List<String> command) {
    this.callback = callback;
    this.directory = directory;
    this.workers = workers;
    this.properties = properties;
    this.workspace = workspace;
    this.command = command;
  }

  /**
   * Settles the setup: makes the folders, writes the worker jar unless one is configured.
   *
   * @param fallback where workers call when nothing is configured: this host's loopback
   * @throws IllegalStateException saying why the service cannot start SLURM workers
   */
  static SlurmSetup settle(
      WorkerProperties workers,
      SlurmProperties properties,
      Path workspace,
      Path directory,
      Slurm slurm,
      URI fallback) {
    // sbatch reads #SBATCH lines word by word and expands % in file names.
    if (!directory.toString().matches("[^\\s%]+")) {
      throw new IllegalStateException(
          "the SLURM workers' folder " + directory + " must not hold spaces or '%'");
    }
    URI callback = callback(workers, properties, slurm, fallback);
    try {
      Files.createDirectories(workspace);
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + directory + " or " + workspace, e);
    }
    List<Path> classPath =
        WorkerClasspath.resolve(
            properties.classPath().isEmpty() ? workers.classPath() : properties.classPath(),
            directory);
    // No class data sharing: nodes would write one archive on the shared file system at once.
    List<String> command =
        WorkerCommand.line(
            WorkerCommand.java(
                properties.javaCommand() != null
                    ? properties.javaCommand()
                    : workers.javaCommand()),
            workers.jvmOptions(),
            null,
            classPath);
    return new SlurmSetup(callback, directory, workers, properties, workspace, command);
  }

  /**
   * Where workers call: the configured URL, or {@code fallback} (127.0.0.1) when every node they
   * may run on is this host; anything else cannot reach a service on 127.0.0.1.
   */
  private static URI callback(
      WorkerProperties workers, SlurmProperties properties, Slurm slurm, URI fallback) {
    if (properties.callbackUrl() != null) {
      return properties.callbackUrl();
    }
    if (workers.callbackUrl() != null) {
      return workers.callbackUrl();
    }
    List<String> nodes = new ArrayList<>();
    for (SlurmProperties.Group group : properties.pools(workers.poolSize())) {
      nodes.addAll(slurm.nodes(group.partition()));
    }
    String host = shortHostName();
    if (!nodes.isEmpty() && nodes.stream().allMatch(node -> node.equals(host))) {
      return fallback;
    }
    throw new IllegalStateException(
        "pipewright.slurm.callback-url is not set: SLURM workers would call "
            + fallback
            + ", which only this host ("
            + host
            + ") reaches, but they may run on "
            + nodes
            + ". Set it to a URL the nodes reach, and server.address to an interface they reach");
  }

  /** A worker's own folder. */
  Path folder(long workerId) {
    return directory.resolve(String.valueOf(workerId));
  }

  /**
   * Writes a worker's folder, its token file and its batch script.
   *
   * @return the script, for sbatch
   */
  Path write(WorkerRegistry.Launch launch, SlurmProperties.Group group) throws IOException {
    Path folder = folder(launch.id());
    Path token = folder.resolve(TOKEN_FILE);
    Files.createDirectories(folder.resolve("jobs"));
    writeOwnerOnly(token, launch.token());
    Map<String, String> settings =
        new LinkedHashMap<>(WorkerCommand.settings(callback, workspace, folder, workers));
    settings.put("PIPEWRIGHT_LAUNCH_TOKEN_FROM", "file:" + token);
    List<String> options = new ArrayList<>(properties.options());
    options.addAll(group.options());
    SbatchScript script =
        new SbatchScript(
            launch.id(),
            properties.jobName(),
            group.offer(),
            group.partition(),
            properties.timeLimit(),
            properties.account(),
            options,
            folder,
            settings,
            command);
    return Files.writeString(folder.resolve(SCRIPT), script.text());
  }

  /** This host's name as SLURM names nodes: the kernel's, up to the first dot. */
  static String shortHostName() {
    String name;
    try {
      name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException e) {
      name = System.getenv().getOrDefault("HOSTNAME", "localhost");
    }
    int dot = name.indexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** Writes a secret to a new file that only its owner can read, from its first byte. */
  private static void writeOwnerOnly(Path file, String secret) throws IOException {
    try (var channel =
        Files.newByteChannel(
            file,
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      channel.write(ByteBuffer.wrap((secret + "\n").getBytes(StandardCharsets.US_ASCII)));
    }
  }
}
