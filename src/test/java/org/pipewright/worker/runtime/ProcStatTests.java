package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Fields of a /proc stat line, whatever the command name holds. */
class ProcStatTests {

  static final String LINE =
      "4242 (a) b (c) S 17 4242 4200 0 -1 4194304 90 0 0 0 1 2 0 0 20 0 1 0 123456 2453504 171"
          + " 18446744073709551615\n";

  @Test
  void fieldsAreCountedAfterTheLastParenthesisOfTheCommandName() {
    assertThat(ProcStat.field(LINE, ProcStat.STATE)).isEqualTo("S");
    assertThat(ProcStat.number(LINE, ProcStat.PARENT)).isEqualTo(17);
    assertThat(ProcStat.number(LINE, ProcStat.GROUP)).isEqualTo(4242);
    assertThat(ProcStat.number(LINE, ProcStat.SESSION)).isEqualTo(4200);
    assertThat(ProcStat.number(LINE, ProcStat.START)).isEqualTo(123456);
    assertThat(ProcStat.field(LINE, 25)).isEqualTo("18446744073709551615");
    assertThat(ProcStat.zombie(LINE)).isFalse();
    assertThat(ProcStat.zombie(LINE.replace(") S ", ") Z "))).isTrue();
  }

  @Test
  void aLineWithoutTheFieldIsRefused() {
    assertThatThrownBy(() -> ProcStat.field("12 (sh) S 1", ProcStat.START))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProcStat.field("garbage", ProcStat.STATE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void thisProcessesLineNamesItsParentAndAReapedOneIsNoSuchFile() throws Exception {
    String self = ProcStat.read(Path.of("/proc/self"));

    assertThat(ProcStat.number(self, ProcStat.PARENT))
        .isEqualTo(ProcessHandle.current().parent().orElseThrow().pid());
    assertThatThrownBy(() -> ProcStat.read(Integer.MAX_VALUE + 1L))
        .isInstanceOf(NoSuchFileException.class);
  }
}
