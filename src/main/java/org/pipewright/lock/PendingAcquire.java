package org.pipewright.lock;

import org.pipewright.PipewrightException;

/**
 * An acquire that does not hold a thread while it waits: the lock channel's. It hears exactly once,
 * of its grant or of why there is none, on whichever thread settled it and never under a lock's
 * mutex, so it may send the answer straight away.
 */
public interface PendingAcquire {

  void granted(Grant grant);

  void failed(PipewrightException problem);
}
