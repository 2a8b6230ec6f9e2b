package org.pipewright.plan;

import java.util.List;
import org.pipewright.pipeline.FileFilter;
import org.pipewright.plan.FormatterTemplate.Field;

/** Factory behind {@link NameFilter#compile} and {@link NameMatch#tuple}. */
final class NameFilters {

  private NameFilters() {}

  static NameFilter compile(FileFilter spec) {
    return switch (spec) {
      case FileFilter.Suffix s -> new SuffixFilter(s.suffix(), s.outputDir());
      case FileFilter.Regex r -> new RegexFilter(r.pattern());
      case FileFilter.Formatter f -> new FormatterFilter(f.patterns());
    };
  }

  /**
   * Ruffus's {@code t_nested_formatter_replace} (ruffus_utility.py), used by product and the
   * combinatorics: every key takes the part's index first, {@code {basename[1][0]}}.
   *
   * @throws IllegalArgumentException when a part is not a formatter match
   */
  static NameMatch tuple(List<NameMatch> parts) {
    FormatterMatch[] matches = new FormatterMatch[parts.size()];
    for (int i = 0; i < matches.length; i++) {
      if (!(parts.get(i) instanceof FormatterMatch m)) {
        throw new IllegalArgumentException(
            "product and combinatorics take formatter() filters only, part "
                + i
                + " is "
                + parts.get(i));
      }
      matches[i] = m;
    }
    return new TupleMatch(matches);
  }

  /**
   * {@link NameFilter#checkTemplate} for a product or combinatorics task whose parts use these
   * filters (one per part; combinatorics repeat the same filter k times).
   */
  static void checkTupleTemplate(List<NameFilter> parts, String template) {
    for (Field f : FormatterFilter.TEMPLATES.get(template).fields) {
      int part = f.indexes().length > 0 ? f.indexes()[0] : 0;
      if (part >= parts.size()) {
        throw FormatterTemplate.error(
            template, f.text() + ": there are only " + parts.size() + " inputs to combine");
      }
      if (!(parts.get(part) instanceof FormatterFilter filter)) {
        throw new IllegalArgumentException(
            "product and combinatorics take formatter() filters only");
      }
      filter.checkField(f, 1, template);
    }
  }

  private record TupleMatch(FormatterMatch[] parts) implements NameMatch {
    @Override
    public String substitute(String template) {
      return FormatterFilter.TEMPLATES.get(template).render(this::value);
    }

    private String value(Field f, String template) {
      int[] idx = f.indexes();
      if (idx.length == 0 || idx[0] >= parts.length) {
        FormatterFilter.checkDepth(f, 1, false, template);
        throw FormatterTemplate.error(
            template, f.text() + ": there are only " + parts.length + " inputs combined");
      }
      return parts[idx[0]].value(f, 1, template);
    }

    @Override
    public String toString() {
      return "tuple of " + List.of(parts);
    }
  }
}
