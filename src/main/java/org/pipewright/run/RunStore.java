package org.pipewright.run;

import java.util.ArrayList;
import java.util.List;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Writes a scheduler step in one transaction: jobs, attempts, runs and the job history. */
final class RunStore {

  private final RunRepository runs;
  private final JobHistoryRepository history;
  private final TransactionTemplate tx;

  RunStore(RunRepository runs, JobHistoryRepository history, PlatformTransactionManager txm) {
    this.runs = runs;
    this.history = history;
    this.tx = new TransactionTemplate(txm);
  }

  void write(Changes changes) {
    List<JobRow> rows = new ArrayList<>(changes.jobs.size());
    long[] expected = new long[changes.jobs.size()];
    int i = 0;
    for (JobSlot slot : changes.jobs) {
      rows.add(slot.row());
      expected[i++] = slot.storedVersion;
    }
    tx.executeWithoutResult(status -> {
      changes.forgotten.forEach(history::forget);
      if (!rows.isEmpty()) {
        runs.updateJobs(rows, expected);
      }
      if (!changes.attempts.isEmpty()) {
        runs.insertAttempts(changes.attempts);
      }
      for (ActiveRun run : changes.runs) {
        runs.updateRun(run.row(), run.storedVersion);
        if (run.state.isFinal()) {
          runs.storeFinalCounts(run.id, run.counts());
        }
      }
      changes.recorded.forEach(history::recordAll);
    });
  }

  boolean attemptFinished(long jobId, int attempt) {
    return runs.attemptFinished(jobId, attempt);
  }
}
