package org.pipewright.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * What each role opens, through HTTP: a viewer reads, an operator also changes pipelines and runs,
 * the admin also reads the actuator. Tokens are configured by their SHA-256 only.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:roles;DB_CLOSE_DELAY=-1",
      "pipewright.security.admin-token=admin-token",
      "pipewright.workers.launcher=none",
      "pipewright.shared-log.max-job-chars-per-minute=20000"
    })
class RolesTests {

  static final String VIEWER = "vera-token";
  static final String OPERATOR = "otto-token";
  static final String PIPELINE =
      """
      name: roles
      tasks:
        - name: make
          originate: {output: [a.txt]}
          shell: "echo x > {output}"
      """;

  @TempDir static Path folder;

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("pipewright.workspace.root", () -> folder.resolve("workspace").toString());
    registry.add("pipewright.shared-log.file", () -> folder.resolve("shared.log").toString());
    registry.add("pipewright.security.tokens[0].name", () -> "vera");
    registry.add("pipewright.security.tokens[0].role", () -> "viewer");
    registry.add("pipewright.security.tokens[0].sha256", () -> sha256(VIEWER));
    registry.add("pipewright.security.tokens[1].name", () -> "otto");
    registry.add("pipewright.security.tokens[1].role", () -> "operator");
    registry.add("pipewright.security.tokens[1].sha256", () -> sha256(OPERATOR).toUpperCase());
  }

  static String sha256(String token) {
    return HexFormat.of().formatHex(PersonTokens.sha256(token));
  }

  @LocalServerPort int port;

  HttpResponse<String> call(String token, String method, String path, String type, String body)
      throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + token)
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    if (type != null) {
      request.header("Content-Type", type);
    }
    return HttpClient.newHttpClient().send(request.build(), BodyHandlers.ofString());
  }

  int status(String token, String method, String path) throws Exception {
    return call(token, method, path, null, null).statusCode();
  }

  @Test
  void aViewerReadsButChangesNothing() throws Exception {
    assertThat(call(OPERATOR, "POST", "/api/pipelines", "application/yaml", PIPELINE).statusCode())
        .isIn(200, 201);

    assertThat(status(VIEWER, "GET", "/api/runs")).isEqualTo(200);
    assertThat(status(VIEWER, "GET", "/api/pipelines/roles")).isEqualTo(200);
    assertThat(status(VIEWER, "GET", "/api/logs")).isEqualTo(200);
    assertThat(status(VIEWER, "GET", "/actuator/info")).isEqualTo(200);
    assertThat(
            call(VIEWER, "POST", "/api/pipelines/roles/plan", "application/json", "{}")
                .statusCode())
        .isEqualTo(200);

    HttpResponse<String> post =
        call(VIEWER, "POST", "/api/pipelines", "application/yaml", PIPELINE);
    assertThat(post.statusCode()).isEqualTo(403);
    assertThat(post.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(
            call(VIEWER, "POST", "/api/runs", "application/json", "{\"pipeline\":\"roles\"}")
                .statusCode())
        .isEqualTo(403);
    assertThat(status(VIEWER, "POST", "/api/runs/1/cancel")).isEqualTo(403);
    assertThat(
            call(
                    VIEWER,
                    "POST",
                    "/api/log",
                    "application/json",
                    "{\"records\":[{\"level\":\"INFO\",\"source\":\"v\",\"message\":\"m\"}]}")
                .statusCode())
        .isEqualTo(403);
    assertThat(status(VIEWER, "GET", "/actuator/prometheus")).isEqualTo(403);
    assertThat(status(VIEWER, "GET", "/actuator/metrics")).isEqualTo(403);
  }

  @Test
  void anOperatorRunsPipelinesButDoesNotReadTheActuator() throws Exception {
    assertThat(call(OPERATOR, "POST", "/api/pipelines", "application/yaml", PIPELINE).statusCode())
        .isIn(200, 201);
    HttpResponse<String> started =
        call(OPERATOR, "POST", "/api/runs", "application/json", "{\"pipeline\":\"roles\"}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    long run = JsonMapper.builder().build().readTree(started.body()).get("id").asLong();
    assertThat(status(OPERATOR, "POST", "/api/runs/" + run + "/cancel")).isEqualTo(202);
    assertThat(
            call(
                    OPERATOR,
                    "POST",
                    "/api/log",
                    "application/json",
                    "{\"records\":[{\"level\":\"INFO\",\"source\":\"otto\",\"message\":\"m\"}]}")
                .statusCode())
        .isEqualTo(200);

    assertThat(status(OPERATOR, "GET", "/actuator/prometheus")).isEqualTo(403);
    assertThat(status(OPERATOR, "GET", "/actuator/metrics")).isEqualTo(403);
  }

  @Test
  void whatAnOperatorLogsForAJobIsLimitedPerMinuteAndTheAdminIsNot() throws Exception {
    call(
        OPERATOR,
        "POST",
        "/api/pipelines",
        "application/yaml",
        PIPELINE.replace("roles", "chatty"));
    HttpResponse<String> started =
        call(OPERATOR, "POST", "/api/runs", "application/json", "{\"pipeline\":\"chatty\"}");
    long run = JsonMapper.builder().build().readTree(started.body()).get("id").asLong();
    long job =
        JsonMapper.builder()
            .build()
            .readTree(call(VIEWER, "GET", "/api/runs/" + run + "/jobs", null, null).body())
            .at("/jobs/0/id")
            .asLong();
    String line = "x".repeat(12_000);
    String twoLines =
        ("{\"records\":[{\"level\":\"INFO\",\"source\":\"o\",\"jobId\":%d,\"message\":\"%s\"},"
                + "{\"level\":\"INFO\",\"source\":\"o\",\"jobId\":%d,\"message\":\"%s\"}]}")
            .formatted(job, line, job, line);

    HttpResponse<String> refused = call(OPERATOR, "POST", "/api/log", "application/json", twoLines);

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.body()).contains("log-volume-exceeded", "job " + job);
    assertThat(call("admin-token", "POST", "/api/log", "application/json", twoLines).statusCode())
        .isEqualTo(200);
  }

  @Test
  void theAdminAlsoReadsTheActuator() throws Exception {
    assertThat(status("admin-token", "GET", "/actuator/prometheus")).isEqualTo(200);
    assertThat(status("admin-token", "GET", "/api/runs")).isEqualTo(200);
  }

  @Test
  void aTokenNoOneConfiguredOpensNothing() throws Exception {
    assertThat(status("vera-token-x", "GET", "/api/runs")).isEqualTo(401);
    assertThat(status(sha256(VIEWER), "GET", "/api/runs"))
        .as("the hash is not the token")
        .isEqualTo(401);
  }
}
