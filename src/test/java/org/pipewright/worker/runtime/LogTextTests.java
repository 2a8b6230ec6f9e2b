package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTests {

  static final int MAX = LogText.MAX_CHARS;

  @Test
  void aMessageUpToTheLimitIsKeptWhole() {
    String message = "x".repeat(MAX);

    assertThat(LogText.cut(message)).isSameAs(message);
  }

  @Test
  void aLongerMessageIsCutSoThatItAndItsMarkerFitTheLimit() {
    String cut = LogText.cut("x".repeat(MAX + 1));

    assertThat(cut).hasSize(MAX);
    int kept = cut.indexOf('.');
    assertThat(cut).isEqualTo("x".repeat(kept) + "... [truncated " + (MAX + 1 - kept) + " chars]");
  }

  @Test
  void theMarkerCountsWhatTheCallerDidNotKeepToo() {
    String cut = LogText.cut("y".repeat(20_000), 80_000);

    assertThat(cut).hasSize(MAX).endsWith("... [truncated 83643 chars]");
  }

  @Test
  void aCutNeverSplitsASurrogatePair() {
    String emoji = "\uD83D\uDE00";
    int keep = LogText.keep(MAX + 100L);
    String text = "a".repeat(keep - 1) + emoji + "b".repeat(200);

    String cut = LogText.cut(text);

    assertThat(cut).startsWith("a".repeat(keep - 1) + "... [truncated ");
    assertThat(cut.length()).isLessThanOrEqualTo(MAX);
  }

  @Test
  void aStackTraceWithItsCausesFollowsTheMessageInTheSameText() {
    String text =
        LogText.withTrace(
            "failed", new IllegalStateException("outer", new RuntimeException("inner")));

    assertThat(text)
        .startsWith("failed\njava.lang.IllegalStateException: outer\n\tat ")
        .contains("\nCaused by: java.lang.RuntimeException: inner")
        .doesNotEndWith("\n");
  }

  @Test
  void aLongMessageWithAStackTraceIsCutAsOneText() {
    String text = LogText.withTrace("m".repeat(MAX), new IllegalStateException("lost"));

    assertThat(text).hasSize(MAX).startsWith("mmm").doesNotContain("IllegalStateException");
    assertThat(text).matches("m+\\.\\.\\. \\[truncated \\d+ chars\\]");
  }
}
