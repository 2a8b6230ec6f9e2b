package org.pipewright.web;

import java.net.URI;
import org.pipewright.ProblemType;

/**
 * The stable problem {@code type} URIs clients switch on: {@code
 * https://pipewright.org/problems/<slug>}. Pipewright's own errors name their slug; Spring MVC's
 * get one from their status.
 */
public final class ProblemTypes {

  /** Every problem type URI starts with this. */
  public static final String BASE = ProblemType.BASE;

  private ProblemTypes() {}

  /** The type URI for a slug such as {@code pipeline-not-found}. */
  public static URI of(String slug) {
    return URI.create(BASE + slug);
  }

  /** The slug for an error that has no more specific one than its HTTP status. */
  static String forStatus(int status) {
    return switch (status) {
      case 400 -> "bad-request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      case 406 -> "not-acceptable";
      case 409 -> "conflict";
      case 413 -> "payload-too-large";
      case 415 -> "unsupported-media-type";
      case 422 -> "unprocessable-content";
      case 503 -> "service-unavailable";
      case 500 -> "internal-error";
      default -> "http-" + status;
    };
  }
}
