package org.pipewright.worker;

import java.net.URI;
import java.util.List;
import org.pipewright.pipeline.Resources;

/**
 * Starts the pool's worker JVMs and keeps it at its size: {@code local} forks them on this host,
 * {@code slurm} submits them as SLURM jobs. Either way the workers call back over HTTP and the rest
 * of the control plane does not know where they run.
 */
interface Launcher {

  /** Starts the pool; {@code callback} is where workers find this control plane by default. */
  void start(URI callback);

  /** Stops every worker it started, and what their jobs left running. */
  void stop();

  /** How many workers in a row could not start, or ended before they could work: health's clue. */
  int failingStarts();

  /**
   * What the workers it starts offer, one entry per kind of worker: a job that fits none of them,
   * nor any live worker, can never run.
   */
  List<Resources> offers();

  /** How many workers of the configured size it keeps now. */
  int size();

  /**
   * Keeps {@code workers} of the configured size from now on, until the service stops: missing ones
   * start at once; surplus ones get no more jobs and leave once their job is done.
   */
  void resize(int workers);

  /**
   * Stops a worker of another control plane found dead, if this launcher can reach it wherever it
   * runs.
   */
  void stopAbandoned(WorkerRow worker);

  /** Stops a worker an earlier process of the service launched, if it still runs. */
  void stopEarlier(WorkerRow worker);
}
