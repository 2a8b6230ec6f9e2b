package org.pipewright.pipeline;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cores and memory: what a task's jobs ask of the worker that runs them ({@code cpus: 4}, {@code
 * mem: 8G}), and what a worker has. Memory is counted in MiB, which SLURM calls megabytes.
 *
 * @param cpus cores; 0 when a task asks for none in particular
 * @param memoryMb memory in MiB; 0 when a task asks for none in particular
 */
public record Resources(int cpus, long memoryMb) {

  /** What a task asks when it says nothing: any worker will do. */
  public static final Resources NONE = new Resources(0, 0);

  /** The largest memory a definition may ask for: 64 TiB. */
  public static final long MAX_MEMORY_MB = 64L * 1024 * 1024;

  private static final Pattern SIZE = Pattern.compile("([0-9]{1,12})([KMGT]?)");

  public Resources {
    if (cpus < 0 || memoryMb < 0) {
      throw new IllegalArgumentException("resources cannot be negative: " + cpus + ", " + memoryMb);
    }
  }

  /** Whether a worker that has {@code available} can run a job that asks for this. */
  public boolean fitsIn(Resources available) {
    return cpus <= available.cpus && memoryMb <= available.memoryMb;
  }

  /** Whether this asks for nothing. */
  public boolean isNone() {
    return cpus == 0 && memoryMb == 0;
  }

  /**
   * A memory size as SLURM writes it, in MiB: a whole number with an optional unit {@code K},
   * {@code M}, {@code G} or {@code T} (powers of 1024; a bare number is megabytes, as for {@code
   * sbatch --mem}). Kilobytes round up to the next MiB.
   *
   * @throws IllegalArgumentException for anything else, or 0
   */
  public static long parseMemory(String text) {
    Matcher m = SIZE.matcher(text.strip().toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a memory size such as 512M, 4G or 1T (a bare number is MB)");
    }
    long value = Long.parseLong(m.group(1));
    long mb =
        switch (m.group(2)) {
          case "K" -> (value + 1023) / 1024;
          case "G" -> value * 1024;
          case "T" -> value * 1024 * 1024;
          default -> value;
        };
    if (mb < 1 || mb > MAX_MEMORY_MB || value > MAX_MEMORY_MB * 1024) {
      throw new IllegalArgumentException(
          "'" + text + "' must be from 1M to " + MAX_MEMORY_MB / 1024 / 1024 + "T");
    }
    return mb;
  }

  /** As a message shows it: {@code 2 cpus, 4096 MB}. */
  @Override
  public String toString() {
    return cpus + (cpus == 1 ? " cpu, " : " cpus, ") + memoryMb + " MB";
  }
}
