package org.pipewright.run;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How runs are scheduled.
 *
 * @param maxLostAttempts a job whose worker was lost this many times fails instead of trying again
 *     (a job that kills every worker it lands on must not take the pool down forever; default 3)
 * @param maxLeaseWait the longest a worker's lease call waits for a job (default 30 s)
 * @param unreportedGrace a leased attempt that its worker's heartbeats do not mention for this long
 *     is taken back: the answer with it never reached the worker (default 5 s)
 * @param maxActiveRuns the most runs in progress at once; one more is refused with 429 (default
 *     100): each holds its jobs in memory
 * @param maxJobs the most jobs one run (or dry run) may expand into; a plan past it is refused with
 *     413 {@code plan-too-large} before it is all made (default 2,000,000)
 */
@ConfigurationProperties("pipewright.runs")
public record RunProperties(
    @DefaultValue("3") int maxLostAttempts,
    @DefaultValue("30s") Duration maxLeaseWait,
    @DefaultValue("5s") Duration unreportedGrace,
    @DefaultValue("100") int maxActiveRuns,
    @DefaultValue("2000000") int maxJobs) {

  public RunProperties {
    if (maxActiveRuns < 1) {
      throw new IllegalArgumentException("pipewright.runs.max-active-runs must be 1 or more");
    }
    if (maxJobs < 1) {
      throw new IllegalArgumentException("pipewright.runs.max-jobs must be 1 or more");
    }
  }
}
