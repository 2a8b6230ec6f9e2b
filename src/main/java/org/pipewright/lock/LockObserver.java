package org.pipewright.lock;

/** Hears of every grant, with how long its acquire waited for it. */
@FunctionalInterface
public interface LockObserver {

  /**
   * A grant was made (or returned again).
   *
   * @param name the lock
   * @param waitedNanos from the acquire call to the grant
   */
  void waited(String name, long waitedNanos);
}
