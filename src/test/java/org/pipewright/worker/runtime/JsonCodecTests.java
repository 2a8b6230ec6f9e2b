package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonCodecTests {

  @Test
  void everyKindOfValueSurvivesARoundTrip() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("long", Long.MAX_VALUE);
    value.put("negative", Long.MIN_VALUE);
    value.put("double", -1.5e-7);
    value.put("true", true);
    value.put("false", false);
    value.put("null", null);
    value.put("text", "quote \" backslash \\ slash / tab \t newline \n nul \0 bell \u0007");
    value.put("unicode", "héllo 世界 😀 \u2028");
    value.put("list", Arrays.asList(1L, "two", null, List.of(), Map.of()));
    value.put("nested", Map.of("a", List.of(Map.of("b", List.of(1L)))));

    String text = JsonWriter.write(value);

    assertThat(JsonReader.parse(text)).isEqualTo(value);
  }

  @Test
  void membersKeepTheirOrder() {
    Map<String, Object> value = JsonReader.parseObject("{\"z\":1,\"a\":2,\"m\":3}");

    assertThat(value.keySet()).containsExactly("z", "a", "m");
  }

  @Test
  void integersReadAsLongAndOtherNumbersAsDouble() {
    assertThat(JsonReader.parse("[0, -0, 12, 1.0, 1e3, -2.5E-1]"))
        .isEqualTo(List.of(0L, 0L, 12L, 1.0, 1000.0, -0.25));
  }

  @Test
  void escapesAreDecoded() {
    assertThat(JsonReader.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\""))
        .isEqualTo("\"\\/\b\f\n\r\té😀");
  }

  @Test
  void controlCharactersAndLoneSurrogatesAreWrittenEscaped() {
    assertThat(JsonWriter.write("a\u0001\n\ud800b")).isEqualTo("\"a\\u0001\\n\\ud800b\"");
  }

  @Test
  void aPairedSurrogateIsWrittenAsItIs() {
    assertThat(JsonWriter.write("😀")).isEqualTo("\"😀\"");
  }

  @Test
  void theStreamingWriterPlacesCommas() {
    JsonWriter w = new JsonWriter();
    w.beginObject().name("a").value(1).name("b").beginArray().value("x").value(true);
    w.beginObject().endObject().endArray().name("c").value((String) null).endObject();

    assertThat(w.toString()).isEqualTo("{\"a\":1,\"b\":[\"x\",true,{}],\"c\":null}");
  }

  @Test
  void whitespaceAroundTokensIsAllowed() {
    assertThat(JsonReader.parse(" \t\r\n{ \"a\" : [ 1 , 2 ] }\n"))
        .isEqualTo(Map.of("a", List.of(1L, 2L)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "{",
        "[1,]",
        "{\"a\":1,}",
        "{a:1}",
        "{'a':1}",
        "['a']",
        "01",
        "-",
        "1.",
        ".5",
        "1e",
        "+1",
        "NaN",
        "Infinity",
        "tru",
        "nul",
        "True",
        "\"unterminated",
        "\"raw\ttab\"",
        "\"raw\nnewline\"",
        "\"bad \\x escape\"",
        "\"short \\u12\"",
        "\"bad \\u12g4\"",
        "{} {}",
        "1 2",
        "[1] x",
        "// comment\n1",
        "/* c */ 1",
        "{\"a\":1,\"a\":2}",
        "99999999999999999999",
        "1e999",
        "[1 2]",
        "{\"a\" 1}",
        "{\"a\":}",
        "\u00a01"
      })
  void malformedTextIsRefused(String text) {
    assertThatThrownBy(() -> JsonReader.parse(text)).isInstanceOf(JsonException.class);
  }

  @Test
  void nestingDeeperThanTheLimitIsRefused() {
    String deep = "[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1);
    String allowed = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);

    assertThatThrownBy(() -> JsonReader.parse(deep))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("nested deeper");
    assertThat(JsonReader.parse(allowed)).isInstanceOf(List.class);
  }

  @Test
  void anErrorSaysWhere() {
    assertThatThrownBy(() -> JsonReader.parse("{\"a\": [1, 2,, 3]}"))
        .hasMessage("unexpected character ',' at offset 12");
  }

  @Test
  void aTopLevelValueThatIsNoObjectIsRefusedWhereAnObjectIsExpected() {
    assertThatThrownBy(() -> JsonReader.parseObject("[1]")).isInstanceOf(JsonException.class);
  }

  @Test
  void valuesJsonCannotHoldAreNotWritten() {
    assertThatThrownBy(() -> JsonWriter.write(Double.NaN)).isInstanceOf(JsonException.class);
    assertThatThrownBy(() -> JsonWriter.write(Map.of(1, "x"))).isInstanceOf(JsonException.class);
    assertThatThrownBy(() -> JsonWriter.write(new Object())).isInstanceOf(JsonException.class);
  }

  @Test
  void aLongDocumentReadsWithoutRecursionTrouble() {
    List<Object> many = new ArrayList<>();
    for (long i = 0; i < 100_000; i++) {
      many.add(Map.of("jobId", i, "path", "dir/file-" + i + ".txt"));
    }

    assertThat(JsonReader.parse(JsonWriter.write(many))).isEqualTo(many);
  }
}
