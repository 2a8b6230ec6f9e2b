package org.pipewright.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;
import org.pipewright.plan.FormatterTemplate.Field;
import org.pipewright.plan.FormatterTemplate.Kind;

/**
 * Ruffus's {@code formatter()}: {@code t_formatter_file_names_transform} in
 * file_name_parameters.py. Pattern {@code i} is searched in file {@code i} of the item (a {@code
 * null} pattern, or a file past the last pattern, matches anything; patterns past the last file are
 * ignored, as {@code zip} does in {@code get_all_paths_components}). If one does not match, the
 * item is left out.
 */
final class FormatterFilter implements NameFilter {

  static final TemplateCache<FormatterTemplate> TEMPLATES =
      new TemplateCache<>(FormatterTemplate::parse);

  private final List<@Nullable PythonRegex> patterns;

  FormatterFilter(List<@Nullable String> patterns) {
    List<@Nullable PythonRegex> compiled = new ArrayList<>(patterns.size());
    for (String p : patterns) {
      compiled.add(p == null ? null : PythonRegex.compile(p));
    }
    this.patterns = compiled;
  }

  @Nullable PythonRegex pattern(int file) {
    return file < patterns.size() ? patterns.get(file) : null;
  }

  @Override
  public Optional<NameMatch> match(List<String> item) {
    if (item.isEmpty()) {
      return Optional.empty();
    }
    String[] names = new String[item.size()];
    int[][] spans = new int[Math.min(patterns.size(), names.length)][];
    for (int i = 0; i < names.length; i++) {
      names[i] = PathParts.normalize(item.get(i));
      PythonRegex regex = pattern(i);
      if (regex == null) {
        continue;
      }
      // Ruffus searches the absolute path; Pipewright searches the workdir-relative one
      Matcher m = regex.pattern.matcher(new BudgetedText(names[i], regex.pattern.pattern()));
      if (!PythonRegex.find(m)) {
        return Optional.empty();
      }
      int[] s = new int[2 * (regex.groupCount + 1)];
      for (int g = 0; g <= regex.groupCount; g++) {
        s[2 * g] = m.start(g);
        s[2 * g + 1] = m.end(g);
      }
      spans[i] = s;
    }
    return Optional.of(new FormatterMatch(this, names, spans));
  }

  @Override
  public void checkTemplate(String template) {
    for (Field f : TEMPLATES.get(template).fields) {
      checkField(f, 0, template);
    }
  }

  /**
   * Checks a field against the patterns, before any file is known; {@code from} is where this
   * filter's indexes start (1 inside a product, whose first index picks the filter).
   */
  void checkField(Field f, int from, String template) {
    int file = f.indexes().length > from ? f.indexes()[from] : 0;
    PythonRegex regex = pattern(file);
    boolean group = regex != null && regex.groupNames.containsKey(f.key());
    checkDepth(f, from, group, template);
    if (f.kind() == Kind.GROUP) {
      if (regex == null) {
        throw FormatterTemplate.error(
            template,
            f.text()
                + ": file "
                + file
                + " has no formatter pattern, so it has no numbered groups");
      }
      if (f.group() > regex.groupCount) {
        throw FormatterTemplate.error(
            template,
            f.text()
                + ": pattern '"
                + regex.source
                + "' has no group "
                + f.group()
                + " (it has "
                + regex.groupCount
                + ")");
      }
    } else if (f.kind() == Kind.NAME && !group) {
      throw FormatterTemplate.error(
          template,
          f.text()
              + ": unknown key '"
              + f.key()
              + "'; "
              + (regex == null
                  ? "file " + file + " has no formatter pattern"
                  : "pattern '" + regex.source + "' has no group named '" + f.key() + "'")
              + " (keys: basename, ext, path, subpath, subdir, named and numbered groups)");
    }
  }

  /** A scalar key takes one index per level of nesting, subpath and subdir one more. */
  static void checkDepth(Field f, int from, boolean namedGroup, String template) {
    boolean list = f.kind().list && !namedGroup;
    int want = from + (list ? 2 : 1);
    if (f.indexes().length == want) {
      return;
    }
    String example = "{" + f.key() + "[0]".repeat(want) + "}";
    throw FormatterTemplate.error(
        template,
        f.text() + " needs " + want + (want == 1 ? " index" : " indexes") + ", as in " + example);
  }
}
