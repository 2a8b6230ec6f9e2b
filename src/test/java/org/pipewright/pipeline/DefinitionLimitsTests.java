package org.pipewright.pipeline;

import static java.util.Collections.nCopies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.pipewright.pipeline.Definitions.PARSER;
import static org.pipewright.pipeline.Definitions.assertError;
import static org.pipewright.pipeline.Definitions.assertRefused;
import static org.pipewright.pipeline.Definitions.refusal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pipewright.FieldError;

/** Bodies that are malformed, or built to exhaust the parser, are refused quickly. */
class DefinitionLimitsTests {

  @Test
  void refusesAnEmptyBody() {
    for (String body : List.of("", "   \n", "# only a comment\n")) {
      assertThat(refusal(PARSER, body, SourceFormat.YAML).fieldErrors())
          .containsExactly(
              new FieldError("", "the definition is empty; it needs at least a name and tasks"));
    }
    assertThat(refusal(PARSER, "", SourceFormat.JSON).fieldErrors())
        .extracting(FieldError::message)
        .containsExactly("the definition is empty; it needs at least a name and tasks");
  }

  @Test
  void refusesADefinitionThatIsNotAMapping() {
    assertRefused(
        "[a, b]", "", "must be a mapping (a pipeline definition with name and tasks), not a list");
  }

  @Test
  void refusesMalformedYamlWithItsLine() {
    InvalidDefinitionException e =
        refusal(
            """
            name: p
            tasks:
              - name: a
                merge: {input: x, output: [y
            """);

    assertThat(e).isInstanceOf(MalformedDefinitionException.class);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.type()).isEqualTo("malformed-definition");
    assertThat(e.fieldErrors())
        .singleElement()
        .satisfies(error -> {
          assertThat(error.path()).startsWith("tasks[0].merge.output");
          assertThat(error.message())
              .startsWith("line 4, column 33: ")
              .contains("expected ',' or ']'");
        });
  }

  @Test
  void refusesMalformedJsonWithItsLine() {
    InvalidDefinitionException e =
        refusal(PARSER, "{\"name\": \"p\",\n \"tasks\": [}", SourceFormat.JSON);

    assertThat(e).isInstanceOf(MalformedDefinitionException.class);
    assertThat(e.fieldErrors())
        .singleElement()
        .satisfies(error -> {
          assertThat(error.path()).isEqualTo("tasks");
          assertThat(error.message()).startsWith("line 2, column 12: ");
        });
  }

  @Test
  void malformedMessagesNameNoJavaClasses() {
    byte[] badUtf8 = {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xc3, (byte) 0x28};
    InvalidDefinitionException utf8 =
        catchThrowableOfType(
            InvalidDefinitionException.class, () -> PARSER.parse(badUtf8, SourceFormat.YAML));
    InvalidDefinitionException infinity = refusal("name: .inf\n");

    assertThat(utf8).isInstanceOf(MalformedDefinitionException.class);
    assertThat(utf8.fieldErrors().getFirst().message())
        .startsWith("line 1, column 1: Invalid UTF-8")
        .doesNotContain("java.");
    assertThat(infinity.fieldErrors().getFirst().message())
        .isEqualTo(
            "line 1, column 11: a number that cannot be read (such as .inf or .nan); quote it if"
                + " it is text");
  }

  @Test
  void refusesASecondYamlDocument() {
    assertThat(refusal("name: p\n---\nname: q\n"))
        .isInstanceOf(MalformedDefinitionException.class)
        .hasMessageContaining("a definition is one YAML document, but another follows it");
  }

  @Test
  void refusesDuplicateKeysWithTheirPath() {
    List<FieldError> yaml =
        Definitions.errors(
            """
            name: p
            tasks:
              - name: a
                originate: {output: a}
                touch: true
                name: b
            name: q
            """);
    List<FieldError> json =
        refusal(
                PARSER,
                "{\"name\": \"p\", \"tasks\": [{\"name\": \"a\", \"name\": \"b\"}]}",
                SourceFormat.JSON)
            .fieldErrors();

    assertError(yaml, "tasks[0].name", "duplicate key 'name'");
    assertError(yaml, "name", "duplicate key 'name'");
    assertError(json, "tasks[0].name", "duplicate key 'name'");
  }

  @Test
  void refusesNestingDeeperThanTheLimit() {
    String deepYaml = "name: p\ntasks: " + "[".repeat(40) + "]".repeat(40) + "\n";
    String deepJson = "{\"name\": \"p\", \"tasks\": " + "[".repeat(40) + "]".repeat(40) + "}";

    for (InvalidDefinitionException e :
        List.of(refusal(deepYaml), refusal(PARSER, deepJson, SourceFormat.JSON))) {
      assertThat(e).isNotInstanceOf(MalformedDefinitionException.class);
      assertThat(e.fieldErrors())
          .singleElement()
          .satisfies(error -> {
            assertThat(error.path()).startsWith("tasks[0][0][0]");
            assertThat(error.message()).isEqualTo("nested deeper than 32 levels");
          });
    }
  }

  @Test
  void refusesABillionLaughsQuicklyWithoutExpandingIt() {
    StringBuilder bomb =
        new StringBuilder("name: lol\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int level = 1; level <= 9; level++) {
      bomb.append(
          "l%d: &l%d [%s]\n"
              .formatted(level, level, String.join(", ", nCopies(9, "*l" + (level - 1)))));
    }
    bomb.append("tasks: *l9\n");

    InvalidDefinitionException e =
        assertTimeoutPreemptively(Duration.ofMillis(500), () -> refusal(bomb.toString()));

    // l5[0] would make the tree 141,162 values: the budget stops it before the alias count does
    assertThat(e.fieldErrors())
        .last()
        .isEqualTo(
            new FieldError("l5[0]", "more than 100000 values once YAML aliases are expanded"));
  }

  @Test
  void refusesMoreAliasesThanTheLimitQuickly() {
    String body =
        "name: p\nshared: &x [a]\ntasks: [%s]\n".formatted(String.join(", ", nCopies(60, "*x")));

    InvalidDefinitionException e =
        assertTimeoutPreemptively(Duration.ofMillis(500), () -> refusal(body));

    assertThat(e.fieldErrors())
        .last()
        .isEqualTo(new FieldError("tasks[50]", "more than 50 YAML aliases"));
  }

  @Test
  void refusesFewAliasesThatExpandToTooManyValues() {
    StringBuilder bomb = new StringBuilder("name: lol\nl0: &l0 [lol, lol]\n");
    for (int level = 1; level <= 24; level++) {
      bomb.append("l%d: &l%d [*l%d, *l%d]\n".formatted(level, level, level - 1, level - 1));
    }

    InvalidDefinitionException e =
        assertTimeoutPreemptively(Duration.ofMillis(500), () -> refusal(bomb.toString()));

    assertThat(e.fieldErrors())
        .last()
        .extracting(FieldError::message)
        .isEqualTo("more than 100000 values once YAML aliases are expanded");
  }

  @Test
  void refusesAnAliasWithoutAnAnchorBeforeIt() {
    assertRefused(
        """
        name: &n p
        workdir: *n
        tasks: [{name: a, originate: {output: a}, touch: true}]
        """,
        "workdir",
        "alias *n names no complete mapping or list before it");
  }

  @Test
  void aLimitPassedIsRefusedAsTooLargeWith413AndABrokenRuleAs422() {
    DefinitionParser strict =
        new DefinitionParser(new DefinitionLimits(10_000, 2, 8, 1, 1000, 50, 2));
    List<String> pastLimits =
        List.of(
            "name: p\ntasks: " + "[".repeat(10) + "]".repeat(10) + "\n",
            "name: p\nx: &x [a]\ntasks: [*x, *x]\n",
            Definitions.oneTask(
                "name: a\noriginate: {output: " + "x".repeat(80) + "}\ntouch: true"),
            Definitions.oneTask("name: a\nparallel: [[a], [b], [c]]\ntouch: true"),
            Definitions.oneTask("name: a\noriginate: {output: [a, b, c]}\ntouch: true"),
            "name: p\ntasks: [{name: a, touch: true}, {name: b, touch: true}, {name: c, touch: true}]\n");
    List<String> broken =
        List.of(
            Definitions.oneTask("name: a\nparallel: []\ntouch: true"),
            Definitions.oneTask("name: a\noriginate: {output: []}\ntouch: true"),
            "name: p\ntasks: []\n");

    for (String body : pastLimits) {
      InvalidDefinitionException e = refusal(strict, body, SourceFormat.YAML);
      assertThat(e).as(body).isInstanceOf(DefinitionTooLargeException.class);
      assertThat(e.status()).isEqualTo(413);
      assertThat(e.type()).isEqualTo("definition-too-large");
    }
    for (String body : broken) {
      InvalidDefinitionException e = refusal(strict, body, SourceFormat.YAML);
      assertThat(e).as(body).isNotInstanceOf(DefinitionTooLargeException.class);
      assertThat(e.status()).isEqualTo(422);
    }
  }

  @Test
  void refusesMoreTasksThanTheLimit() {
    String task = "  - {name: t%d, originate: {output: o%d}, touch: true}\n";
    StringBuilder many = new StringBuilder("name: many\ntasks:\n");
    for (int i = 0; i < 1001; i++) {
      many.append(task.formatted(i, i));
    }

    assertRefused(many.toString(), "tasks", "1001 tasks; the limit is 1000");
    DefinitionParser small = new DefinitionParser(DefinitionLimits.DEFAULTS.withMaxTasks(2));
    assertThat(
            refusal(small, many.substring(0, many.indexOf("t3,") - 10), SourceFormat.YAML)
                .fieldErrors())
        .containsExactly(new FieldError("tasks", "3 tasks; the limit is 2"));
  }

  @Test
  void refusesABodyOverTheByteLimit() {
    DefinitionParser tiny = new DefinitionParser(new DefinitionLimits(64, 10, 8, 5, 1000, 100, 10));
    String body =
        Definitions.oneTask("name: a\noriginate: {output: " + "x".repeat(80) + "}\ntouch: true");

    assertThat(refusal(tiny, body, SourceFormat.YAML).fieldErrors())
        .extracting(FieldError::message)
        .containsExactly(
            "the definition is "
                + body.getBytes(StandardCharsets.UTF_8).length
                + " bytes; the limit is 64");
  }

  @Test
  void refusesAStringOverTheLengthLimit() {
    DefinitionParser strict =
        new DefinitionParser(new DefinitionLimits(10_000, 10, 8, 5, 1000, 50, 10));
    String body =
        Definitions.oneTask("name: a\noriginate: {output: " + "x".repeat(80) + "}\ntouch: true");

    assertThat(refusal(strict, body, SourceFormat.YAML).fieldErrors())
        .containsExactly(
            new FieldError("tasks[0].originate.output", "a string of 80 chars; the limit is 50"));
  }

  @Test
  void refusesMoreExplicitJobsThanTheLimit() {
    DefinitionParser strict =
        new DefinitionParser(new DefinitionLimits(10_000, 10, 8, 5, 1000, 50, 2));

    assertThat(
            refusal(
                    strict,
                    Definitions.oneTask("name: a\nparallel: [[a], [b], [c]]\ntouch: true"),
                    SourceFormat.YAML)
                .fieldErrors())
        .extracting(FieldError::path, FieldError::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "tasks[0].parallel",
                "must be a list of 1 to 2 parameter lists, such as [[job1, a, b], [job2, c, d]]"));
  }
}
