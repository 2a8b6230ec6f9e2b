package org.pipewright.worker.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Kills a process and everything it started. The descendants are listed before anything is
 * signalled: once a shell dies its children are re-parented and no longer look like its
 * descendants. SIGTERM first, then SIGKILL for whatever still lives after {@link #GRACE_MS},
 * listing once more the descendants of those survivors (a child may have forked meanwhile).
 */
public final class ProcessTree {

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
    Set<Long> listed = new HashSet<>();
    tree.forEach(process -> listed.add(process.pid()));
    for (long pid : session.jobProcesses()) {
      if (listed.add(pid)) {
        ProcessHandle.of(pid).ifPresent(tree::add);
      }
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

  /**
   * The processes and all their descendants, parents before children, from one pass over {@code
   * /proc}. Not {@link ProcessHandle#descendants()}: it lists again whenever the number of
   * processes grew while it listed, and a fork bomb grows it faster than it lists, so it returned
   * only when the machine ran out of pids, a minute later (SLURM's controller died of it). A
   * process that ended since the pass is skipped, not its children; one whose pid was taken
   * meanwhile by another process (its start differs) is skipped too.
   */
  public static List<ProcessHandle> treeOf(List<ProcessHandle> roots) {
    Snapshot snapshot = Snapshot.take();
    Map<Long, ProcessHandle> given = new LinkedHashMap<>();
    roots.forEach(root -> given.putIfAbsent(root.pid(), root));
    List<ProcessHandle> tree = new ArrayList<>();
    for (long pid : snapshot.tree(List.copyOf(given.keySet()))) {
      ProcessHandle root = given.get(pid);
      if (root != null) {
        tree.add(root);
      } else {
        ProcessHandle.of(pid).filter(p -> snapshot.sameProcess(pid)).ifPresent(tree::add);
      }
    }
    return tree;
  }

  /** How many processes the tree under {@code root} holds, itself included. */
  static long size(ProcessHandle root) {
    return Snapshot.take().tree(List.of(root.pid())).size();
  }

  /** Every process's parent and start, from one pass over {@code /proc/<pid>/stat}. */
  private record Snapshot(Map<Long, List<Long>> children, Map<Long, Long> starts) {

    static Snapshot take() {
      Map<Long, List<Long>> children = new HashMap<>();
      Map<Long, Long> starts = new HashMap<>();
      try (DirectoryStream<Path> all = Files.newDirectoryStream(Path.of("/proc"))) {
        for (Path process : all) {
          String name = process.getFileName().toString();
          if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
            continue;
          }
          long[] stat = parentAndStart(Long.parseLong(name));
          if (stat != null) {
            long pid = Long.parseLong(name);
            starts.put(pid, stat[1]);
            children.computeIfAbsent(stat[0], p -> new ArrayList<>()).add(pid);
          }
        }
      } catch (IOException | RuntimeException e) {
        // Not Linux, or /proc unreadable: only the roots are known.
      }
      return new Snapshot(children, starts);
    }

    /** The pids of the roots and their descendants, parents first; a child started after them. */
    List<Long> tree(List<Long> roots) {
      List<Long> tree = new ArrayList<>();
      Set<Long> listed = new HashSet<>();
      for (long root : roots) {
        if (!listed.add(root)) {
          continue;
        }
        int from = tree.size();
        tree.add(root);
        for (int i = from; i < tree.size(); i++) {
          long parent = tree.get(i);
          long parentStart = starts.getOrDefault(parent, 0L);
          for (long child : children.getOrDefault(parent, List.of())) {
            if (starts.getOrDefault(child, 0L) >= parentStart && listed.add(child)) {
              tree.add(child);
            }
          }
        }
      }
      return tree;
    }

    /** Whether the pid still names the process the pass saw. */
    boolean sameProcess(long pid) {
      long[] now = parentAndStart(pid);
      return now != null && starts.containsKey(pid) && now[1] == starts.get(pid);
    }
  }

  /** A process's parent pid and start (in clock ticks); null when it is gone. */
  private static long @Nullable [] parentAndStart(long pid) {
    try {
      String stat = ProcStat.read(pid);
      return new long[] {
        ProcStat.number(stat, ProcStat.PARENT), ProcStat.number(stat, ProcStat.START)
      };
    } catch (IOException | IllegalArgumentException e) {
      return null;
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
      return !ProcStat.zombie(ProcStat.read(process.pid()));
    } catch (IOException e) {
      return process.isAlive();
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  /** Kills a tree on a thread of its own. */
  static final class Killer implements Runnable {
    private final ProcessHandle root;

    Killer(ProcessHandle root) {
      this.root = root;
    }

    @Override
    public void run() {
      try {
        kill(root);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
