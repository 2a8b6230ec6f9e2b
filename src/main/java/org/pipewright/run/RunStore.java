package org.pipewright.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a scheduler step in one transaction: jobs, attempts, runs and the job history, after
 * checking under the runs' row locks that this control plane still owns them. A process that was
 * frozen until a peer took its runs over finds out here, before it writes over the peer's work.
 */
final class RunStore {

  private final RunRepository runs;
  private final JobHistoryRepository history;
  private final TransactionTemplate tx;
  private final String owner;

  RunStore(
      RunRepository runs,
      JobHistoryRepository history,
      PlatformTransactionManager txm,
      String owner) {
    this.runs = runs;
    this.history = history;
    this.tx = new TransactionTemplate(txm);
    this.owner = owner;
  }

  void write(Changes changes) {
    List<JobRow> rows = new ArrayList<>(changes.jobs.size());
    long[] expected = new long[changes.jobs.size()];
    Set<Long> touched = new TreeSet<>();
    int i = 0;
    for (JobSlot slot : changes.jobs) {
      rows.add(slot.row());
      expected[i++] = slot.storedVersion;
      touched.add(slot.run.id);
    }
    changes.runs.forEach(run -> touched.add(run.id));
    tx.executeWithoutResult(status -> {
      // In id order: two writers lock the same runs in the same order, so they never deadlock.
      runs.checkOwner(touched, owner);
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
