package org.pipewright.plan;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A job while it is being planned: expanded from inputs, not yet judged. */
final class JobDraft {

  final List<String> inputs;
  final List<String> outputs;
  final List<String> extras;

  /** Indices of the jobs making the inputs, distinct, in first-seen order. */
  final int[] producers;

  /** Split and subdivide: outputs are globs resolved on disk. */
  final boolean globOutputs;

  /** Inputs whose time is not known from an up-to-date upstream job: the judge looks these up. */
  final List<String> unknownInputs;

  /** The newest time among the other inputs, or {@link Item#UNKNOWN}. */
  final long knownNewest;

  /** The input with that time. */
  final @Nullable String knownNewestFile;

  /** The filter's match the job was made from, for templates substituted later ({@code mkdir}). */
  @Nullable NameMatch match;

  /** Remembers the match this job was made from. */
  JobDraft matched(NameMatch made) {
    this.match = made;
    return this;
  }

  JobDraft(
      List<String> inputs,
      List<String> outputs,
      List<String> extras,
      int[] producers,
      boolean globOutputs) {
    this(inputs, outputs, extras, producers, globOutputs, inputs, Item.UNKNOWN, null);
  }

  private JobDraft(
      List<String> inputs,
      List<String> outputs,
      List<String> extras,
      int[] producers,
      boolean globOutputs,
      List<String> unknownInputs,
      long knownNewest,
      @Nullable String knownNewestFile) {
    this.inputs = inputs;
    this.outputs = outputs;
    this.extras = extras;
    this.producers = producers;
    this.globOutputs = globOutputs;
    this.unknownInputs = unknownInputs;
    this.knownNewest = knownNewest;
    this.knownNewestFile = knownNewestFile;
  }

  static JobDraft of(List<Item> items, List<String> outputs, List<String> extras, boolean glob) {
    return of(items, List.of(), false, outputs, extras, glob);
  }

  /**
   * A job reading these items, plus (or, with {@code replace}, instead of them) the added files of
   * {@code add_inputs}/{@code replace_inputs}.
   */
  static JobDraft of(
      List<Item> items,
      List<String> added,
      boolean replace,
      List<String> outputs,
      List<String> extras,
      boolean glob) {
    int[] producers = producers(items);
    if (replace) {
      return new JobDraft(added, outputs, extras, producers, glob);
    }
    if (items.size() == 1 && added.isEmpty()) {
      Item item = items.getFirst();
      return item.known()
          ? new JobDraft(
              item.files(),
              outputs,
              extras,
              producers,
              glob,
              List.of(),
              item.newest(),
              item.newestFile())
          : new JobDraft(item.files(), outputs, extras, producers, glob);
    }
    List<String> inputs = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    long newest = Item.UNKNOWN;
    String newestFile = null;
    for (Item item : items) {
      inputs.addAll(item.files());
      if (!item.known()) {
        unknown.addAll(item.files());
      } else if (item.newest() > newest) {
        newest = item.newest();
        newestFile = item.newestFile();
      }
    }
    inputs.addAll(added);
    unknown.addAll(added);
    return new JobDraft(inputs, outputs, extras, producers, glob, unknown, newest, newestFile);
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
