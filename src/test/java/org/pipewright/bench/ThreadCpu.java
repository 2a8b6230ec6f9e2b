package org.pipewright.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CPU time of this JVM's threads by name, from {@code /proc/self/task}: the JIT compilers and the
 * garbage collector too, which {@code ThreadMXBean} does not show. Digits are dropped from names,
 * so a pool's threads add up. Empty where there is no {@code /proc}.
 */
final class ThreadCpu {

  private ThreadCpu() {}

  /** Clock ticks (1/100 s) by thread name. */
  static Map<String, Long> now() {
    Map<String, Long> ticks = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        try {
          String name = Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+", "N");
          String stat = Files.readString(task.resolve("stat"));
          // Fields after the name in parentheses: utime and stime are the 12th and 13th.
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
        } catch (IOException | RuntimeException e) {
          // The thread ended between the listing and the read.
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return ticks;
  }

  /**
   * CPU time of other processes, in ms: their own, and that of their jobs: the children they waited
   * for, and their live children (a worker's fork shells) with the children those waited for (the
   * shell jobs), from {@code /proc/<pid>/stat}.
   *
   * @return {own, jobs}, summed over the pids that are still there
   */
  static long[] processes(Iterable<Long> pids) {
    long own = 0;
    long jobs = 0;
    for (long pid : pids) {
      long[] ticks = ticks(pid);
      own += ticks[0];
      jobs += ticks[1];
      for (ProcessHandle child :
          ProcessHandle.of(pid).stream().flatMap(ProcessHandle::children).toList()) {
        long[] theirs = ticks(child.pid());
        jobs += theirs[0] + theirs[1];
      }
    }
    return new long[] {own * 10, jobs * 10};
  }

  /** {own, waited-for children's} clock ticks of a process; zeros when it is gone. */
  private static long[] ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return new long[] {
        Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
        Long.parseLong(fields[13]) + Long.parseLong(fields[14])
      };
    } catch (IOException | RuntimeException e) {
      return new long[2];
    }
  }

  /** The threads that took the most CPU between two readings, {@code name ms, ...}. */
  static String since(Map<String, Long> before, int top) {
    Map<String, Long> after = now();
    return after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(top)
        .map(e -> e.getKey() + " " + e.getValue() * 10 + " ms")
        .collect(Collectors.joining(", "));
  }
}
