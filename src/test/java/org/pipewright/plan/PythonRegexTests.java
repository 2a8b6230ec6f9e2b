package org.pipewright.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Python {@code re} syntax on Java's engine. Each expectation was checked with /usr/bin/python3
 * (3.11, the interpreter Ruffus 2.8.4 runs on here) through Ruffus's compile_regex and re.search.
 */
class PythonRegexTests {

  private static boolean finds(String pattern, String text) {
    return PythonRegex.compile(pattern).pattern.matcher(text).find();
  }

  private static String group(String pattern, String text, String name) {
    PythonRegex r = PythonRegex.compile(pattern);
    var m = r.pattern.matcher(text);
    assertThat(m.find()).isTrue();
    return m.group(r.groupNames.get(name));
  }

  @Test
  void namedGroupsKeepPythonNamesAndNumbers() {
    PythonRegex r = PythonRegex.compile("(x)(?P<sample_id>\\d+)");
    assertThat(r.groupCount).isEqualTo(2);
    assertThat(r.groupNames).containsEntry("sample_id", 2);
    assertThat(group("(?P<s_1>a+)", "baab", "s_1")).isEqualTo("aa");
  }

  @Test
  void javaOnlySyntaxIsRejectedAsPythonDoes() {
    // Python: "unknown extension ?<n", "bad escape \p"
    assertThatThrownBy(() -> PythonRegex.compile("(?<n>a)")).hasMessageContaining("?<");
    assertThatThrownBy(() -> PythonRegex.compile("\\p{L}")).hasMessageContaining("bad escape \\p");
    assertThatThrownBy(() -> PythonRegex.compile("(?P<1a>x)"))
        .hasMessageContaining("bad character");
    assertThatThrownBy(() -> PythonRegex.compile("(?P<n>x)(?P<n>x)"))
        .hasMessageContaining("redefinition");
  }

  @Test
  void bracesThatAreNotQuantifiersAreLiterals() {
    assertThat(finds("a{", "a{")).isTrue();
    assertThat(finds("a{1, 2}", "a{1, 2}")).isTrue();
    assertThat(finds("^x{,2}y$", "xxy")).isTrue(); // {,n} is {0,n} in Python
    assertThat(finds("^x{2}$", "xx")).isTrue();
  }

  @Test
  void bracketsAndAmpersandsInClassesAreLiterals() {
    // Java reads [[] as a nested class and && as intersection; Python reads them literally
    assertThat(finds("[[]", "[")).isTrue();
    assertThat(finds("^[a&&b]$", "&")).isTrue();
    assertThat(finds("[]a]", "]")).isTrue();
    assertThat(finds("^[^]a]$", "b")).isTrue();
    assertThat(finds("[\\b]", "\b")).isTrue();
  }

  @Test
  void anchorsAndLineEndsBehaveAsInPython() {
    // \Z is the very end in Python (Java's \z); $ also matches before a final "\n"; "." skips only
    // "\n"
    assertThat(finds("a\\Z", "a\n")).isFalse();
    assertThat(finds("a$", "a\n")).isTrue();
    assertThat(finds("a.b", "a\rb")).isTrue();
    assertThat(finds("a.b", "a\nb")).isFalse();
  }

  @Test
  void classesAreUnicodeAwareAsInPython3() {
    assertThat(finds("^\\w+$", "é")).isTrue();
    assertThat(finds("^\\d$", "٣")).isTrue();
    assertThat(finds("(?i)é", "É")).isTrue();
    assertThat(finds("(?a)^\\w$", "é")).isFalse();
  }

  @Test
  void pythonEscapesAreTranslated() {
    assertThat(finds("^\\v$", "\u000b")).isTrue();
    assertThat(finds("\\v", "\n")).isFalse(); // Java's \v would match "\n"
    assertThat(finds("^\\U00000041$", "A")).isTrue();
    assertThat(finds("^\\N{LATIN SMALL LETTER A}$", "a")).isTrue();
    assertThat(finds("^(a)\\1$", "aa")).isTrue();
    // Python: \10 with one group is "invalid group reference 10", not octal
    assertThatThrownBy(() -> PythonRegex.compile("(a)\\10"))
        .hasMessageContaining("invalid group reference 10");
    assertThat(finds("^\\101$", "A")).isTrue(); // three octal digits are a character
  }

  @Test
  void commentsAndVerboseModeAreUnderstood() {
    assertThat(finds("^(?#note)a$", "a")).isTrue();
    PythonRegex r = PythonRegex.compile("(?x) (?P<stem> [^/]+ )  # the name\n \\.txt $");
    var m = r.pattern.matcher("dir/a.txt");
    assertThat(m.find()).isTrue();
    assertThat(m.group(r.groupNames.get("stem"))).isEqualTo("a");
  }

  @Test
  void possessiveAndAtomicGroupsWork() {
    // supported by Python 3.11
    assertThat(finds("^a++$", "aa")).isTrue();
    assertThat(finds("(?>a)", "a")).isTrue();
  }

  @Test
  void conditionalGroupsAreReportedAsUnsupported() {
    assertThatThrownBy(() -> PythonRegex.compile("(a)(?(1)b|c)"))
        .isInstanceOf(InvalidTemplateException.class)
        .hasMessageContaining("conditional");
  }
}
