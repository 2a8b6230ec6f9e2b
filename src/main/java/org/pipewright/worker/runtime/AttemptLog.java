package org.pipewright.worker.runtime;

import org.pipewright.sdk.JobLog;

/** A {@link JobLog} for one attempt, which the worker closes when the attempt ends. */
interface AttemptLog extends JobLog {

  /** Flushes and releases what the log holds; later records are dropped. */
  void close();
}
