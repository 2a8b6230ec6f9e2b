package org.pipewright.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

@ExtendWith(OutputCaptureExtension.class)
class AdminTokenTests {

  @TempDir Path dir;

  AdminToken resolve(String configured, Path file) {
    return AdminToken.resolve(
        new SecurityProperties(configured, file, java.time.Duration.ofDays(7), null),
        new SecureRandom());
  }

  @Test
  void firstStartGeneratesAnOwnerOnlyTokenFile() throws IOException {
    Path file = dir.resolve("data/nested/admin-token");

    AdminToken token = resolve(null, file);

    assertThat(token.source()).isEqualTo(AdminToken.Source.GENERATED);
    assertThat(token.value()).matches("[A-Za-z0-9_-]{43}"); // 32 random bytes, URL-safe
    assertThat(Files.readString(file).strip()).isEqualTo(token.value());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
  }

  @Test
  void laterStartsReadTheSameToken() {
    Path file = dir.resolve("admin-token");
    AdminToken first = resolve(null, file);

    AdminToken second = resolve(null, file);

    assertThat(second.source()).isEqualTo(AdminToken.Source.FILE);
    assertThat(second.matches(first.value())).isTrue();
  }

  @Test
  void everyGeneratedTokenIsDifferent() {
    AdminToken a = resolve(null, dir.resolve("a"));
    AdminToken b = resolve(null, dir.resolve("b"));

    assertThat(a.value()).isNotEqualTo(b.value());
  }

  @Test
  void configuredTokenWritesNoFile() {
    Path file = dir.resolve("admin-token");

    AdminToken token = resolve("from-the-environment", file);

    assertThat(token.source()).isEqualTo(AdminToken.Source.CONFIGURED);
    assertThat(token.matches("from-the-environment")).isTrue();
    assertThat(file).doesNotExist();
  }

  @Test
  void blankConfiguredTokenCountsAsUnset() {
    Path file = dir.resolve("admin-token");

    AdminToken token = resolve("  ", file);

    assertThat(token.source()).isEqualTo(AdminToken.Source.GENERATED);
    assertThat(file).exists();
  }

  @Test
  void onlyTheExactTokenMatches() {
    AdminToken token = resolve("s3cret-token", dir.resolve("unused"));

    assertThat(token.matches("s3cret-token")).isTrue();
    assertThat(token.matches("s3cret-toke")).isFalse();
    assertThat(token.matches("s3cret-token ")).isFalse();
    assertThat(token.matches("S3CRET-TOKEN")).isFalse();
    assertThat(token.matches("")).isFalse();
  }

  @Test
  void emptyTokenFileStopsTheStart() throws IOException {
    Path file = Files.writeString(dir.resolve("admin-token"), "\n");

    assertThatThrownBy(() -> resolve(null, file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is empty");
  }

  @Test
  void generatedTokenIsPrintedWithTheDashboardUrlOnce(CapturedOutput output) {
    AdminToken token = resolve(null, dir.resolve("admin-token"));
    var announcer = new AdminTokenAnnouncer(token, new MockEnvironment());

    announcer.announce(8080);
    announcer.announce(8081);

    String url = "http://127.0.0.1:8080/signin?token=" + token.value();
    assertThat(output.getOut()).contains(url);
    assertThat(output.getOut().split(java.util.regex.Pattern.quote(token.value()), -1)).hasSize(2);
  }

  @Test
  void tokenReadFromTheFileIsNeverPrinted(CapturedOutput output) {
    Path file = dir.resolve("admin-token");
    String value = resolve(null, file).value();
    AdminToken reread = resolve(null, file);

    new AdminTokenAnnouncer(reread, new MockEnvironment()).announce(8080);
    new AdminTokenAnnouncer(resolve("configured", file), new MockEnvironment()).announce(8080);

    assertThat(output.getOut()).doesNotContain(value).doesNotContain("configured");
  }
}
