package org.pipewright;

/**
 * A kind of problem a client can meet: what every {@link PipewrightException} of that kind reports
 * besides its message.
 *
 * @param type a stable slug such as {@code invalid-definition}, the last segment of the type URI;
 *     clients may switch on it
 * @param status the HTTP status it maps to
 * @param title a short human title for the problem type
 */
public record ProblemType(String type, int status, String title) {

  /** Every problem type URI starts with this; the slug follows. */
  public static final String BASE = "https://pipewright.org/problems/";
}
