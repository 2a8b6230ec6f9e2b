package org.pipewright.worker.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The cores and memory a worker offers its jobs, sent when it registers: the control plane gives it
 * only jobs whose task asks for no more. Read, in this order, from {@code PIPEWRIGHT_CPUS} and
 * {@code PIPEWRIGHT_MEMORY_MB} (a worker started by hand says what it offers); inside a SLURM job,
 * from what SLURM allocated ({@code SLURM_CPUS_PER_TASK}, {@code SLURM_MEM_PER_NODE} or {@code
 * SLURM_MEM_PER_CPU}); otherwise from the host (its cores, and {@code MemTotal} of {@code
 * /proc/meminfo}). Local workers all offer the whole host: they share it, as Ruffus's processes do.
 *
 * @param cpus cores
 * @param memoryMb memory in MiB
 */
record Capacity(int cpus, long memoryMb) {

  /**
   * Reads the capacity from the environment, falling back to the host's.
   *
   * @throws IllegalArgumentException naming a variable that is set but not a positive number
   */
  static Capacity of(Map<String, String> env, IntSupplier hostCores, LongSupplier hostMemoryMb) {
    boolean slurm = env.containsKey("SLURM_JOB_ID");
    Long cpus = positive(env, "PIPEWRIGHT_CPUS");
    if (cpus == null && slurm) {
      cpus = positive(env, "SLURM_CPUS_PER_TASK");
    }
    int cores = cpus != null ? (int) Math.min(cpus, Integer.MAX_VALUE) : hostCores.getAsInt();
    Long memory = positive(env, "PIPEWRIGHT_MEMORY_MB");
    if (memory == null && slurm) {
      memory = positive(env, "SLURM_MEM_PER_NODE");
      Long perCpu = positive(env, "SLURM_MEM_PER_CPU");
      if (memory == null && perCpu != null) {
        memory = perCpu * cores;
      }
    }
    return new Capacity(cores, memory != null ? memory : hostMemoryMb.getAsLong());
  }

  /** This host's memory in MiB, from {@code /proc/meminfo}; the JVM's view where there is none. */
  static long hostMemoryMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: fall through
    }
    return Runtime.getRuntime().maxMemory() / (1024 * 1024);
  }

  private static @Nullable Long positive(Map<String, String> env, String name) {
    String text = env.get(name);
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      long value = Long.parseLong(text.strip());
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a positive whole number: " + text);
  }

  @Override
  public String toString() {
    return cpus + (cpus == 1 ? " cpu, " : " cpus, ") + memoryMb + " MB";
  }
}
