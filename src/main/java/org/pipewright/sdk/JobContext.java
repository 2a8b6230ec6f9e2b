package org.pipewright.sdk;

import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link Job} gets to work with: its files, where it runs, who it is, a log and named locks.
 * Paths are absolute and have been checked to stay inside the workspace; the folders of the outputs
 * exist before {@link Job#run} is called.
 */
public interface JobContext {

  /**
   * The job's input files, in the order the plan gave them.
   *
   * @return absolute paths, resolved against {@link #workdir()}; empty for a job with no input
   */
  List<Path> inputs();

  /**
   * The files the job must write, in the order the plan gave them.
   *
   * @return absolute paths, resolved against {@link #workdir()}
   */
  List<Path> outputs();

  /**
   * The task's extra parameters for this job, as Ruffus passes them after input and output.
   *
   * @return the extras as strings, in order; empty when there are none
   */
  List<String> extras();

  /**
   * The pipeline's working folder, which relative paths of the definition are relative to.
   *
   * @return an absolute path inside the workspace
   */
  Path workdir();

  /**
   * One input file.
   *
   * @param index zero-based position in {@link #inputs()}
   * @return the absolute path
   * @throws IndexOutOfBoundsException when the job has fewer inputs
   */
  Path input(int index);

  /**
   * One output file.
   *
   * @param index zero-based position in {@link #outputs()}
   * @return the absolute path
   * @throws IndexOutOfBoundsException when the job has fewer outputs
   */
  Path output(int index);

  /**
   * The pipeline this job belongs to.
   *
   * @return the pipeline's name
   */
  String pipeline();

  /**
   * The task this job belongs to.
   *
   * @return the task's name
   */
  String task();

  /**
   * The run this job is part of.
   *
   * @return the run's id
   */
  long runId();

  /**
   * The job.
   *
   * @return the job's id, the same for every attempt
   */
  long jobId();

  /**
   * Which attempt of the job this is.
   *
   * @return 1 for the first attempt, 2 for the first retry, and so on
   */
  int attempt();

  /**
   * The job's log: every call is one record of the control plane's shared log, with its time,
   * level, run and job, where {@code GET /api/runs/{id}/logs} and {@code logs/shared.log} show it.
   * The worker reports the attempt complete only once its records are stored. While the job holds a
   * lock from {@link #lock}, its records are written under that lock.
   *
   * @return the log, safe to use from any thread of the job while {@link Job#run} runs
   */
  JobLog log();

  /**
   * Takes a named lock shared by every job of every worker (and anyone else with a token), held by
   * the control plane, waiting as long as another holder has it: Ruffus's {@code with
   * logging_mutex:}. The worker renews its lease while the job holds it, and on {@link
   * HeldLock#close()} releases it once the records logged under it are stored. Use it in
   * try-with-resources:
   *
   * <pre>{@code
   * try (HeldLock held = context.lock("logging")) {
   *   context.log().info("only one job at a time writes here");
   * }
   * }</pre>
   *
   * A lock still held when {@link Job#run} returns is released by the worker.
   *
   * @param name letters, digits, {@code .}, {@code _} and {@code -}; at most 100 characters
   * @return the held lock; close it to release
   * @throws InterruptedException when the attempt is cancelled while waiting
   * @throws IllegalArgumentException when the name is not allowed
   * @throws IllegalStateException when this job already holds the lock (locks are not reentrant)
   */
  HeldLock lock(String name) throws InterruptedException;

  /**
   * Whether the attempt was cancelled; the worker also interrupts the job's thread.
   *
   * @return {@code true} once the control plane or the worker cancelled the attempt
   */
  boolean cancelled();
}
