package org.pipewright.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.pipewright.pipeline.FileFilter;

/**
 * Pins Ruffus 2.8.4's suffix(): t_suffix_file_names_transform (file_name_parameters.py) and
 * t_regex_replace (ruffus_utility.py). Expected values were produced by running those classes with
 * /usr/bin/python3 on the same names and templates.
 */
class SuffixFilterTests {

  private static NameFilter suffix(String suffix) {
    return suffix(suffix, null);
  }

  private static NameFilter suffix(String suffix, @Nullable String outputDir) {
    return NameFilter.compile(new FileFilter.Suffix(suffix, outputDir));
  }

  private static NameMatch match(NameFilter filter, String... item) {
    return filter.match(List.of(item)).orElseThrow();
  }

  @Test
  void outputTextReplacesTheSuffix() {
    assertThat(match(suffix(".txt"), "dir/a.txt").substitute(".count")).isEqualTo("dir/a.count");
  }

  @Test
  void suffixReplacesOnlyTheTrailingSuffix() {
    assertThat(match(suffix(".txt"), "a.txt.bak.txt").substitute(".c")).isEqualTo("a.txt.bak.c");
    assertThat(suffix(".txt").match(List.of("a.txt.bak"))).isEmpty();
  }

  @Test
  void itemsWhoseFirstFileLacksTheSuffixAreSkipped() {
    // suffix matches the first file name only: ["a.csv", "b.txt"] does not match suffix(".txt")
    assertThat(suffix(".txt").match(List.of("a.csv", "b.txt"))).isEmpty();
    assertThat(match(suffix(".txt"), "b.txt", "a.csv").substitute(".o")).isEqualTo("b.o");
    assertThat(suffix(".txt").match(List.of())).isEmpty();
  }

  @Test
  void backslashOneInAnOutputIsTheNameWithoutTheSuffix() {
    // t_regex_replace prepends \g<1> only when the template has neither \1 nor \g<1>
    NameMatch m = match(suffix(".txt"), "dir/a.txt");
    assertThat(m.substitute("\\1.count")).isEqualTo("dir/a.count");
    assertThat(m.substitute("\\g<1>.count")).isEqualTo("dir/a.count");
    assertThat(m.substitute("x_\\1.count")).isEqualTo("x_dir/a.count");
  }

  @Test
  void groupZeroIsTheWholeNameAndIsStillPrefixedByTheStem() {
    // verified: suffix(".txt") on "dir/a.txt" with r"\g<0>.count" gives "dir/adir/a.txt.count"
    assertThat(match(suffix(".txt"), "dir/a.txt").substitute("\\g<0>.count"))
        .isEqualTo("dir/adir/a.txt.count");
  }

  @Test
  void templatesAreExpandedLikePythonReplacementStrings() {
    // re.subn processes escapes: r".o\n" ends in a newline, r"\0" is a NUL, r"\\1" is "\1"
    // literally
    // and, containing the text \1, is not prefixed with the stem
    NameMatch m = match(suffix(".txt"), "a.txt");
    assertThat(m.substitute(".o\\n")).isEqualTo("a.o\n");
    assertThat(m.substitute("\\0.c")).isEqualTo("a\0.c");
    assertThat(m.substitute("\\\\1.o")).isEqualTo("\\1.o");
  }

  @Test
  void extrasReplaceTheWholeName() {
    // t_suffix_file_names_transform.substitute (extras, add_inputs) does not prepend \g<1>
    NameMatch m = match(suffix(".txt"), "dir/a.txt");
    assertThat(m.substituteExtra(".log")).isEqualTo(".log");
    assertThat(m.substituteExtra("\\1.log")).isEqualTo("dir/a.log");
  }

  @Test
  void theSuffixIsLiteralText() {
    // compile_suffix uses re.escape: "." and "*" in the suffix are not regex syntax
    assertThat(match(suffix(".t*t"), "a.t*t").substitute(".o")).isEqualTo("a.o");
    assertThat(suffix(".t*t").match(List.of("a.tt"))).isEmpty();
  }

  @Test
  void aNameThatIsOnlyTheSuffixHasAnEmptyStem() {
    assertThat(match(suffix("a.txt"), "a.txt").substitute(".count")).isEqualTo(".count");
  }

  @Test
  void outputDirMovesTheOutputIntoThatFolder() {
    // os.path.join(output_dir, os.path.split(name)[1]): the input's own folder is dropped
    assertThat(match(suffix(".txt", "out"), "dir/a.txt").substitute(".count"))
        .isEqualTo("out/a.count");
    assertThat(match(suffix(".txt", "out/"), "dir/a.txt").substitute(".count"))
        .isEqualTo("out/a.count");
    assertThat(match(suffix(".txt", ""), "dir/a.txt").substitute(".count")).isEqualTo("a.count");
  }

  @Test
  void outputDirAlsoAppliesToExtras() {
    assertThat(match(suffix(".txt", "out"), "dir/a.txt").substituteExtra("\\1.log"))
        .isEqualTo("out/a.log");
  }

  @Test
  void aNewlineInTheNameIsKeptBeforeTheMatch() {
    // "(.*)" cannot cross "\n": verified "x\na.txt" with extra r"[\1]" gives "x\n[a]"
    NameMatch m = match(suffix(".txt"), "x\na.txt");
    assertThat(m.substitute("\\1.o")).isEqualTo("x\na.o");
    assertThat(m.substituteExtra("[\\1]")).isEqualTo("x\n[a]");
  }

  @Test
  void referencesBeyondTheOneGroupAreRejected() {
    // Ruffus: re.error "invalid group reference 2", raised, not skipped
    assertThatThrownBy(() -> suffix(".txt").checkTemplate("\\2.count"))
        .isInstanceOf(InvalidTemplateException.class)
        .hasMessageContaining("invalid group reference 2");
    assertThatThrownBy(() -> match(suffix(".txt"), "a.txt").substitute("\\g<stem>"))
        .isInstanceOf(InvalidTemplateException.class)
        .hasMessageContaining("unknown group name 'stem'");
  }

  @Test
  void checkTemplateAcceptsWhatSuffixCanSupply() {
    NameFilter f = suffix(".txt");
    f.checkTemplate(".count");
    f.checkTemplate("\\1.count");
    f.checkTemplate("\\g<0>");
    assertThatThrownBy(() -> f.checkTemplate("x\\q")).hasMessageContaining("bad escape \\q");
  }

  @Test
  void anEmptySuffixIsRejected() {
    // deliberate deviation: Ruffus accepts suffix("") and substitutes twice ("a.txt.o.o")
    assertThatThrownBy(() -> suffix("")).isInstanceOf(InvalidTemplateException.class);
  }
}
