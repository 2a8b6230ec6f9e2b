package org.pipewright.web;

import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.pipewright.FieldError;
import org.pipewright.PipewrightException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every error into an RFC 9457 problem detail with a stable {@code type}: Pipewright's own
 * exceptions, Spring MVC's (405, 406, 415, unreadable bodies, unknown paths) and, as a last resort,
 * anything unexpected, which is logged and answered with a 500 that reveals nothing.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);
  private static final URI BLANK = URI.create("about:blank");

  @ExceptionHandler(PipewrightException.class)
  ResponseEntity<ProblemDetail> pipewright(PipewrightException ex) {
    ProblemDetail problem =
        problem(ex.status(), ex.type(), ex.title(), ex.getMessage(), ex.fieldErrors());
    if (ex.status() >= 500) {
      log.error("Request failed: {}", ex.getMessage(), ex);
    }
    HttpHeaders headers = new HttpHeaders();
    if (ex instanceof RequestTooLargeException) {
      // The rest of the body is never read; ask the client not to reuse the connection.
      headers.set(HttpHeaders.CONNECTION, "close");
    }
    return ResponseEntity.status(ex.status()).headers(headers).body(problem);
  }

  @ExceptionHandler(ConcurrencyFailureException.class)
  ResponseEntity<ProblemDetail> concurrentUpdate(ConcurrencyFailureException ex) {
    log.warn("Gave up after concurrent updates: {}", ex.getMessage());
    return ResponseEntity.status(HttpStatus.CONFLICT)
        .body(
            problem(
                409,
                "conflict",
                "Concurrent update",
                "Another request changed the same data; try again",
                List.of()));
  }

  /**
   * The database cannot take a write or answer just now (away, read-only, out of connections): a
   * 503 the client may retry, not a 500. Nothing was stored of the request.
   */
  @ExceptionHandler({
    DataAccessResourceFailureException.class,
    TransientDataAccessException.class,
    CannotCreateTransactionException.class
  })
  ResponseEntity<ProblemDetail> databaseUnavailable(Exception ex) {
    log.warn("Database unavailable: {}", ex.getMessage());
    return unavailable();
  }

  private static ResponseEntity<ProblemDetail> unavailable() {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "5")
        .body(
            problem(
                503,
                "database-unavailable",
                "Database unavailable",
                "The database cannot store this just now (it is away or read-only); nothing of the"
                    + " request was stored: send it again later",
                List.of()));
  }

  /** Anything else is a bug, not the client's mistake: log it, tell the client nothing more. */
  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception ex) throws Exception {
    if (ex instanceof AccessDeniedException || ex instanceof AuthenticationException) {
      throw ex; // Spring Security's exception translation answers these with 401 or 403.
    }
    if (DatabaseStates.unavailable(ex)) {
      log.warn("Database unavailable: {}", ex.getMessage());
      return unavailable();
    }
    log.error("Unexpected error", ex);
    return ResponseEntity.internalServerError()
        .body(
            problem(
                500,
                "internal-error",
                "Internal error",
                "The server failed to handle the request; the error is in its log",
                List.of()));
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof RequestTooLargeException tooLarge) {
        return ResponseEntity.status(413)
            .header(HttpHeaders.CONNECTION, "close")
            .body(pipewright(tooLarge).getBody());
      }
    }
    List<FieldError> errors = JsonBodyErrors.of(ex);
    ProblemDetail problem =
        problem(
            400,
            "unreadable-body",
            "Unreadable request body",
            errors.isEmpty()
                ? "The request body is missing or is not well-formed"
                : errors.getFirst().toString(),
            errors);
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<FieldError> errors =
        ex.getBindingResult().getFieldErrors().stream()
            .map(e -> new FieldError(e.getField(), String.valueOf(e.getDefaultMessage())))
            .toList();
    ProblemDetail problem =
        problem(
            400, "invalid-request", "Invalid request", "The request has invalid fields", errors);
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleNoResourceFoundException(
      NoResourceFoundException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    ProblemDetail problem =
        problem(
            404,
            "not-found",
            "Not found",
            "Nothing is at " + ex.getHttpMethod() + " " + path(request),
            List.of());
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  /** Gives Spring MVC's own problems a Pipewright type instead of {@code about:blank}. */
  @Override
  protected ResponseEntity<Object> createResponseEntity(
      @Nullable Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    if (body instanceof ProblemDetail problem
        && (problem.getType() == null || BLANK.equals(problem.getType()))) {
      problem.setType(ProblemTypes.of(ProblemTypes.forStatus(status.value())));
    }
    return super.createResponseEntity(body, headers, status, request);
  }

  private static String path(WebRequest request) {
    return request instanceof ServletWebRequest servlet
        ? servlet.getRequest().getRequestURI()
        : request.getDescription(false);
  }

  private static ProblemDetail problem(
      int status, String type, String title, @Nullable String detail, List<FieldError> errors) {
    ProblemDetail problem = ProblemDetail.forStatus(status);
    problem.setType(ProblemTypes.of(type));
    problem.setTitle(title);
    problem.setDetail(detail);
    if (!errors.isEmpty()) {
      problem.setProperty("errors", errors);
    }
    return problem;
  }
}
