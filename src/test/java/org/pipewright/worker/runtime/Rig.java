package org.pipewright.worker.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * The job-running half of a worker on a temporary folder: a real workspace, real runners, real
 * {@code /bin/sh}, and a {@link FakeControlPlane} for the shared log and the locks. {@link #run}
 * runs a job to its end; {@link #start} runs it on another thread so a test can cancel it.
 */
final class Rig implements AutoCloseable {

  static final Map<String, String> WORKER_ENVIRONMENT =
      Map.of(
          "PATH", "/usr/local/bin:/usr/bin:/bin",
          "HOME", "/home/someone",
          "LANG", "C.UTF-8",
          "PIPEWRIGHT_LAUNCH_TOKEN", "launch-secret",
          "PIPEWRIGHT_SESSION_TOKEN", "session-secret",
          "AWS_SECRET_ACCESS_KEY", "cloud-secret");

  final Path workspace;
  final Path workerDir;
  final PidFiles pidFiles;
  final FakeControlPlane controlPlane;
  final ControlPlane client;
  final SharedLogClient sharedLog;
  final LockClient locks;
  final JobExecutor executor;
  private final ShellRunner shells;
  private final long javaStopMs;

  Rig(Path temp) {
    this(temp, Attempt.JAVA_STOP_MS);
  }

  Rig(Path temp, long javaStopMs) {
    this(temp, javaStopMs, List.of(), LockClient.LEASE_MS);
  }

  Rig(Path temp, long javaStopMs, List<Path> plugins) {
    this(temp, javaStopMs, plugins, LockClient.LEASE_MS);
  }

  /** With locks leased for {@code lockLeaseMs}, renewed every third of it. */
  Rig(Path temp, long javaStopMs, List<Path> plugins, long lockLeaseMs) {
    this(temp, javaStopMs, plugins, lockLeaseMs, JobLimits.DEFAULT);
  }

  /** With these limits on every shell job. */
  Rig(Path temp, JobLimits limits) {
    this(temp, Attempt.JAVA_STOP_MS, List.of(), LockClient.LEASE_MS, limits);
  }

  Rig(Path temp, long javaStopMs, List<Path> plugins, long lockLeaseMs, JobLimits limits) {
    this(temp, javaStopMs, plugins, lockLeaseMs, limits, false);
  }

  /**
   * @param lockChannel whether locks go through the lock channel, as a real worker's do; the fake
   *     control plane has none, so they fall back to the calls
   */
  Rig(
      Path temp,
      long javaStopMs,
      List<Path> plugins,
      long lockLeaseMs,
      JobLimits limits,
      boolean lockChannel) {
    try {
      workspace = Files.createDirectories(temp.resolve("workspace"));
      workerDir = temp.resolve("worker");
      pidFiles = new PidFiles(workerDir);
      Workspace root = new Workspace(workspace);
      controlPlane = new FakeControlPlane(1_000, 15_000);
      client =
          new ControlPlane(
              new HttpTransport(controlPlane.url(), 5_000),
              new Liveness(Clocks.MONOTONIC.getAsLong(), 60_000, Long.MAX_VALUE / 4),
              Clocks.MONOTONIC);
      long workerId = client.register(FakeControlPlane.LAUNCH_TOKEN, "rig", 1).workerId();
      sharedLog = new SharedLogClient(client, Clocks.WALL);
      sharedLog.start(workerId);
      locks =
          lockChannel
              ? new LockClient(
                  client,
                  new LockChannelClient(
                      URI.create(controlPlane.url()), null, client, LockCalls.http(client)),
                  lockLeaseMs,
                  Clocks.MONOTONIC)
              : new LockClient(client, lockLeaseMs, Clocks.MONOTONIC);
      shells =
          new ShellRunner(
              WORKER_ENVIRONMENT,
              "http://127.0.0.1:1",
              pidFiles,
              new ShellOutput(sharedLog, Clocks.WALL, limits.maxOutputBytes()),
              limits,
              Clocks.WALL);
      executor =
          new JobExecutor(
              root,
              shells,
              new JavaRunner(
                  new JobClasses(plugins), new SharedLogSink(sharedLog, Clocks.WALL), locks),
              new TouchRunner(Clocks.WALL),
              sharedLog,
              10_000,
              Clocks.WALL);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RefusedException e) {
      throw new IllegalStateException(e);
    }
    this.javaStopMs = javaStopMs;
  }

  @Override
  public void close() {
    shells.close();
    controlPlane.close();
  }

  Completion run(Specs specs) {
    return start(specs).completion();
  }

  Running start(Specs specs) {
    Attempt attempt =
        new Attempt(specs.build(), Clocks.WALL.getAsLong(), Clocks.MONOTONIC, javaStopMs);
    CompletableFuture<Completion> done = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                done.complete(executor.execute(attempt));
              } catch (Throwable e) {
                done.completeExceptionally(e);
              }
            },
            "rig");
    thread.start();
    return new Running(attempt, done);
  }

  /** A file of the pipeline's workdir ({@code pipe/}) or, with a slash first, of the workspace. */
  Path file(String path) {
    return path.startsWith("/")
        ? workspace.resolve(path.substring(1))
        : workspace.resolve("pipe").resolve(path);
  }

  String read(String path) {
    try {
      return Files.readString(file(path), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void write(String path, String text) {
    try {
      Files.createDirectories(file(path).getParent());
      Files.writeString(file(path), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fork shells' pid files. */
  List<Path> shellPidFiles() {
    return ShellPidFiles.in(pidFiles.folder());
  }

  /** The pid of the shell job running now, or -1 while none runs. */
  long jobPid() {
    return ShellPidFiles.runningJob(pidFiles.folder());
  }

  /** Ends the idle fork shells, as a worker that stops running shell jobs would. */
  void closeShells() {
    shells.close();
  }

  record Running(Attempt attempt, CompletableFuture<Completion> done) {
    Completion completion() {
      try {
        return done.get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }

    Throwable failure() {
      try {
        done.get(30, TimeUnit.SECONDS);
        throw new AssertionError("the job did not fail");
      } catch (java.util.concurrent.ExecutionException e) {
        return e.getCause();
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }
  }
}
