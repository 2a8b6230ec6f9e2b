package org.pipewright.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pipewright.pipeline.FileFilter;

/**
 * Pins Ruffus 2.8.4's regex(): t_regex_file_names_transform (file_name_parameters.py), whose
 * substitution is t_regex_replace (ruffus_utility.py), i.e. {@code compiled_regex.subn(template,
 * first_file_name)}. Expected values were produced by running t_regex_file_names_transform with
 * /usr/bin/python3 (Python 3.11).
 */
class RegexFilterTests {

  private static NameFilter regex(String pattern) {
    return NameFilter.compile(new FileFilter.Regex(pattern));
  }

  private static String sub(String pattern, String name, String template) {
    return regex(pattern).match(List.of(name)).orElseThrow().substitute(template);
  }

  @Test
  void groupsAreSubstitutedByNumber() {
    assertThat(sub("(.*)\\.txt$", "dir/a.txt", "\\1.out")).isEqualTo("dir/a.out");
    assertThat(sub("(.*)\\.txt$", "dir/a.txt", "\\g<1>.out")).isEqualTo("dir/a.out");
  }

  @Test
  void regexSearchesAnywhereInTheName() {
    // subn searches: regex("a") matches "banana"; "^a" does not match "dir/a.txt"
    assertThat(regex("an").match(List.of("banana"))).isPresent();
    assertThat(regex("^a").match(List.of("dir/a.txt"))).isEmpty();
  }

  @Test
  void textOutsideTheMatchIsKept() {
    // subn replaces the matched part only: regex(r"\.txt$") with ".out" keeps "dir/a"
    assertThat(sub("\\.txt$", "dir/a.txt", ".out")).isEqualTo("dir/a.out");
  }

  @Test
  void everyMatchIsReplaced() {
    // subn with count=0: regex("a") and "o" on "banana" gives "bonono"
    assertThat(sub("a", "banana", "o")).isEqualTo("bonono");
  }

  @Test
  void emptyMatchesAreReplacedAsPythonDoes() {
    // Python 3.7+: re.subn("x*", "-", "abxd") gives "-a-b--d-"
    assertThat(sub("x*", "abxd", "-")).isEqualTo("-a-b--d-");
  }

  @Test
  void namedGroupsUsePythonSyntax() {
    assertThat(sub("(?P<stem>[^/]+)\\.txt", "dir/a.txt", "\\g<stem>.out")).isEqualTo("dir/a.out");
    assertThat(sub("(?P<stem>[^/]+)\\.txt", "dir/a.txt", "\\g<1>.out")).isEqualTo("dir/a.out");
    // Python allows "_" in names, Java does not; and (?P=name) is a back reference
    assertThat(sub("(?P<a_b>x)(?P=a_b)", "xx", "\\g<a_b>")).isEqualTo("x");
  }

  @Test
  void theFirstFileOfTheItemIsMatched() {
    assertThat(regex("b").match(List.of("a.txt", "b.txt"))).isEmpty();
    assertThat(regex("b").match(List.of())).isEmpty();
  }

  @Test
  void anUnmatchedGroupExpandsToNothing() {
    // Python >= 3.5: regex("(a)|(b)") on "a" with r"[\2]" gives "[]"
    assertThat(sub("(a)|(b)", "a", "[\\2]")).isEqualTo("[]");
  }

  @Test
  void escapesInTemplatesFollowPythonRe() {
    // verified: r"\." stays "\.", r"\\" is one backslash, r"\t" and r"\n" are control characters,
    // r"\101" is octal "A", r"\0" is NUL, braces are plain text, \g<01> is group 1
    assertThat(sub("(a)", "a", "\\.")).isEqualTo("\\.");
    assertThat(sub("(a)", "a", "\\\\")).isEqualTo("\\");
    assertThat(sub("(a)", "a", "\\t|\\n|\\r|\\f|\\v|\\a|\\b"))
        .isEqualTo("\t|\n|\r|\f|\u000b|\u0007|\b");
    assertThat(sub("(a)", "a", "\\101")).isEqualTo("A");
    assertThat(sub("(a)", "a", "\\0")).isEqualTo("\0");
    assertThat(sub("(a)", "a", "{x}")).isEqualTo("{x}");
    assertThat(sub("(a)", "a", "\\g<01>")).isEqualTo("a");
  }

  @Test
  void templateErrorsAreFatalNotSkips() {
    // t_regex_replace turns re.error and IndexError into fatal_error_input_file_does_not_match
    NameMatch m = regex("(a)(b)").match(List.of("ab")).orElseThrow();
    assertThatThrownBy(() -> m.substitute("\\3"))
        .isInstanceOf(InvalidTemplateException.class)
        .hasMessageContaining("invalid group reference 3");
    assertThatThrownBy(() -> m.substitute("\\q")).hasMessageContaining("bad escape \\q");
    assertThatThrownBy(() -> m.substitute("\\x41")).hasMessageContaining("bad escape \\x");
    assertThatThrownBy(() -> m.substitute("a\\")).hasMessageContaining("end of pattern");
    assertThatThrownBy(() -> m.substitute("\\g<1")).hasMessageContaining("missing >");
    assertThatThrownBy(() -> m.substitute("\\g<-1>")).hasMessageContaining("bad character");
  }

  @Test
  void controlCharactersLeftByAnUnescapedBackslashOneAreRejected() {
    // t_regex_replace raises error_unescaped_regular_expression_forms for "\1" and "\2" in a
    // template
    assertThatThrownBy(() -> regex("(a)").checkTemplate("\u0001.out"))
        .isInstanceOf(InvalidTemplateException.class)
        .hasMessageContaining("control character");
  }

  @Test
  void checkTemplateNamesTheMissingGroup() {
    NameFilter f = regex("(?P<stem>\\w+)\\.(txt)");
    f.checkTemplate("\\1.\\2 \\g<stem> \\g<0>");
    assertThatThrownBy(() -> f.checkTemplate("\\3.out"))
        .isInstanceOf(InvalidTemplateException.class)
        .hasMessageContaining("invalid group reference 3")
        .hasMessageContaining("has 2 groups");
    assertThatThrownBy(() -> f.checkTemplate("\\g<sample>.out"))
        .isInstanceOf(InvalidTemplateException.class)
        .hasMessageContaining("unknown group name 'sample'");
  }

  @Test
  void aPatternThatDoesNotCompileIsNamedInTheError() {
    assertThatThrownBy(() -> regex("(a"))
        .isInstanceOf(InvalidTemplateException.class)
        .hasMessageContaining("'(a'");
  }

  @Test
  void catastrophicBacktrackingIsCutShortWithAClientError() {
    NameFilter filter =
        NameFilter.compile(new org.pipewright.pipeline.FileFilter.Regex("^(a+)+\\1$"));
    long start = System.nanoTime();

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> filter.match(java.util.List.of("a".repeat(30) + "!")))
        .isInstanceOf(InvalidTemplateException.class)
        .hasMessageContaining("takes too long");
    // Not a performance assertion: without the budget this match runs for hours.
    org.assertj.core.api.Assertions.assertThat(System.nanoTime() - start)
        .isLessThan(30_000_000_000L);
  }
}
