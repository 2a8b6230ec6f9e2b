package org.pipewright.lock;

/**
 * Where fencing tokens get their high half: a number that grows with every start of the control
 * plane, so the tokens of a new start exceed every token handed out before it, although the locks
 * themselves live in memory.
 */
@FunctionalInterface
public interface LockEpochs {

  /**
   * Takes the next epoch, durably: no later call, in this process or a later one, returns it or
   * anything smaller.
   *
   * @return the new epoch, at least 0
   */
  long next();
}
