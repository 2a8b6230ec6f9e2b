package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pipewright.worker.runtime.Specs.aTouchJob;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TouchJobTests {

  @TempDir Path temp;
  Rig rig;

  @BeforeEach
  void rig() {
    rig = new Rig(temp);
  }

  @AfterEach
  void close() {
    rig.close();
  }

  @Test
  void touchCreatesMissingOutputsAndSetsTheTimeOfExistingOnes() throws Exception {
    rig.write("old", "kept");
    Files.setLastModifiedTime(rig.file("old"), FileTime.fromMillis(1_000_000_000_000L));

    Completion completion = rig.run(aTouchJob().outputs("old", "dir/new"));

    assertThat(completion.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(rig.read("old")).isEqualTo("kept");
    assertThat(Files.getLastModifiedTime(rig.file("old")).toMillis())
        .isGreaterThanOrEqualTo(completion.startedAt() - 1_000);
    assertThat(rig.file("dir/new")).isEmptyFile();
  }
}
