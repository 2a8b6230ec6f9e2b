package org.pipewright.worker.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The worker's session, when it has one of its own: the local launcher starts each worker through
 * {@code setsid}, so that every process a job starts stays in the worker's session, even one whose
 * parent died (re-parented to init, it is no longer anyone's descendant). A worker runs one job at
 * a time, so the session's processes other than the worker and its ancestors are that job's: they
 * are what its process limit counts and what a kill sweeps. A worker whose session holds other
 * processes when it starts (started by hand, or by a test) finds its jobs' processes as descendants
 * only.
 */
public final class WorkerSession {

  private static final @Nullable String SETSID =
      Stream.of("/usr/bin/setsid", "/bin/setsid")
          .filter(path -> Files.isExecutable(Path.of(path)))
          .findFirst()
          .orElse(null);

  private static volatile @Nullable WorkerSession current;

  private final long sid;
  private final Set<Long> mine;
  private final Set<Long> spared = ConcurrentHashMap.newKeySet();
  private final boolean owned;

  private WorkerSession(long sid, Set<Long> mine, boolean owned) {
    this.sid = sid;
    this.mine = Set.copyOf(mine);
    this.owned = owned;
  }

  /**
   * util-linux's {@code setsid}, which starts a program as the leader of a new session; or null.
   */
  public static @Nullable String setsid() {
    return SETSID;
  }

  /**
   * This worker's session, looked at once: call it before the first job runs, when the session
   * holds only the worker and its ancestors if it is the worker's own.
   */
  static WorkerSession current() {
    WorkerSession session = current;
    if (session == null) {
      synchronized (WorkerSession.class) {
        if (current == null) {
          current = detect();
        }
        session = current;
      }
    }
    return session;
  }

  private static WorkerSession detect() {
    ProcessHandle me = ProcessHandle.current();
    long[] ids = ids(me.pid());
    if (ids == null) {
      return new WorkerSession(-1, Set.of(), false); // no /proc: not Linux
    }
    long sid = ids[1];
    Set<Long> mine = new HashSet<>();
    mine.add(me.pid());
    for (Optional<ProcessHandle> parent = me.parent(); parent.isPresent(); ) {
      long[] theirs = ids(parent.get().pid());
      if (theirs == null || theirs[1] != sid) {
        break;
      }
      mine.add(parent.get().pid());
      parent = parent.get().parent();
    }
    boolean owned = mine.containsAll(members(sid));
    return new WorkerSession(sid, mine, owned);
  }

  /** Whether the session is the worker's own, so that its other processes are its job's. */
  boolean owned() {
    return owned;
  }

  /**
   * The live processes of the session that are not the worker, its ancestors or the processes it
   * spared; none if not owned.
   */
  List<Long> jobProcesses() {
    if (!owned) {
      return List.of();
    }
    return members(sid).stream()
        .filter(pid -> !mine.contains(pid) && !spared.contains(pid))
        .toList();
  }

  /** A process the worker started for itself (a {@link ForkShell}): not a job's. */
  void spare(long pid) {
    spared.add(pid);
  }

  /** A spared process that has ended or is ending. */
  void unspare(long pid) {
    spared.remove(pid);
  }

  /**
   * Kills with SIGKILL every job process left in the session, again until none is left (a fork loop
   * may start more while they are being listed), for at most about a second.
   */
  void killJobProcesses() throws InterruptedException {
    for (int round = 0; round < 50; round++) {
      List<Long> left = jobProcesses();
      if (left.isEmpty()) {
        return;
      }
      for (long pid : left) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
      Thread.sleep(20);
    }
  }

  /** The live (not zombie) processes of the session {@code sid}, from {@code /proc}. */
  public static List<Long> members(long sid) {
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      return entries
          .map(entry -> entry.getFileName().toString())
          .filter(name -> !name.isEmpty() && Character.isDigit(name.charAt(0)))
          .map(Long::parseLong)
          .filter(pid -> {
            long[] ids = ids(pid);
            return ids != null && ids[1] == sid;
          })
          .toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }

  /**
   * A process's group and session from {@code /proc/<pid>/stat}, or null when it is gone or a
   * zombie.
   */
  static long @Nullable [] ids(long pid) {
    try {
      String stat = ProcStat.read(pid);
      if (ProcStat.zombie(stat)) {
        return null;
      }
      return new long[] {
        ProcStat.number(stat, ProcStat.GROUP), ProcStat.number(stat, ProcStat.SESSION)
      };
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }
}
