package org.pipewright.plan;

import java.util.List;

/**
 * One input item as Ruffus passes it downstream: the outputs of one upstream job (or one file of
 * a split, or one file matched by a glob).
 *
 * @param files the file names, relative to the workdir
 * @param producer index of the job that makes them in the plan, or -1 for files already on disk
 */
record Item(List<String> files, int producer) {

  static Item onDisk(String file) {
    return new Item(List.of(file), -1);
  }
}
