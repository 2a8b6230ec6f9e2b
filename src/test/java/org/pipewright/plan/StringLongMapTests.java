package org.pipewright.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The planner's flat map must agree with a HashMap whatever it grows through. */
class StringLongMapTests {

  @Test
  void agreesWithAHashMapThroughGrowthAndPresizing() {
    StringLongMap map = new StringLongMap(4);
    Map<String, Long> reference = new HashMap<>();
    Random random = new Random(42);
    for (int i = 0; i < 50_000; i++) {
      String key = "f" + random.nextInt(30_000) + ".a";
      long value = random.nextLong(1_000_000);
      if (i == 20_000) {
        map.ensureCapacity(100_000);
      }
      long previous = map.putIfAbsent(key, value);
      Long expected = reference.putIfAbsent(key, value);
      assertThat(previous).isEqualTo(expected == null ? StringLongMap.ABSENT : expected);
    }
    assertThat(map.size()).isEqualTo(reference.size());
    reference.forEach((k, v) -> assertThat(map.get(k)).isEqualTo(v));
    assertThat(map.get("missing")).isEqualTo(StringLongMap.ABSENT);
  }
}
