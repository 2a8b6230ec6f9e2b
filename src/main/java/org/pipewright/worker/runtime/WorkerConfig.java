package org.pipewright.worker.runtime;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A worker's settings, read from environment variables only (docs/worker-protocol.md, Launch): a
 * launcher passes no arguments, and secrets never show on a command line.
 *
 * @param url {@code PIPEWRIGHT_URL}, the control plane's base URL
 * @param launchToken registers exactly this launch: {@code PIPEWRIGHT_LAUNCH_TOKEN}, or the first
 *     line of stdin when {@code PIPEWRIGHT_LAUNCH_TOKEN_FROM=stdin} (the local launcher's way), or
 *     of a file, read then deleted, when it is {@code file:<absolute path>} (the SLURM launcher's
 *     way): either way the token is not in the worker's environment, which its jobs could read
 * @param workspace {@code PIPEWRIGHT_WORKSPACE}, the workspace root as this host sees it
 * @param workerDir {@code PIPEWRIGHT_WORKER_DIR}, this worker's own folder (pid files)
 * @param unreachableMs {@code PIPEWRIGHT_UNREACHABLE_MS}, exit after this long without an answer
 * @param plugins {@code PIPEWRIGHT_PLUGINS}, jars to load Java job classes from
 * @param maxBatch {@code PIPEWRIGHT_MAX_BATCH}, the most jobs one lease asks for
 * @param leaseWaitMs {@code PIPEWRIGHT_LEASE_WAIT_MS}, how long one lease call waits for a job
 * @param capacity the cores and memory it offers ({@link Capacity})
 * @param limits what one shell job may take before it is killed ({@link JobLimits})
 * @param lockSocket {@code PIPEWRIGHT_LOCK_SOCKET}, the control plane's lock channel on this host
 *     (a Unix socket), or null to take locks over the WebSocket
 */
record WorkerConfig(
    String url,
    String launchToken,
    Path workspace,
    Path workerDir,
    long unreachableMs,
    List<Path> plugins,
    int maxBatch,
    int leaseWaitMs,
    Capacity capacity,
    JobLimits limits,
    @Nullable Path lockSocket) {

  static final long DEFAULT_UNREACHABLE_MS = 60_000;
  static final int DEFAULT_MAX_BATCH = 16;
  static final int DEFAULT_LEASE_WAIT_MS = 20_000;

  /** The protocol's bound on {@code waitMs}. */
  static final int MAX_LEASE_WAIT_MS = 30_000;

  /**
   * Reads and checks the settings.
   *
   * @throws IllegalArgumentException naming the variable that is missing or wrong
   */
  static WorkerConfig fromEnvironment(Map<String, String> env) {
    return fromEnvironment(env, () -> "");
  }

  /**
   * Reads and checks the settings, the launch token from {@code stdin} when the environment says
   * so.
   *
   * @throws IllegalArgumentException naming the variable that is missing or wrong
   */
  static WorkerConfig fromEnvironment(Map<String, String> env, Supplier<String> stdin) {
    return fromEnvironment(
        env, stdin, () -> Runtime.getRuntime().availableProcessors(), Capacity::hostMemoryMb);
  }

  /**
   * Reads and checks the settings, with the host's cores and memory from the suppliers.
   *
   * @throws IllegalArgumentException naming the variable that is missing or wrong
   */
  static WorkerConfig fromEnvironment(
      Map<String, String> env, Supplier<String> stdin, IntSupplier cores, LongSupplier memoryMb) {
    String url = require(env, "PIPEWRIGHT_URL");
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("PIPEWRIGHT_URL is not a URL: " + url);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException("PIPEWRIGHT_URL must be an http(s) URL: " + url);
    }
    Path workspace = absolute(env, "PIPEWRIGHT_WORKSPACE");
    if (!Files.isDirectory(workspace)) {
      throw new IllegalArgumentException(
          "PIPEWRIGHT_WORKSPACE " + workspace + " is not a folder on this host");
    }
    return new WorkerConfig(
        url,
        launchToken(env, stdin),
        workspace,
        absolute(env, "PIPEWRIGHT_WORKER_DIR"),
        number(env, "PIPEWRIGHT_UNREACHABLE_MS", DEFAULT_UNREACHABLE_MS, 1, Long.MAX_VALUE),
        plugins(env.get("PIPEWRIGHT_PLUGINS")),
        (int) number(env, "PIPEWRIGHT_MAX_BATCH", DEFAULT_MAX_BATCH, 1, 1_000),
        (int)
            number(env, "PIPEWRIGHT_LEASE_WAIT_MS", DEFAULT_LEASE_WAIT_MS, 100, MAX_LEASE_WAIT_MS),
        Capacity.of(env, cores, memoryMb),
        JobLimits.of(env),
        env.containsKey("PIPEWRIGHT_LOCK_SOCKET") && !env.get("PIPEWRIGHT_LOCK_SOCKET").isBlank()
            ? absolute(env, "PIPEWRIGHT_LOCK_SOCKET")
            : null);
  }

  private static String launchToken(Map<String, String> env, Supplier<String> stdin) {
    String from = env.get("PIPEWRIGHT_LAUNCH_TOKEN_FROM");
    if (from == null || from.isBlank() || env.containsKey("PIPEWRIGHT_LAUNCH_TOKEN")) {
      return require(env, "PIPEWRIGHT_LAUNCH_TOKEN");
    }
    if (from.equals("stdin")) {
      String token = stdin.get().strip();
      if (token.isEmpty()) {
        throw new IllegalArgumentException(
            "PIPEWRIGHT_LAUNCH_TOKEN_FROM=stdin, but stdin held no token");
      }
      return token;
    }
    if (from.startsWith("file:")) {
      return fromFile(Path.of(from.substring("file:".length())));
    }
    throw new IllegalArgumentException(
        "PIPEWRIGHT_LAUNCH_TOKEN_FROM must be stdin or file:<absolute path>, not " + from);
  }

  /**
   * The first line of the token file, which is deleted at once: the token opens exactly one
   * registration, and a job of this worker, which runs as the same user, must not find it.
   */
  private static String fromFile(Path file) {
    if (!file.isAbsolute()) {
      throw new IllegalArgumentException(
          "PIPEWRIGHT_LAUNCH_TOKEN_FROM=file: needs an absolute path, not " + file);
    }
    String token;
    try {
      token = Files.readString(file, StandardCharsets.US_ASCII).lines().findFirst().orElse("");
      Files.delete(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "PIPEWRIGHT_LAUNCH_TOKEN_FROM=file:" + file + " could not be read and deleted: " + e);
    }
    if (token.isBlank()) {
      throw new IllegalArgumentException(
          "PIPEWRIGHT_LAUNCH_TOKEN_FROM=file:" + file + " held no token");
    }
    return token.strip();
  }

  private static String require(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is not set");
    }
    return value;
  }

  private static Path absolute(Map<String, String> env, String name) {
    Path path = Path.of(require(env, name));
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException(name + " must be an absolute path: " + path);
    }
    return path.normalize();
  }

  static long number(Map<String, String> env, String name, long fallback, long min, long max) {
    String text = env.get(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text.strip());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        name + " must be a whole number from " + min + " to " + max + ": " + text);
  }

  private static List<Path> plugins(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    List<Path> jars = new ArrayList<>();
    for (String part : text.split(":")) {
      if (part.isBlank()) {
        continue;
      }
      Path jar = Path.of(part);
      if (!jar.isAbsolute()) {
        throw new IllegalArgumentException("PIPEWRIGHT_PLUGINS must list absolute paths: " + part);
      }
      if (!Files.isRegularFile(jar)) {
        throw new IllegalArgumentException("PIPEWRIGHT_PLUGINS names a missing file: " + part);
      }
      jars.add(jar);
    }
    return List.copyOf(jars);
  }

  @Override
  public String toString() {
    // Never the launch token.
    return "WorkerConfig[url="
        + url
        + ", workspace="
        + workspace
        + ", workerDir="
        + workerDir
        + "]";
  }
}
