package org.pipewright.worker.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Kills a process and everything it started. The descendants are listed before anything is
 * signalled: once a shell dies its children are re-parented and no longer look like its
 * descendants. SIGTERM first, then SIGKILL for whatever still lives after {@link #GRACE_MS},
 * listing once more the descendants of those survivors (a child may have forked meanwhile).
 */
final class ProcessTree {

  static final long GRACE_MS = 2_000;
  private static final long POLL_MS = 20;

  private ProcessTree() {}

  /**
   * Kills the tree and waits, at most about {@link #GRACE_MS} plus a poll, until it is gone. In a
   * worker whose session is its own ({@link WorkerSession}), the job's processes whose parent died
   * are in the tree too, and whatever is left of the job in the session is swept at the end.
   */
  static void kill(ProcessHandle root) throws InterruptedException {
    WorkerSession session = WorkerSession.current();
    try {
      killTree(root, session);
    } finally {
      session.killJobProcesses();
    }
  }

  private static void killTree(ProcessHandle root, WorkerSession session)
      throws InterruptedException {
    List<ProcessHandle> tree = treeOf(List.of(root));
    for (long pid : session.jobProcesses()) {
      ProcessHandle.of(pid).filter(p -> !tree.contains(p)).ifPresent(tree::add);
    }
    for (ProcessHandle process : tree) {
      process.destroy();
    }
    long deadline = System.nanoTime() + GRACE_MS * 1_000_000;
    while (anyAlive(tree) && System.nanoTime() < deadline) {
      Thread.sleep(POLL_MS);
    }
    List<ProcessHandle> survivors = new ArrayList<>();
    for (ProcessHandle process : tree) {
      if (alive(process)) {
        survivors.add(process);
      }
    }
    if (survivors.isEmpty()) {
      return;
    }
    List<ProcessHandle> rest = treeOf(survivors);
    for (ProcessHandle process : rest) {
      process.destroyForcibly();
    }
    // SIGKILL cannot be caught; this only waits for the kernel to reap.
    long reaped = System.nanoTime() + GRACE_MS * 1_000_000;
    while (anyAlive(rest) && System.nanoTime() < reaped) {
      Thread.sleep(POLL_MS);
    }
  }

  /** The processes and all their descendants, parents before children. */
  private static List<ProcessHandle> treeOf(List<ProcessHandle> roots) {
    List<ProcessHandle> tree = new ArrayList<>();
    for (ProcessHandle root : roots) {
      tree.add(root);
      root.descendants().forEach(tree::add);
    }
    return tree;
  }

  private static boolean anyAlive(List<ProcessHandle> processes) {
    for (ProcessHandle process : processes) {
      if (alive(process)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the process still runs. A killed orphan stays a zombie until init reaps it, which some
   * container inits do late or never; {@link ProcessHandle#isAlive()} counts zombies as alive.
   */
  static boolean alive(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      int end = stat.lastIndexOf(')');
      return end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) != 'Z';
    } catch (IOException e) {
      return process.isAlive();
    }
  }

  /** Kills a tree on a thread of its own, then deletes the attempt's pid file. */
  static final class Killer implements Runnable {
    private final ProcessHandle root;
    private final @Nullable Path pidFile;

    Killer(ProcessHandle root, @Nullable Path pidFile) {
      this.root = root;
      this.pidFile = pidFile;
    }

    @Override
    public void run() {
      try {
        kill(root);
        if (pidFile != null) {
          Files.deleteIfExists(pidFile);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        WorkerLog.warn("could not delete " + pidFile + ": " + e.getMessage());
      }
    }
  }
}
