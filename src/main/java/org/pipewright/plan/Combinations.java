package org.pipewright.plan;

import java.util.ArrayList;
import java.util.List;
import org.pipewright.pipeline.TaskSpec.Combinatorics;

/**
 * Index tuples in the order of Python's {@code itertools}, which Ruffus's product and combinatoric
 * tasks follow: the last position varies fastest.
 */
final class Combinations {

  private Combinations() {}

  /** {@code itertools.product(range(sizes[0]), range(sizes[1]), ...)}. */
  static int[][] product(int[] sizes, int max) {
    long total = 1;
    for (int size : sizes) {
      total *= size;
      check(total, max);
    }
    int[][] result = new int[(int) total][];
    int[] current = new int[sizes.length];
    for (int n = 0; n < total; n++) {
      result[n] = current.clone();
      for (int pos = sizes.length - 1; pos >= 0; pos--) {
        if (++current[pos] < sizes[pos]) {
          break;
        }
        current[pos] = 0;
      }
    }
    return result;
  }

  /** {@code itertools.permutations|combinations|combinations_with_replacement(range(n), r)}. */
  static int[][] of(Combinatorics kind, int n, int r, int max) {
    List<int[]> result = new ArrayList<>();
    fill(kind, n, new int[r], 0, result, max);
    return result.toArray(int[][]::new);
  }

  private static void fill(
      Combinatorics kind, int n, int[] tuple, int pos, List<int[]> out, int max) {
    if (pos == tuple.length) {
      out.add(tuple.clone());
      check(out.size(), max);
      return;
    }
    int start =
        switch (kind) {
          case PERMUTATIONS -> 0;
          case COMBINATIONS -> pos == 0 ? 0 : tuple[pos - 1] + 1;
          case COMBINATIONS_WITH_REPLACEMENT -> pos == 0 ? 0 : tuple[pos - 1];
        };
    for (int i = start; i < n; i++) {
      if (kind == Combinatorics.PERMUTATIONS && used(tuple, pos, i)) {
        continue;
      }
      tuple[pos] = i;
      fill(kind, n, tuple, pos + 1, out, max);
    }
  }

  private static boolean used(int[] tuple, int upTo, int value) {
    for (int i = 0; i < upTo; i++) {
      if (tuple[i] == value) {
        return true;
      }
    }
    return false;
  }

  private static void check(long count, int max) {
    if (count > max) {
      throw new PlanTooLargeException(max);
    }
  }
}
