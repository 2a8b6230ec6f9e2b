package org.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Set;
import java.util.stream.IntStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The REST API as a script drives it: post a pipeline, start a run, wait for it, read its jobs. */
final class Api {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

  private final String base;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  Api(int port) {
    this("http://127.0.0.1:" + port, "test-token");
  }

  Api(String base, String token) {
    this.base = base;
    this.token = token;
  }

  HttpResponse<String> send(String method, String path, String contentType, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json")
            .timeout(Duration.ofSeconds(30))
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return http.send(request.build(), BodyHandlers.ofString());
  }

  /**
   * A pipeline of one task that originates {@code o1.txt} .. {@code o<jobs>.txt} with {@code
   * shell}.
   */
  static String originate(String name, int jobs, String shell) {
    String outputs =
        String.join(", ", IntStream.rangeClosed(1, jobs).mapToObj(i -> "o" + i + ".txt").toList());
    return """
    name: %s
    tasks:
      - name: work
        originate: {output: [%s]}
        shell: "%s"
    """
        .formatted(name, outputs, shell);
  }

  void postPipeline(String yaml) throws Exception {
    HttpResponse<String> response = send("POST", "/api/pipelines", "application/yaml", yaml);
    assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
  }

  long startRun(String body) throws Exception {
    HttpResponse<String> response = send("POST", "/api/runs", "application/json", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    assertThat(response.headers().firstValue("Location")).isPresent();
    return JSON.readTree(response.body()).get("id").asLong();
  }

  JsonNode get(String path) throws Exception {
    HttpResponse<String> response = send("GET", path, null, null);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  JsonNode post(String path, String json) throws Exception {
    HttpResponse<String> response = send("POST", path, "application/json", json);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isBetween(200, 299);
    return JSON.readTree(response.body());
  }

  JsonNode put(String path, String json) throws Exception {
    HttpResponse<String> response = send("PUT", path, "application/json", json);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isBetween(200, 299);
    return JSON.readTree(response.body());
  }

  JsonNode jobs(long run, String query) throws Exception {
    return get("/api/runs/" + run + "/jobs?limit=10000" + (query.isEmpty() ? "" : "&" + query));
  }

  /** Waits (at most two minutes) for a run to end and returns it. */
  JsonNode awaitEnd(long run) {
    return await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> get("/api/runs/" + run), r -> FINAL.contains(r.get("state").asString()));
  }
}
