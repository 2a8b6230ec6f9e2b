package org.pipewright.plan;

/**
 * A file name that a user's regex may only read so many times. Java's regex engine backtracks: a
 * pattern such as {@code ^(a|aa)+$} on a name of forty {@code a}s would hold a request thread for
 * hours. Each character read counts; past the budget the match is abandoned with a 422.
 */
final class BudgetedText implements CharSequence {

  /** Far above what any sane pattern needs on a name of at most 4096 characters. */
  static final long BUDGET = 5_000_000;

  private final String text;
  private final String pattern;
  private long reads;

  BudgetedText(String text, String pattern) {
    this.text = text;
    this.pattern = pattern;
  }

  @Override
  public char charAt(int index) {
    if (++reads > BUDGET) {
      throw new InvalidTemplateException(
          "regex '"
              + pattern
              + "' takes too long to match '"
              + abbreviate(text)
              + "' (catastrophic backtracking?)");
    }
    return text.charAt(index);
  }

  @Override
  public int length() {
    return text.length();
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return text.subSequence(start, end);
  }

  @Override
  public String toString() {
    return text;
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
