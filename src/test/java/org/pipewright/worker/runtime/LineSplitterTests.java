package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTests {

  final LineSplitter splitter = new LineSplitter();
  final List<String> lines = new ArrayList<>();

  void feed(String text) {
    feed(text.getBytes(StandardCharsets.UTF_8));
  }

  void feed(byte[] bytes) {
    splitter.feed(bytes, 0, bytes.length, lines);
  }

  @Test
  void linesEndAtNewlinesWhereverTheChunksEnd() {
    feed("one\ntw");
    assertThat(lines).containsExactly("one");

    feed("o\r\n\nthree\n");

    assertThat(lines).containsExactly("one", "two", "", "three");
  }

  @Test
  void aLastLineWithoutNewlineIsALineOnceTheOutputEnds() {
    feed("done\nlast");
    splitter.finish(lines);

    assertThat(lines).containsExactly("done", "last");
  }

  @Test
  void nothingAfterTheLastNewlineMeansNoMoreLines() {
    feed("done\n");
    splitter.finish(lines);

    assertThat(lines).containsExactly("done");
  }

  @Test
  void bytesThatAreNotUtf8AreReplaced() {
    feed(new byte[] {'a', (byte) 0xff, 'b', (byte) 0xc3, '\n', (byte) 0xc3, (byte) 0xa9, '\n'});

    assertThat(lines).containsExactly("a\uFFFDb\uFFFD", "é");
  }

  @Test
  void aCharacterSplitAcrossChunksIsDecodedWhole() {
    feed(new byte[] {'x', (byte) 0xe2});
    feed(new byte[] {(byte) 0x82, (byte) 0xac, '\n'});

    assertThat(lines).containsExactly("x€");
  }

  @Test
  void anOverlongLineIsCutWithAMarkerAndItsRestSkippedUpToItsNewline() {
    for (int i = 0; i < 100; i++) {
      feed("x".repeat(1024));
    }
    feed("\nnext\n");

    assertThat(lines).hasSize(2);
    String cut = lines.get(0);
    assertThat(cut).hasSize(LogText.MAX_CHARS);
    int kept = cut.indexOf('.');
    assertThat(cut.substring(0, kept)).matches("x+");
    assertThat(cut).endsWith("... [truncated " + (102_400 - kept) + " chars]");
    assertThat(lines.get(1)).isEqualTo("next");
  }

  @Test
  void theRestOfAnOverlongLineIsCountedInCharactersNotBytes() {
    String euros = "€".repeat(30_000);

    feed(euros + "\n");

    assertThat(lines.get(0))
        .endsWith("... [truncated " + (30_000 - LogText.keep(30_000)) + " chars]");
  }
}
