package org.pipewright.run;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Runs, their jobs and attempts. Implemented in {@code store}. Writes of jobs and runs are
 * optimistic: a row is only written when its stored version is the one before the new row's, and
 * {@link ConcurrentUpdateException} says another writer got there first.
 */
public interface RunRepository {

  /** Stores a new run, scheduled by the control plane {@code owner}, and returns its id. */
  long insertRun(RunRow run, String owner);

  /**
   * Whether a run of this pipeline is not over, on any control plane. Holds the pipeline's row lock
   * until the transaction ends, so that two control planes never both start a run of it.
   */
  boolean lockPipelineAndFindUnfinished(String pipeline);

  /**
   * Makes {@code owner} the owner of the runs not over whose owner is none or a control plane that
   * stopped (claimed as dead, or replaced at its address).
   *
   * @return the ids of the runs taken now
   */
  List<Long> takeOrphanedRuns(String owner);

  /**
   * Locks these runs' rows until the transaction ends and checks that {@code owner} still owns
   * them: a control plane found dead while it was frozen must not write over its successor.
   *
   * @throws ConcurrentUpdateException when one of them is owned by another control plane now
   */
  void checkOwner(Collection<Long> runIds, String owner);

  /** The control plane that schedules this run, if any. */
  Optional<String> owner(long runId);

  /** Stores new jobs (their ids are 0 and are ignored); read them back for their ids. */
  void insertJobs(List<JobRow> jobs);

  /**
   * Writes jobs, each only if its stored version is still the expected one.
   *
   * @param expected the stored version of each job, in the same order
   * @throws ConcurrentUpdateException when a job was written by someone else meanwhile
   */
  void updateJobs(List<JobRow> jobs, long[] expected);

  /**
   * Writes a run if its stored version is still {@code expected}.
   *
   * @throws ConcurrentUpdateException when it was written by someone else meanwhile
   */
  void updateRun(RunRow run, long expected);

  void insertAttempts(Collection<AttemptRow> attempts);

  /**
   * Ends the jobs of a run that is over but still has jobs waiting (planned as it ended); its
   * stored counts are dropped, so they are counted again.
   */
  void cancelWaiting(long runId, String why);

  Optional<RunRow> findRun(long id);

  /** Runs newest first, optionally of one pipeline or in one state. */
  List<RunRow> listRuns(@Nullable String pipeline, @Nullable RunState state, int offset, int limit);

  /** Every job of a run in plan order. */
  List<JobRow> jobsOfRun(long runId);

  /** A page of a run's jobs in plan order, optionally of one task and one state. */
  List<JobRow> pageJobs(
      long runId, @Nullable String task, @Nullable JobState state, int offset, int limit);

  /** These jobs in plan order; ids that name no job are left out. */
  List<JobRow> findJobs(Collection<Long> ids);

  /**
   * Job counts per task and state, tasks in the order of their first job: those stored as the run
   * ended, else counted from its jobs.
   */
  Map<String, Map<JobState, Integer>> countsByTask(long runId);

  /** Keeps the counts of a run that ended, written in the step that ends it. */
  void storeFinalCounts(long runId, Map<String, Map<JobState, Integer>> counts);

  Optional<JobRow> findJob(long id);

  /** The stored attempts of a job: all but a successful one, which is the job row itself. */
  List<AttemptRow> attempts(long jobId);

  /** Whether this attempt of this job was stored as finished (a completion that is sent again). */
  boolean attemptFinished(long jobId, int attempt);
}
