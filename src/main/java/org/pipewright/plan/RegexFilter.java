package org.pipewright.plan;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Ruffus's {@code regex()}: {@code t_regex_file_names_transform} in file_name_parameters.py. The
 * pattern is searched ({@code re.subn}, not {@code re.match}) in the first file name of the item; a
 * template replaces every non-overlapping match and keeps the text around them.
 */
final class RegexFilter implements NameFilter {

  private final PythonRegex regex;
  private final TemplateCache<ReplacementTemplate> templates;

  RegexFilter(String pattern) {
    this.regex = PythonRegex.compile(pattern);
    this.templates =
        new TemplateCache<>(t -> ReplacementTemplate.parse(t, regex.groupCount, regex.groupNames));
  }

  @Override
  public Optional<NameMatch> match(List<String> item) {
    if (item.isEmpty()) {
      return Optional.empty(); // yield_io_params_per_job skips items without file names
    }
    String name = item.get(0);
    Matcher m = regex.pattern.matcher(new BudgetedText(name, regex.pattern.pattern()));
    if (!PythonRegex.find(m)) {
      return Optional.empty();
    }
    int width = 2 * (regex.groupCount + 1);
    int[] spans = new int[width];
    int count = 0;
    do {
      if ((count + 1) * width > spans.length) {
        spans = Arrays.copyOf(spans, spans.length * 2);
      }
      int base = count * width;
      for (int g = 0; g <= regex.groupCount; g++) {
        spans[base + 2 * g] = m.start(g);
        spans[base + 2 * g + 1] = m.end(g);
      }
      count++;
    } while (PythonRegex.find(m));
    return Optional.of(new Match(name, spans, count, width));
  }

  @Override
  public void checkTemplate(String template) {
    templates.get(template);
  }

  private final class Match implements NameMatch {
    private final String name;
    private final int[] spans;
    private final int count;
    private final int width;

    Match(String name, int[] spans, int count, int width) {
      this.name = name;
      this.spans = spans;
      this.count = count;
      this.width = width;
    }

    @Override
    public String substitute(String template) {
      ReplacementTemplate t = templates.get(template);
      if (t.isConstant() && count == 1 && spans[0] == 0 && spans[1] == name.length()) {
        return t.constant();
      }
      StringBuilder out = new StringBuilder(name.length() + template.length() + 16);
      int previousEnd = 0;
      for (int k = 0; k < count; k++) {
        int base = k * width;
        out.append(name, previousEnd, spans[base]);
        t.expand(out, name, spans, base);
        previousEnd = spans[base + 1];
      }
      return out.append(name, previousEnd, name.length()).toString();
    }

    @Override
    public String toString() {
      return "regex(" + regex.source + ") on " + name;
    }
  }
}
