package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pipewright.worker.runtime.Specs.aShellJob;
import static org.pipewright.worker.runtime.Specs.aTouchJob;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkspacePathTests {

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

  @ParameterizedTest
  @ValueSource(strings = {"../escaped", "/tmp/escaped", "a/../../escaped", "..", "", "a/..//../b"})
  void anOutputOutsideTheWorkspaceFailsTheJobAndIsNotWritten(String output) {
    Completion completion = rig.run(aShellJob("touch escaped").outputs(output));

    assertThat(completion.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.error())
        .startsWith(output.isEmpty() ? "a path is empty" : "path '" + output + "'");
    assertThat(temp.resolve("escaped")).doesNotExist();
    assertThat(rig.file("escaped")).doesNotExist();
  }

  @Test
  void aWorkdirOutsideTheWorkspaceFailsTheJob() {
    Completion completion = rig.run(aShellJob("touch x").workdir("../outside"));

    assertThat(completion.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.error()).isEqualTo("path '../outside' has a '..' segment");
  }

  @Test
  void aLogFolderOutsideTheWorkspaceFailsTheJob() {
    Completion completion = rig.run(aShellJob("true").logDir("/var/log"));

    assertThat(completion.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.error()).isEqualTo("path '/var/log' is absolute");
  }

  @Test
  void aSymbolicLinkToAFolderOutsideFailsTheJob() throws Exception {
    Files.createDirectories(rig.file("."));
    Files.createDirectories(temp.resolve("elsewhere"));
    Files.createSymbolicLink(rig.file("link"), temp.resolve("elsewhere"));

    Completion completion = rig.run(aTouchJob().outputs("link/out"));

    assertThat(completion.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.error())
        .isEqualTo("path 'link/out' leads out of the workspace through a symbolic link");
    assertThat(temp.resolve("elsewhere/out")).doesNotExist();
  }

  @Test
  void aLinkThatStaysInsideCannotLeadToALinkOutBeneathIt() throws Exception {
    Files.createDirectories(rig.file("real"));
    Files.createDirectories(temp.resolve("elsewhere"));
    Files.createSymbolicLink(rig.file("alias"), rig.file("real"));
    Files.createSymbolicLink(rig.file("real/deeper"), temp.resolve("elsewhere"));

    Completion completion = rig.run(aTouchJob().outputs("alias/deeper/out"));

    assertThat(completion.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.error())
        .isEqualTo("path 'alias/deeper/out' leads out of the workspace through a symbolic link");
    assertThat(temp.resolve("elsewhere/out")).doesNotExist();
  }

  @Test
  void aFolderLinkThatStaysInsideIsFollowed() throws Exception {
    Files.createDirectories(rig.file("real/deeper"));
    Files.createSymbolicLink(rig.file("alias"), rig.file("real"));

    Completion completion = rig.run(aTouchJob().outputs("alias/deeper/out"));

    assertThat(completion.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(rig.file("real/deeper/out")).exists();
  }

  @Test
  void aJobThatTurnsAnOutputsFolderIntoALinkOutFails() throws Exception {
    Files.createDirectories(temp.resolve("elsewhere"));

    Completion completion =
        rig.run(
            aShellJob(
                    "mkdir -p sub && echo a > sub/one && rm -r sub && ln -s "
                        + temp.resolve("elsewhere")
                        + " sub && echo b > sub/one && echo c > sub/two")
                .outputs("sub/one", "sub/two"));

    assertThat(completion.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.error())
        .isEqualTo("path 'sub/one' leads out of the workspace through a symbolic link");
  }

  @Test
  void aSymbolicLinkToAFileOutsideFailsTheJob() throws Exception {
    Files.createDirectories(rig.file("."));
    Files.writeString(temp.resolve("secret"), "s");
    Files.createSymbolicLink(rig.file("in"), temp.resolve("secret"));

    Completion completion = rig.run(aShellJob("cat in > out").inputs("in").outputs("out"));

    assertThat(completion.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.error()).isEqualTo("path 'in' is a symbolic link out of the workspace");
  }

  @Test
  void aSplitJobWhoseGlobMatchesALinkOutOfTheWorkspaceFails() throws Exception {
    Files.writeString(temp.resolve("secret"), "s");

    Completion inside =
        rig.run(
            aShellJob(
                    "mkdir -p parts && echo a > parts/chunk.1.txt && ln -s chunk.1.txt parts/chunk.2.txt")
                .outputs("parts/chunk.*.txt")
                .checkOutputs()
                .id(1, 1));
    Completion outside =
        rig.run(
            aShellJob("echo a > chunk.1.txt && ln -s " + temp.resolve("secret") + " chunk.2.txt")
                .outputs("chunk.*.txt")
                .checkOutputs()
                .id(2, 1));

    assertThat(inside.outcome())
        .as("a link that stays inside is fine")
        .isEqualTo(Outcome.SUCCEEDED);
    assertThat(outside.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(outside.error())
        .isEqualTo("path 'chunk.2.txt' is a symbolic link out of the workspace");
  }

  @Test
  void touchCreatesNothingThroughADanglingSymbolicLink() throws Exception {
    Files.createDirectories(rig.file("."));
    Files.createSymbolicLink(rig.file("out"), temp.resolve("not-yet"));

    Completion completion = rig.run(aTouchJob().outputs("out"));

    assertThat(completion.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(temp.resolve("not-yet")).doesNotExist();
  }

  @Test
  void aSymbolicLinkThatStaysInsideIsFollowed() throws Exception {
    rig.write("/shared/data.txt", "data");
    Files.createDirectories(rig.file("."));
    Files.createSymbolicLink(rig.file("data"), rig.file("/shared/data.txt"));

    Completion completion = rig.run(aShellJob("cat data > out").inputs("data").outputs("out"));

    assertThat(completion.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(rig.read("out")).isEqualTo("data");
  }

  @Test
  void dotSegmentsThatStayInsideAreFine() {
    Completion completion = rig.run(aShellJob("echo x > sub/out").outputs("./sub/./out"));

    assertThat(completion.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(rig.file("sub/out")).exists();
  }
}
