package org.pipewright.worker.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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
   * Kills the tree and waits, at most about {@link #GRACE_MS} plus a poll, until it is gone. When
   * the root leads a process group (a shell job started through {@code setsid}), the whole group is
   * signalled as well: that reaches the processes whose parent died (no longer descendants), and
   * those a fork loop starts while the tree is being listed.
   */
  static void kill(ProcessHandle root) throws InterruptedException {
    boolean group = leadsGroup(root.pid());
    if (group) {
      signalGroup(root.pid(), "TERM");
    }
    List<ProcessHandle> tree = treeOf(List.of(root));
    for (ProcessHandle process : tree) {
      process.destroy();
    }
    long deadline = System.nanoTime() + GRACE_MS * 1_000_000;
    while (anyAlive(tree) && System.nanoTime() < deadline) {
      Thread.sleep(POLL_MS);
    }
    if (group) {
      // SIGKILL to the group kills every member at once; a fork racing it fails or is killed too.
      for (int round = 0; round < 3 && inGroup(root.pid()) > 0; round++) {
        signalGroup(root.pid(), "KILL");
        Thread.sleep(POLL_MS);
      }
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

  /** Whether the process leads its process group: its pid is its group's id. */
  static boolean leadsGroup(long pid) {
    long[] ids = ids(pid);
    return ids != null && ids[0] == pid;
  }

  /** The live (not zombie) processes of the session {@code sid}. */
  static long inSession(long sid) {
    return count(1, sid);
  }

  /** The live (not zombie) processes of the process group {@code pgid}. */
  static long inGroup(long pgid) {
    return count(0, pgid);
  }

  private static long count(int field, long id) {
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      return entries
          .map(entry -> entry.getFileName().toString())
          .filter(name -> !name.isEmpty() && Character.isDigit(name.charAt(0)))
          .map(name -> ids(Long.parseLong(name)))
          .filter(ids -> ids != null && ids[field] == id)
          .count();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }

  /**
   * A process's group and session from {@code /proc/<pid>/stat}, or null when it is gone or a
   * zombie. The fields after the command name, which may hold spaces and parentheses, are {@code
   * state ppid pgrp session}.
   */
  private static long @Nullable [] ids(long pid) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    } catch (IOException e) {
      return null;
    }
    int end = stat.lastIndexOf(')');
    if (end < 0) {
      return null;
    }
    String[] fields = stat.substring(end + 2).split(" ", 5);
    if (fields.length < 4 || fields[0].equals("Z")) {
      return null;
    }
    try {
      return new long[] {Long.parseLong(fields[2]), Long.parseLong(fields[3])};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Sends a signal to every process of a group through the shell's {@code kill}: Java has no call
   * for a group, and a negative pid to {@code kill} means one.
   */
  private static void signalGroup(long pgid, String signal) throws InterruptedException {
    try {
      Process kill =
          new ProcessBuilder("/bin/sh", "-c", "kill -s " + signal + " -- -" + pgid + " 2>/dev/null")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      kill.waitFor(GRACE_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      WorkerLog.warn("could not signal process group " + pgid + ": " + e.getMessage());
    }
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
