package org.pipewright.plan;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One input item as Ruffus passes it downstream: the outputs of one upstream job (or one file of a
 * split, or one file matched by a glob).
 *
 * @param files the file names, relative to the workdir
 * @param producer index of the job that makes them in the plan, or -1 for files already on disk
 * @param newest when an up-to-date job made them: the newest of their times as an input sees them
 *     (file or recorded time, whichever is later), so dependants need not look them up again;
 *     {@link #UNKNOWN} otherwise
 * @param newestFile the file with that time
 */
record Item(List<String> files, int producer, long newest, @Nullable String newestFile) {

  static final long UNKNOWN = Long.MIN_VALUE;

  Item(List<String> files, int producer) {
    this(files, producer, UNKNOWN, null);
  }

  static Item onDisk(String file) {
    return new Item(List.of(file), -1);
  }

  boolean known() {
    return newest != UNKNOWN;
  }
}
