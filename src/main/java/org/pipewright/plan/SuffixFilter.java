package org.pipewright.plan;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Ruffus's {@code suffix()}: {@code t_suffix_file_names_transform} in file_name_parameters.py,
 * which compiles {@code "(.*)" + re.escape(suffix) + "$"} and matches the first file name of the
 * item. In an output template the text replaces the suffix ({@code \g<1>} is prepended unless the
 * template already says {@code \1} or {@code \g<1>}); in extras and added inputs the template
 * replaces the whole name. With {@code output_dir} the name is first moved into that folder.
 */
final class SuffixFilter implements NameFilter {

  private final String suffix;
  private final @Nullable String outputDir;
  private final TemplateCache<Parsed> templates = new TemplateCache<>(Parsed::parse);

  SuffixFilter(String suffix, @Nullable String outputDir) {
    if (suffix.isEmpty()) {
      // Ruffus accepts suffix("") and then substitutes twice, "a.txt" + ".o" -> "a.txt.o.o"
      throw new InvalidTemplateException("suffix must not be empty");
    }
    this.suffix = suffix;
    this.outputDir = outputDir;
  }

  @Override
  public Optional<NameMatch> match(List<String> item) {
    if (item.isEmpty()) {
      return Optional.empty();
    }
    String name = item.get(0);
    if (outputDir != null) {
      name = join(outputDir, name.substring(name.lastIndexOf('/') + 1));
    }
    if (!name.endsWith(suffix)) {
      return Optional.empty();
    }
    int stemEnd = name.length() - suffix.length();
    // "(.*)" cannot cross a newline, so re.search starts the match after the last one
    int matchStart = stemEnd == 0 ? 0 : name.lastIndexOf('\n', stemEnd - 1) + 1;
    return Optional.of(new Match(name, matchStart, stemEnd));
  }

  @Override
  public void checkTemplate(String template) {
    templates.get(template);
  }

  /** os.path.join(output_dir, tail). */
  private static String join(String dir, String tail) {
    if (dir.isEmpty() || dir.endsWith("/")) {
      return dir + tail;
    }
    return dir + "/" + tail;
  }

  /** A template and whether it names the stem itself (then nothing is prepended in outputs). */
  private record Parsed(ReplacementTemplate template, boolean namesStem) {
    static Parsed parse(String text) {
      return new Parsed(
          ReplacementTemplate.parse(text, 1, Map.of()),
          // the same substring test as t_regex_replace, so r"\\1" also counts
          text.contains("\\1") || text.contains("\\g<1>"));
    }
  }

  private final class Match implements NameMatch {
    private final String name;
    private final int[] spans;

    Match(String name, int matchStart, int stemEnd) {
      this.name = name;
      this.spans = new int[] {matchStart, name.length(), matchStart, stemEnd};
    }

    @Override
    public String substitute(String template) {
      Parsed p = templates.get(template);
      if (p.namesStem()) {
        return replaceMatch(p.template());
      }
      if (p.template().isConstant()) {
        return name.substring(0, spans[3]).concat(p.template().constant());
      }
      StringBuilder out = new StringBuilder(name.length() + template.length());
      out.append(name, 0, spans[3]);
      p.template().expand(out, name, spans, 0);
      return out.toString();
    }

    @Override
    public String substituteExtra(String template) {
      return replaceMatch(templates.get(template).template());
    }

    private String replaceMatch(ReplacementTemplate t) {
      if (t.isConstant() && spans[0] == 0) {
        return t.constant();
      }
      StringBuilder out = new StringBuilder(name.length() + 16);
      out.append(name, 0, spans[0]);
      t.expand(out, name, spans, 0);
      return out.toString();
    }

    @Override
    public String toString() {
      return "suffix(" + suffix + ") on " + name;
    }
  }
}
