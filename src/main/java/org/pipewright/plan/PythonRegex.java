package org.pipewright.plan;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A Python {@code re} pattern compiled to a {@link Pattern} that behaves the same on file names.
 *
 * <p>Named groups become plain numbered groups and their names are kept here, because Python allows
 * names Java rejects ({@code sample_id}); Python groups and Java groups then number alike. Flags:
 * {@code UNICODE_CHARACTER_CLASS} because Python 3's {@code \w}, {@code \d}, {@code \s} and {@code
 * (?i)} are Unicode-aware on {@code str}; {@code UNIX_LINES} because Python's {@code .} and {@code
 * $} know only {@code \n}.
 */
final class PythonRegex {

  private static final int FLAGS = Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES;

  final String source;
  final Pattern pattern;
  final int groupCount;

  /** Python group name to group number. */
  final Map<String, Integer> groupNames;

  private PythonRegex(String source, Pattern pattern, Map<String, Integer> groupNames) {
    this.source = source;
    this.pattern = pattern;
    this.groupCount = pattern.matcher("").groupCount();
    this.groupNames = Map.copyOf(groupNames);
  }

  /**
   * @throws InvalidTemplateException naming the pattern and the error when Python would reject it
   *     or Java cannot express it
   */
  static PythonRegex compile(String source) {
    PythonRegexTranslator t = new PythonRegexTranslator(source);
    String java;
    try {
      java = t.translate();
    } catch (IllegalArgumentException e) {
      throw invalid(source, e.getMessage());
    }
    try {
      return new PythonRegex(source, Pattern.compile(java, FLAGS), t.names);
    } catch (PatternSyntaxException e) {
      throw invalid(source, e.getDescription() + " near index " + e.getIndex());
    }
  }

  /**
   * {@code matcher.find()}, turning a stack overflow from deep backtracking into a 422 rather than
   * letting it take the request down.
   */
  static boolean find(java.util.regex.Matcher matcher) {
    try {
      return matcher.find();
    } catch (StackOverflowError e) {
      throw new InvalidTemplateException(
          "regex '" + matcher.pattern().pattern() + "' recurses too deeply on a file name");
    }
  }

  private static InvalidTemplateException invalid(String source, String error) {
    return new InvalidTemplateException(
        "regular expression '" + source + "' does not compile: " + error);
  }
}
