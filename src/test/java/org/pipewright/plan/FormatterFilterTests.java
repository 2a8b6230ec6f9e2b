package org.pipewright.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.pipewright.pipeline.FileFilter;

/**
 * Pins Ruffus 2.8.4's formatter(): t_formatter_file_names_transform (file_name_parameters.py),
 * t_formatter_replace, path_decomposition and path_decomposition_regex_match (ruffus_utility.py).
 * Expected values come from running t_formatter_file_names_transform with /usr/bin/python3, and
 * from a small pipeline printed with pipeline_printout.
 *
 * <p>One deliberate difference runs through these tests: Ruffus decomposes and searches {@code
 * os.path.abspath(name)}, so {@code {path[0]}} of {@code "a.txt"} is the current directory as an
 * absolute path. Pipewright's names are relative to the workdir, which takes the current
 * directory's place and is written {@code "."} (see {@link PathParts}).
 */
class FormatterFilterTests {

  private static NameFilter formatter(@Nullable String... patterns) {
    return NameFilter.compile(new FileFilter.Formatter(Arrays.asList(patterns)));
  }

  private static String sub(NameFilter filter, String template, String... item) {
    return filter.match(List.of(item)).orElseThrow().substitute(template);
  }

  private static String parts(String name) {
    return sub(formatter(), "{path[0]}|{basename[0]}|{ext[0]}", name);
  }

  @Test
  void pathBasenameAndExtSplitTheName() {
    assertThat(parts("dir/a.txt")).isEqualTo("dir|a|.txt");
    assertThat(parts("d1/d2/a.tar.gz")).isEqualTo("d1/d2|a.tar|.gz"); // splitext: last dot only
  }

  @Test
  void aFileInTheWorkdirHasPathDot() {
    // Ruffus gives the absolute current directory (verified: "/tmp/rprobe|a|.txt")
    assertThat(parts("a.txt")).isEqualTo(".|a|.txt");
  }

  @Test
  void extFollowsPythonSplitext() {
    // verified: ".bashrc" and "noext" have ext "", "a." has ext ".", "..a.b" is ("..a", ".b")
    assertThat(parts("dir/.bashrc")).isEqualTo("dir|.bashrc|");
    assertThat(parts("dir/noext")).isEqualTo("dir|noext|");
    assertThat(parts("dir/a.")).isEqualTo("dir|a|.");
    assertThat(parts("dir/..a.b")).isEqualTo("dir|..a|.b");
    assertThat(parts(".hidden/x.y")).isEqualTo(".hidden|x|.y");
  }

  @Test
  void namesAreNormalizedFirst() {
    // abspath normalizes: "./a.txt", "a//b/./c/../d.txt" and a trailing "/" (verified)
    assertThat(parts("./a.txt")).isEqualTo(".|a|.txt");
    assertThat(parts("a//b/./c/../d.txt")).isEqualTo("a/b|d|.txt");
    assertThat(parts("dir/")).isEqualTo(".|dir|");
  }

  @Test
  void subpathAndSubdirRunFromTheFolderUpToTheWorkdir() {
    // path_decomposition: subpath[0] is the folder itself, each next entry one level up; subdir[k]
    // is the last name of subpath[k]. Ruffus continues past the workdir to "/" (verified:
    // "/tmp/rprobe/d1/d2|/tmp/rprobe/d1|/tmp/rprobe|d2|d1|rprobe"); here the list ends at ".",
    // as path_decomposition("./d1/d2/a.txt") does.
    String t =
        "{subpath[0][0]}|{subpath[0][1]}|{subpath[0][2]}|{subdir[0][0]}|{subdir[0][1]}|{subdir[0][2]}";
    assertThat(sub(formatter(), t, "d1/d2/a.txt")).isEqualTo("d1/d2|d1|.|d2|d1|.");
    assertThat(sub(formatter(), "{subpath[0][0]}|{subdir[0][0]}", "a.txt")).isEqualTo(".|.");
  }

  @Test
  void aSubpathPastTheWorkdirIsAnError() {
    NameMatch m = formatter().match(List.of("d1/a.txt")).orElseThrow();
    assertThatThrownBy(() -> m.substitute("{subdir[0][2]}"))
        .isInstanceOf(InvalidTemplateException.class)
        .hasMessageContaining("has only 2 subdir entries");
  }

  @Test
  void namedGroupsAreKeyedByFile() {
    NameFilter f = formatter("(?P<sample>\\w+)\\.txt$");
    assertThat(sub(f, "{sample[0]}.bam", "d/abc.txt")).isEqualTo("abc.bam");
  }

  @Test
  void numberedGroupsAreKeysToo() {
    // swap_nesting_order puts group numbers in the positional list: {0[0]} is the whole match
    NameFilter f = formatter("(?P<s>\\w+)\\.txt$");
    assertThat(sub(f, "{s[0]}|{0[0]}|{1[0]}", "d/abc.txt")).isEqualTo("abc|abc.txt|abc");
  }

  @Test
  void aNamedGroupOverridesAPathKey() {
    // path_decomposition_regex_match: pp.update(rr), so a group called "basename" wins
    NameFilter f = formatter("(?P<basename>\\w)\\w+\\.txt$");
    assertThat(sub(f, "{basename[0]}", "d/abc.txt")).isEqualTo("a");
  }

  @Test
  void anItemIsSkippedWhenAnyPatternDoesNotMatch() {
    // get_all_paths_components: one failed match empties the whole item
    assertThat(formatter("\\.txt$").match(List.of("d/abc.csv"))).isEmpty();
    assertThat(formatter(null, "\\.txt$").match(List.of("d/abc.txt", "e/f.csv"))).isEmpty();
    assertThat(formatter().match(List.of())).isEmpty();
  }

  @Test
  void patternsPairWithFilesByPosition() {
    // fewer patterns than files: the rest match anything (padded with None); more patterns than
    // files: the extra ones are ignored (zip), verified with formatter(r"...", "zzz") on one file
    assertThat(sub(formatter("(?P<s>\\w+)\\.txt$"), "{s[0]}{basename[1]}", "d/abc.txt", "q.csv"))
        .isEqualTo("abcq");
    assertThat(sub(formatter("(?P<s>\\w+)\\.txt$", "zzz"), "{s[0]}", "d/abc.txt")).isEqualTo("abc");
    assertThat(
            sub(
                formatter("(?P<s>\\w+)\\.txt$", null),
                "{s[0]}|{basename[1]}",
                "d/abc.txt",
                "e/f.csv"))
        .isEqualTo("abc|f");
  }

  @Test
  void patternsAreSearchedInTheRelativeName() {
    // Ruffus searches the absolute name, so there "^d/" never matches and "^/" always does
    assertThat(formatter("^d/").match(List.of("d/abc.txt"))).isPresent();
    assertThat(formatter("^/").match(List.of("d/abc.txt"))).isEmpty();
  }

  @Test
  void doubledBracesAreLiteral() {
    assertThat(sub(formatter(), "{{x}}{basename[0]}", "d/a.txt")).isEqualTo("{x}a");
    assertThat(sub(formatter(), "}}{{", "d/a.txt")).isEqualTo("}{");
    // backslashes mean nothing to str.format (verified: "\\1{basename[0]}" gives "\\1abc")
    assertThat(sub(formatter(), "\\1{basename[0]}", "d/abc.txt")).isEqualTo("\\1abc");
  }

  @Test
  void anUnmatchedOptionalGroupIsEmpty() {
    // deliberate deviation: Ruffus formats Python's None, "[None][None][b]" (verified), or skips
    // the item when no group matched at all (lastindex is None)
    assertThat(sub(formatter("(?P<x>a)?(?P<y>b)"), "[{x[0]}][{1[0]}][{2[0]}]", "b"))
        .isEqualTo("[][][b]");
  }

  @Test
  void checkTemplateAcceptsKnownKeys() {
    NameFilter f = formatter("(?P<s>\\w+)\\.(txt)$", null);
    f.checkTemplate(
        "{path[0]}/{basename[0]}{ext[0]} {subpath[0][1]} {subdir[1][0]} {s[0]} {2[0]} {basename[7]}");
  }

  @Test
  void checkTemplateRejectsUnknownKeysAndGroups() {
    NameFilter f = formatter("(?P<s>\\w+)\\.txt$");
    assertThatThrownBy(() -> f.checkTemplate("{nope[0]}"))
        .isInstanceOf(InvalidTemplateException.class)
        .hasMessageContaining("unknown key 'nope'");
    assertThatThrownBy(() -> f.checkTemplate("{s[1]}"))
        .hasMessageContaining("{s[1]}")
        .hasMessageContaining("file 1 has no formatter pattern");
    assertThatThrownBy(() -> f.checkTemplate("{2[0]}")).hasMessageContaining("has no group 2");
    assertThatThrownBy(() -> formatter().checkTemplate("{0[0]}"))
        .hasMessageContaining("no numbered groups");
  }

  @Test
  void checkTemplateRejectsUnbalancedBraces() {
    // str.format: ValueError "Single '}' encountered" / "Single '{' encountered"
    assertThatThrownBy(() -> formatter().checkTemplate("a}")).hasMessageContaining("single '}'");
    assertThatThrownBy(() -> formatter().checkTemplate("{basename[0]"))
        .hasMessageContaining("single '{'");
    assertThatThrownBy(() -> formatter().checkTemplate("{basename[0]}}"))
        .hasMessageContaining("single '}'");
  }

  @Test
  void fieldsMustBeIndexedExactly() {
    // deliberate: Python would format {basename} as the dict "{0: 'a'}", {subpath[0]} as a list,
    // and {basename[0][0]} as the first character; none of that is a useful file name
    NameFilter f = formatter();
    assertThatThrownBy(() -> f.checkTemplate("{basename}")).hasMessageContaining("{basename[0]}");
    assertThatThrownBy(() -> f.checkTemplate("{subpath[0]}"))
        .hasMessageContaining("{subpath[0][0]}");
    assertThatThrownBy(() -> f.checkTemplate("{basename[0][0]}"))
        .hasMessageContaining("needs 1 index");
    assertThatThrownBy(() -> f.checkTemplate("{basename[-1]}"))
        .hasMessageContaining("not a number");
    assertThatThrownBy(() -> f.checkTemplate("{basename[0]!r}"))
        .hasMessageContaining("not supported");
    assertThatThrownBy(() -> f.checkTemplate("{}")).hasMessageContaining("names nothing");
  }

  @Test
  void aFileIndexPastTheItemFailsAtMatchTime() {
    // Ruffus skips the job (IndexError -> error_input_file_does_not_match); the brief asks for an
    // error
    NameMatch m = formatter().match(List.of("a.txt")).orElseThrow();
    assertThatThrownBy(() -> m.substitute("{basename[1]}"))
        .isInstanceOf(InvalidTemplateException.class)
        .hasMessageContaining("only 1 file");
  }

  @Test
  void productKeysTakeThePartIndexFirst() {
    // t_nested_formatter_replace / swap_doubly_nested_order: {key[part][file]}; verified with
    // @product(..., formatter(r"(?P<n>\w+)\.\w+$"), [...], formatter(),
    // "{n[0][0]}_{basename[1][0]}_{1[0][0]}.p")
    // which printed the job "d/xyz.csv, d/abc.txt -> xyz_abc_xyz.p"
    NameFilter first = formatter("(?P<n>\\w+)\\.\\w+$");
    NameFilter second = formatter();
    NameMatch tuple =
        NameMatch.tuple(
            List.of(
                first.match(List.of("d/xyz.csv")).orElseThrow(),
                second.match(List.of("d/abc.txt", "e/f.gz")).orElseThrow()));
    assertThat(tuple.substitute("{n[0][0]}_{basename[1][0]}_{1[0][0]}.p"))
        .isEqualTo("xyz_abc_xyz.p");
    assertThat(tuple.substitute("{subdir[1][1][0]}{ext[1][1]}")).isEqualTo("e.gz");
    assertThatThrownBy(() -> tuple.substitute("{basename[2][0]}"))
        .hasMessageContaining("only 2 inputs");
    assertThatThrownBy(() -> tuple.substitute("{basename[0]}"))
        .hasMessageContaining("needs 2 indexes");
  }

  @Test
  void productTemplatesAreCheckedPerPart() {
    List<NameFilter> parts = List.of(formatter("(?P<n>\\w+)"), formatter());
    NameFilters.checkTupleTemplate(parts, "{n[0][0]} {basename[1][0]} {subpath[1][0][1]}");
    assertThatThrownBy(() -> NameFilters.checkTupleTemplate(parts, "{n[1][0]}"))
        .hasMessageContaining("unknown key 'n'");
    assertThatThrownBy(() -> NameFilters.checkTupleTemplate(parts, "{basename[2][0]}"))
        .hasMessageContaining("only 2 inputs");
  }

  @Test
  void tuplesTakeFormatterMatchesOnly() {
    NameMatch suffixMatch =
        NameFilter.compile(new FileFilter.Suffix(".txt", null))
            .match(List.of("a.txt"))
            .orElseThrow();
    assertThatThrownBy(() -> NameMatch.tuple(List.of(suffixMatch)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
