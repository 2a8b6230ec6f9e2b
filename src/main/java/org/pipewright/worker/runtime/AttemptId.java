package org.pipewright.worker.runtime;

/**
 * One attempt of one job, the key of every list the worker and the control plane exchange.
 *
 * <p>equals, hashCode and toString are written out: a record's generated ones bootstrap through
 * invokedynamic on first use, which a worker would pay for while it starts.
 */
record AttemptId(long jobId, int attempt) {

  void writeTo(JsonWriter w) {
    w.name("jobId").value(jobId).name("attempt").value(attempt);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AttemptId that && jobId == that.jobId && attempt == that.attempt;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(jobId) * 31 + attempt;
  }

  @Override
  public String toString() {
    return "job " + jobId + " attempt " + attempt;
  }
}
