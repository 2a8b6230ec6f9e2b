package org.pipewright.plan;

import java.util.List;
import org.pipewright.plan.FormatterTemplate.Field;
import org.pipewright.plan.FormatterTemplate.Kind;

/**
 * A {@link FormatterFilter}'s match on one item: the normalized names and the group spans of each
 * file's pattern. Path parts are worked out only when a template asks for them.
 */
final class FormatterMatch implements NameMatch, FormatterTemplate.Resolver {

  private final FormatterFilter filter;
  private final String[] names;
  private final int[][] spans;

  FormatterMatch(FormatterFilter filter, String[] names, int[][] spans) {
    this.filter = filter;
    this.names = names;
    this.spans = spans;
  }

  @Override
  public String substitute(String template) {
    return FormatterFilter.TEMPLATES.get(template).render(this);
  }

  @Override
  public String value(Field field, String template) {
    return value(field, 0, template);
  }

  /** The value of a field whose indexes for this match start at {@code from}. */
  String value(Field f, int from, String template) {
    int[] idx = f.indexes();
    int file = idx.length > from ? idx[from] : 0;
    PythonRegex regex = filter.pattern(file);
    // named groups win over path keys: pp.update(rr) in path_decomposition_regex_match
    Integer named =
        regex == null || regex.groupNames.isEmpty() ? null : regex.groupNames.get(f.key());
    FormatterFilter.checkDepth(f, from, named != null, template);
    if (file >= names.length) {
      throw FormatterTemplate.error(
          template,
          f.text()
              + ": the input has only "
              + names.length
              + (names.length == 1 ? " file" : " files")
              + ": "
              + List.of(names));
    }
    String name = names[file];
    if (named != null) {
      return group(file, named);
    }
    return switch (f.kind()) {
      case BASENAME -> PathParts.basename(name);
      case EXT -> PathParts.ext(name);
      case PATH -> PathParts.path(name);
      case SUBPATH, SUBDIR -> {
        List<String> list =
            f.kind() == Kind.SUBPATH ? PathParts.subpaths(name) : PathParts.subdirs(name);
        int k = idx[from + 1];
        if (k >= list.size()) {
          throw FormatterTemplate.error(
              template,
              f.text()
                  + ": '"
                  + name
                  + "' has only "
                  + list.size()
                  + " "
                  + f.key()
                  + " entries "
                  + list);
        }
        yield list.get(k);
      }
      case GROUP -> {
        if (regex == null || f.group() > regex.groupCount) {
          filter.checkField(f, from, template); // throws with the reason
        }
        yield group(file, f.group());
      }
      case NAME -> {
        filter.checkField(f, from, template);
        throw new IllegalStateException("unreachable: " + f.text());
      }
    };
  }

  private String group(int file, int group) {
    int[] s = spans[file];
    int start = s[2 * group];
    // an unmatched optional group: Ruffus formats Python's None as "None"; we give ""
    return start < 0 ? "" : names[file].substring(start, s[2 * group + 1]);
  }

  @Override
  public String toString() {
    return "formatter match on " + List.of(names);
  }
}
