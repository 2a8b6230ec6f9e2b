package org.pipewright.worker.runtime;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The main of a forked worker JVM: {@code java -cp <classes>
 * org.pipewright.worker.runtime.WorkerMain} with its settings in environment variables ({@link
 * WorkerConfig}). It exits with an {@link ExitCode} a launcher can act on; on SIGTERM it kills its
 * running jobs first.
 */
public final class WorkerMain {

  private WorkerMain() {}

  /** The launch token its launcher writes, then closes stdin; nothing else reads it. */
  private static String firstLineOfStdin() {
    try {
      var in =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.US_ASCII));
      String line = in.readLine();
      return line == null ? "" : line;
    } catch (java.io.IOException e) {
      return "";
    }
  }

  /**
   * Runs a worker until the control plane lets it go.
   *
   * @param args ignored: everything comes from the environment
   */
  public static void main(String[] args) {
    Map<String, String> env = System.getenv();
    WorkerConfig config;
    try {
      config = WorkerConfig.fromEnvironment(env, WorkerMain::firstLineOfStdin);
    } catch (IllegalArgumentException e) {
      WorkerLog.warn("cannot start: " + e.getMessage());
      System.exit(ExitCode.MISCONFIGURED.status);
      return;
    }
    Stopper stopper = null;
    try {
      long pid = ProcessHandle.current().pid();
      Holdings holdings = new Holdings(Clocks.WALL, Clocks.MONOTONIC);
      Outbox outbox = new Outbox();
      stopper = new Stopper(holdings, outbox, new SystemExit());
      Thread.setDefaultUncaughtExceptionHandler(new Crash(stopper));
      Runtime.getRuntime().addShutdownHook(new Thread(new Terminated(stopper), "terminated"));
      Liveness liveness =
          new Liveness(Clocks.MONOTONIC.getAsLong(), config.unreachableMs(), Long.MAX_VALUE / 4);
      HttpTransport http =
          new HttpTransport(config.url(), (int) Math.min(5_000, config.unreachableMs()));
      ControlPlane controlPlane = new ControlPlane(http, liveness, Clocks.MONOTONIC);
      Workspace workspace = new Workspace(config.workspace());
      PidFiles pidFiles = new PidFiles(config.workerDir());
      // Before any job runs: whether the session holds only this worker (and what started it).
      WorkerSession.current();
      SharedLogClient sharedLog = new SharedLogClient(controlPlane, Clocks.WALL);
      ShellRunner shells =
          new ShellRunner(
              env,
              config.url(),
              pidFiles,
              new ShellOutput(sharedLog, Clocks.WALL, config.limits().maxOutputBytes()),
              config.limits(),
              Clocks.WALL);
      stopper.releaseOnStop(shells::close);
      JobExecutor executor =
          new JobExecutor(
              workspace,
              shells,
              new JavaRunner(
                  new JobClasses(config.plugins()),
                  new SharedLogSink(sharedLog, Clocks.WALL),
                  new LockClient(
                      controlPlane,
                      new LockChannelClient(
                          URI.create(config.url()),
                          config.lockSocket(),
                          controlPlane,
                          LockCalls.http(controlPlane)),
                      LockClient.LEASE_MS,
                      Clocks.MONOTONIC)),
              new TouchRunner(Clocks.WALL),
              sharedLog,
              config.unreachableMs(),
              Clocks.WALL);
      new Worker(
              config,
              controlPlane,
              holdings,
              outbox,
              liveness,
              stopper,
              executor,
              sharedLog,
              Clocks.MONOTONIC)
          .run(hostName(), pid);
    } catch (IOException e) {
      WorkerLog.error("cannot start", e);
      System.exit(ExitCode.MISCONFIGURED.status);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      WorkerLog.error("crashed", e);
      if (stopper != null) {
        stopper.exit(ExitCode.CRASHED, e.toString());
      }
      System.exit(ExitCode.CRASHED.status);
    }
  }

  /**
   * This host's name as the kernel has it: {@code InetAddress.getLocalHost()} may ask DNS, which a
   * starting worker cannot afford to wait for.
   */
  static String hostName() {
    try {
      String name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8);
      if (!name.isBlank()) {
        return name.strip();
      }
    } catch (IOException e) {
      // not Linux: fall through
    }
    String fromEnv = System.getenv("HOSTNAME");
    return fromEnv == null || fromEnv.isBlank() ? "localhost" : fromEnv;
  }

  private static final class SystemExit implements Stopper.Exit {
    @Override
    public void exit(int status) {
      System.exit(status);
    }
  }

  private static final class Terminated implements Runnable {
    private final Stopper stopper;

    Terminated(Stopper stopper) {
      this.stopper = stopper;
    }

    @Override
    public void run() {
      stopper.terminated();
    }
  }

  private static final class Crash implements Thread.UncaughtExceptionHandler {
    private final Stopper stopper;

    Crash(Stopper stopper) {
      this.stopper = stopper;
    }

    @Override
    public void uncaughtException(Thread thread, Throwable error) {
      String name = thread.getName();
      if (!name.equals("main") && !name.startsWith("pipewright-")) {
        // A thread some job started: the job's business, not a reason to stop the worker.
        WorkerLog.error("uncaught in thread " + name, error);
        return;
      }
      WorkerLog.error("uncaught in " + name, error);
      stopper.exit(ExitCode.CRASHED, "uncaught " + error);
    }
  }
}
