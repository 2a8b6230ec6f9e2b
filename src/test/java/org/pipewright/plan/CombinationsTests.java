package org.pipewright.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.pipewright.pipeline.TaskSpec.Combinatorics;

/** Ruffus's product and combinatoric tasks make jobs in Python's itertools order. */
class CombinationsTests {

  @Test
  void productVariesTheLastSetFastest() {
    // list(itertools.product(range(2), range(3)))
    assertThat(Combinations.product(new int[] {2, 3}, 100))
        .isDeepEqualTo(new int[][] {{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}});
  }

  @Test
  void productWithAnEmptySetHasNoTuples() {
    assertThat(Combinations.product(new int[] {2, 0}, 100)).isEmpty();
  }

  @Test
  void permutationsFollowItertools() {
    // list(itertools.permutations(range(3), 2))
    assertThat(Combinations.of(Combinatorics.PERMUTATIONS, 3, 2, 100))
        .isDeepEqualTo(new int[][] {{0, 1}, {0, 2}, {1, 0}, {1, 2}, {2, 0}, {2, 1}});
  }

  @Test
  void combinationsFollowItertools() {
    assertThat(Combinations.of(Combinatorics.COMBINATIONS, 4, 2, 100))
        .isDeepEqualTo(new int[][] {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}});
  }

  @Test
  void combinationsWithReplacementFollowItertools() {
    assertThat(Combinations.of(Combinatorics.COMBINATIONS_WITH_REPLACEMENT, 3, 2, 100))
        .isDeepEqualTo(new int[][] {{0, 0}, {0, 1}, {0, 2}, {1, 1}, {1, 2}, {2, 2}});
  }

  @Test
  void tooManyTuplesAreRefusedBeforeTheyAreAllMade() {
    assertThatThrownBy(() -> Combinations.product(new int[] {100_000, 100_000}, 1_000_000))
        .isInstanceOf(PlanTooLargeException.class);
    assertThatThrownBy(() -> Combinations.of(Combinatorics.PERMUTATIONS, 1000, 3, 1000))
        .isInstanceOf(PlanTooLargeException.class);
  }
}
