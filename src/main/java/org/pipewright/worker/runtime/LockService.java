package org.pipewright.worker.runtime;

import org.pipewright.sdk.HeldLock;

/**
 * Named locks for jobs, behind {@link org.pipewright.sdk.JobContext#lock}: the control plane's
 * leased locks ({@link LockClient}).
 */
interface LockService {

  /**
   * Takes the named lock for an attempt, waiting as long as another holder has it.
   *
   * @param log the attempt's log: its records are written under the lock while it is held
   * @throws InterruptedException when the attempt's thread is interrupted (cancel) while waiting
   * @throws IllegalArgumentException when the name is not allowed
   * @throws IllegalStateException when this worker holds the lock already
   */
  HeldLock acquire(String name, Attempt attempt, AttemptLog log) throws InterruptedException;

  /**
   * Whether a lock name is allowed: letters, digits, {@code .}, {@code _}, {@code -}, at most 100
   * characters, not starting with a dot.
   */
  static boolean validName(String name) {
    if (name.isEmpty() || name.length() > 100 || name.charAt(0) == '.') {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
