package org.pipewright.web;

import java.util.List;
import java.util.Map;
import org.pipewright.FieldError;
import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Endpoints that exercise the HTTP edge: bodies of any size, and each kind of failure. */
@TestComponent
@RestController
class TestEndpoints {

  static final class BadInputException extends PipewrightException {

    private static final ProblemType PROBLEM =
        new ProblemType("invalid-definition", 422, "Invalid pipeline definition");

    BadInputException() {
      super(PROBLEM, "The definition has 2 problems");
    }

    @Override
    public List<FieldError> fieldErrors() {
      return List.of(
          new FieldError("tasks[0].name", "must not be blank"),
          new FieldError("tasks[1].transform.input", "names no task"));
    }
  }

  @GetMapping("/api/test/ok")
  Map<String, String> ok() {
    return Map.of("status", "ok");
  }

  @PostMapping(value = "/api/test/bytes", consumes = MediaType.ALL_VALUE)
  Map<String, Integer> bytes(@RequestBody byte[] body) {
    return Map.of("length", body.length);
  }

  @PostMapping(value = "/api/test/json", consumes = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Integer> json(@RequestBody Map<String, Object> body) {
    return Map.of("keys", body.size());
  }

  @GetMapping("/api/test/invalid")
  void invalid() {
    throw new BadInputException();
  }

  @GetMapping("/api/test/bug")
  void bug() {
    throw new IllegalStateException("secret internal detail in org.pipewright.Secret");
  }
}
