package org.pipewright.sharedlog;

import org.jspecify.annotations.Nullable;

/** Answers whether a lock's grant is still current; the shared locks implement it. */
@FunctionalInterface
public interface Fencing {

  /**
   * Whether {@code token} is the current grant of lock {@code name}, made to {@code principal}.
   *
   * @param principal the appender; null for the admin, who may append under any grant
   */
  boolean isCurrent(String name, long token, @Nullable String principal);
}
