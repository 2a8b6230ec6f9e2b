package org.pipewright.plan;

import java.util.ArrayList;
import java.util.List;

/** A job while it is being planned: expanded from inputs, not yet judged. */
final class JobDraft {

  final List<String> inputs;
  final List<String> outputs;
  final List<String> extras;
  /** Indices of the jobs making the inputs, distinct, in first-seen order. */
  final int[] producers;
  /** Split and subdivide: outputs are globs resolved on disk. */
  final boolean globOutputs;

  JobDraft(List<String> inputs, List<String> outputs, List<String> extras, int[] producers, boolean globOutputs) {
    this.inputs = inputs;
    this.outputs = outputs;
    this.extras = extras;
    this.producers = producers;
    this.globOutputs = globOutputs;
  }

  static JobDraft of(List<Item> items, List<String> outputs, List<String> extras, boolean glob) {
    List<String> inputs;
    if (items.size() == 1) {
      inputs = items.getFirst().files();
    } else {
      inputs = new ArrayList<>();
      for (Item item : items) {
        inputs.addAll(item.files());
      }
    }
    return new JobDraft(inputs, outputs, extras, producers(items), glob);
  }

  static int[] producers(List<Item> items) {
    if (items.size() == 1) {
      int p = items.getFirst().producer();
      return p < 0 ? new int[0] : new int[] {p};
    }
    // Jobs of a merge read items of many producers; most inputs come from distinct jobs.
    int[] result = new int[items.size()];
    int n = 0;
    int last = -1;
    java.util.BitSet seen = null;
    for (Item item : items) {
      int p = item.producer();
      if (p < 0 || p == last) {
        continue;
      }
      if (seen == null) {
        seen = new java.util.BitSet();
      }
      if (!seen.get(p)) {
        seen.set(p);
        result[n++] = p;
      }
      last = p;
    }
    return n == result.length ? result : java.util.Arrays.copyOf(result, n);
  }
}
