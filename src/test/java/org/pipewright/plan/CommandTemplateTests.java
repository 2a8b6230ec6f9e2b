package org.pipewright.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pipewright.plan.CommandTemplate.Values;

class CommandTemplateTests {

  private static final Values JOB =
      new Values(
          List.of("in/a.txt", "in/b.txt"), List.of("out/a.count"), List.of("x", "7"), "work");

  private static String render(String template, Values values) {
    return CommandTemplate.parse(template).render(values);
  }

  @Test
  void placeholdersTakeTheJobsFiles() {
    assertThat(render("wc -l < {input[0]} > {output}", JOB))
        .isEqualTo("wc -l < in/a.txt > out/a.count");
    assertThat(render("cat {input} | head -{extras[1]}", JOB))
        .isEqualTo("cat in/a.txt in/b.txt | head -7");
    assertThat(render("cd {workdir} && echo {extras}", JOB)).isEqualTo("cd work && echo x 7");
    assertThat(render("echo {input[1]} {output[0]}", JOB)).isEqualTo("echo in/b.txt out/a.count");
  }

  @Test
  void anEmptyListRendersAsNothing() {
    assertThat(
            render("touch {output}{extras}", new Values(List.of(), List.of("a"), List.of(), ".")))
        .isEqualTo("touch a");
  }

  @Test
  void doubledBracesAreLiteral() {
    assertThat(render("awk '{{s += $1}} END {{print s}}' {input[0]}", JOB))
        .isEqualTo("awk '{s += $1} END {print s}' in/a.txt");
  }

  @Test
  void aTemplateWithoutPlaceholdersIsReturnedAsItIs() {
    String template = "make all";
    assertThat(CommandTemplate.parse(template).render(JOB)).isSameAs(template);
  }

  @Test
  void unknownPlaceholdersAreRejectedAtParseTime() {
    assertThatThrownBy(() -> CommandTemplate.parse("echo {inputs}"))
        .isInstanceOf(InvalidTemplateException.class)
        .hasMessageContaining("unknown placeholder {inputs}");
    assertThatThrownBy(() -> CommandTemplate.parse("echo {basename[0]}"))
        .hasMessageContaining("unknown placeholder {basename[0]}");
    assertThatThrownBy(() -> CommandTemplate.parse("echo { input }"))
        .hasMessageContaining("unknown");
  }

  @Test
  void badIndexSyntaxIsRejectedAtParseTime() {
    for (String bad :
        List.of(
            "{input[]}",
            "{input[x]}",
            "{input[-1]}",
            "{input[0]",
            "{input[0][1]}",
            "{workdir[0]}",
            "{output.x}")) {
      assertThatThrownBy(() -> CommandTemplate.parse(bad))
          .as(bad)
          .isInstanceOf(InvalidTemplateException.class);
    }
  }

  @Test
  void unbalancedBracesAreRejectedAtParseTime() {
    assertThatThrownBy(() -> CommandTemplate.parse("awk '{print}'"))
        .hasMessageContaining("unknown placeholder {print}");
    assertThatThrownBy(() -> CommandTemplate.parse("echo }")).hasMessageContaining("single '}'");
    assertThatThrownBy(() -> CommandTemplate.parse("echo {")).hasMessageContaining("single '{'");
    assertThatThrownBy(() -> CommandTemplate.parse("echo {in{put}"))
        .hasMessageContaining("single '{'");
  }

  @Test
  void anIndexPastTheEndFailsAtRender() {
    CommandTemplate t = CommandTemplate.parse("cp {input[2]} {output}");
    assertThatThrownBy(() -> t.render(JOB))
        .isInstanceOf(InvalidTemplateException.class)
        .hasMessageContaining("{input[2]}")
        .hasMessageContaining("has 2 inputs");
  }

  @Test
  void safeValuesStayUnquotedOthersAreSingleQuoted() {
    assertThat(quote("dir/a-b_c.1,2:3+4@5%6")).isEqualTo("dir/a-b_c.1,2:3+4@5%6");
    assertThat(quote("a b")).isEqualTo("'a b'");
    assertThat(quote("it's")).isEqualTo("'it'\\''s'");
    assertThat(quote("")).isEqualTo("''");
    assertThat(quote("X=1"))
        .isEqualTo("'X=1'"); // an unquoted X=1 in command position is an assignment
    assertThat(quote("if")).isEqualTo("'if'");
    assertThat(quote("~")).isEqualTo("'~'");
  }

  private static String quote(String value) {
    StringBuilder out = new StringBuilder();
    CommandTemplate.quote(out, value);
    return out.toString();
  }

  @Test
  void nastyValuesReachTheProgramAsSingleLiteralArguments() throws Exception {
    List<String> nasty =
        List.of(
            "a b",
            "it's",
            "\"double\"",
            "$(touch pwned)",
            "`touch pwned`",
            "x;y",
            "line1\nline2",
            "$HOME",
            "*",
            "~",
            "a\\b",
            "''",
            "-n",
            "X=1",
            "if",
            "{}",
            "!",
            "&&",
            "|",
            ">",
            "tab\there",
            "é ü",
            "'\\''",
            "");
    String command = render("printf '%s\\0' {input}", new Values(nasty, List.of(), List.of(), "."));
    assertThat(sh(command)).containsExactlyElementsOf(nasty);
  }

  @Test
  void aQuotedValueInCommandPositionIsNotAnAssignmentOrKeyword() throws Exception {
    Values values = new Values(List.of("X=1", "if"), List.of(), List.of(), ".");
    // the first word runs as a command named "X=1", which does not exist: exit 127
    assertThat(exitCode(render("{input[0]}", values))).isEqualTo(127);
    assertThat(exitCode(render("{input[1]}", values))).isEqualTo(127);
  }

  private static List<String> sh(String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(out, StandardCharsets.UTF_8)).isZero();
    String text = new String(out, StandardCharsets.UTF_8);
    List<String> args = new ArrayList<>(Arrays.asList(text.split("\0", -1)));
    args.removeLast(); // after the last NUL
    return args;
  }

  private static int exitCode(String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }
}
