/**
 * The control planes that share one database: each process keeps a row alive with a heartbeat, and
 * the first peer to see a row go stale claims it, so that the runs of a dead process are taken over
 * exactly once. Uses nothing of the other capabilities; {@code store} implements its repository.
 */
@NullMarked
package org.pipewright.cluster;

import org.jspecify.annotations.NullMarked;
