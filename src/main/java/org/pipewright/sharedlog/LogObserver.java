package org.pipewright.sharedlog;

/** Hears of the records stored, once they are committed. */
@FunctionalInterface
public interface LogObserver {

  /**
   * @param records how many new records were stored (repeats not counted)
   * @param bytes their messages' size in UTF-8
   */
  void appended(int records, long bytes);
}
