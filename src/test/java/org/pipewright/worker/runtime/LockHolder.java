package org.pipewright.worker.runtime;

import java.nio.file.Path;
import org.pipewright.sdk.HeldLock;

/**
 * Another process holding a lock, for the tests that need one: {@code LockHolder <workspace>
 * <name>} takes the lock, prints {@code held <token>}, and lets go when its stdin closes.
 */
final class LockHolder {

  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    FileLockService locks = new FileLockService(Path.of(args[0]));
    try (HeldLock held = locks.acquire(args[1], Specs.aTouchJob().build())) {
      System.out.println("held " + held.token());
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close stdin
      }
    }
  }

  /** Starts a holder and waits until it holds the lock. */
  static Process hold(Path workspace, String name) throws Exception {
    Process process =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                LockHolder.class.getName(),
                workspace.toString(),
                name)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String line =
        new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()))
            .readLine();
    if (line == null || !line.startsWith("held ")) {
      process.destroyForcibly();
      throw new IllegalStateException("the lock holder did not start: " + line);
    }
    return process;
  }
}
