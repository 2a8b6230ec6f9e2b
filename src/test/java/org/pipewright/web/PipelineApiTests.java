package org.pipewright.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.pipeline.Action;
import org.pipewright.plan.JobDigests;
import org.pipewright.plan.JobHistory.OutputRecord;
import org.pipewright.run.JobHistoryRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pipeline API as a user drives it with curl: post, version, plan with reasons, print, draw,
 * and every mistake answered with a problem detail that names the field.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:pipeline-api;DB_CLOSE_DELAY=-1",
      "pipewright.security.admin-token=test-token",
      "pipewright.workers.launcher=none"
    })
class PipelineApiTests {

  static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path workspace;

  @DynamicPropertySource
  static void workspace(DynamicPropertyRegistry registry) {
    registry.add("pipewright.workspace.root", () -> workspace.toString());
  }

  static final String COUNTING =
      """
      name: %s
      tasks:
        - name: make
          originate: {output: [a.txt, b.txt]}
          touch: true
        - name: count
          transform: {input: make, filter: {suffix: .txt}, output: .count}
          shell: "wc -l < {input} > {output}"
        - name: total
          merge: {input: count, output: total.txt}
          shell: "cat {input} > {output}"
      """;

  @LocalServerPort int port;
  @Autowired JobHistoryRepository history;

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  HttpResponse<String> send(
      String method, String path, String contentType, String body, String accept) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer test-token")
            .header("Accept", accept)
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return http.send(request.build(), BodyHandlers.ofString());
  }

  HttpResponse<String> post(String yaml) throws Exception {
    return send("POST", "/api/pipelines", "application/yaml", yaml, "application/json");
  }

  JsonNode plan(String name, String body) throws Exception {
    HttpResponse<String> response =
        send(
            "POST",
            "/api/pipelines/" + name + "/plan",
            "application/json",
            body,
            "application/json");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  static JsonNode job(JsonNode plan, String id) {
    for (JsonNode job : plan.get("jobs")) {
      if (job.get("id").asString().equals(id)) {
        return job;
      }
    }
    throw new AssertionError("no job " + id + " in " + plan);
  }

  static String firstReason(JsonNode job) {
    return job.get("reasons").get(0).get("code").asString();
  }

  @Test
  void postingADefinitionMakesVersionOneAndAnIdenticalPostMakesNoNewVersion() throws Exception {
    HttpResponse<String> first = post(COUNTING.formatted("versioned"));
    HttpResponse<String> again = post(COUNTING.formatted("versioned"));
    HttpResponse<String> changed =
        post(COUNTING.formatted("versioned").replace("cat {input}", "sort {input}"));

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.headers().firstValue("Location")).hasValue("/api/pipelines/versioned");
    assertThat(JSON.readTree(first.body()).get("version").asInt()).isEqualTo(1);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(again.body()).get("created").asBoolean()).isFalse();
    assertThat(JSON.readTree(changed.body()).get("version").asInt()).isEqualTo(2);
    JsonNode shown =
        JSON.readTree(
            send("GET", "/api/pipelines/versioned", null, null, "application/json").body());
    assertThat(shown.get("versions")).hasSize(2);
    assertThat(shown.get("source").asString()).contains("sort {input}");
    JsonNode old =
        JSON.readTree(
            send("GET", "/api/pipelines/versioned?version=1", null, null, "application/json")
                .body());
    assertThat(old.get("source").asString()).contains("cat {input}");
  }

  @Test
  void jsonAndYamlOfOneDefinitionAreTheSameVersion() throws Exception {
    post(COUNTING.formatted("both-formats"));
    String json =
        """
        {"name": "both-formats", "tasks": [
          {"name": "make", "originate": {"output": ["a.txt", "b.txt"]}, "touch": true},
          {"name": "count", "transform": {"input": "make", "filter": {"suffix": ".txt"}, "output": ".count"}, "shell": "wc -l < {input} > {output}"},
          {"name": "total", "merge": {"input": "count", "output": "total.txt"}, "shell": "cat {input} > {output}"}]}
        """;

    HttpResponse<String> response =
        send("POST", "/api/pipelines", "application/json", json, "application/json");

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void planReasonsFollowTheFilesAndTheHistory() throws Exception {
    post(COUNTING.formatted("reasons"));
    Path dir = workspace.resolve("reasons");

    JsonNode fresh = plan("reasons", "{}");
    assertThat(firstReason(job(fresh, "make:1"))).isEqualTo("missing-output");
    assertThat(firstReason(job(fresh, "count:1"))).isEqualTo("upstream");
    assertThat(fresh.get("summary").get("willRun").asInt()).isEqualTo(5);

    // Build everything as a run would: each stage a second later, recorded as completed.
    long t = Instant.now().getEpochSecond() - 100;
    complete("reasons", dir, "a.txt", t, new Action.Touch());
    complete("reasons", dir, "b.txt", t, new Action.Touch());
    complete("reasons", dir, "a.count", t + 1, new Action.Shell("wc -l < {input} > {output}"));
    complete("reasons", dir, "b.count", t + 1, new Action.Shell("wc -l < {input} > {output}"));
    complete("reasons", dir, "total.txt", t + 2, new Action.Shell("cat {input} > {output}"));
    assertThat(plan("reasons", "{}").get("summary").get("willRun").asInt()).isZero();

    Files.setLastModifiedTime(dir.resolve("b.txt"), FileTime.from(Instant.ofEpochSecond(t + 50)));
    JsonNode touched = plan("reasons", "{}");
    assertThat(firstReason(job(touched, "count:2"))).isEqualTo("input-newer");
    assertThat(job(touched, "count:1").get("willRun").asBoolean()).isFalse();
    assertThat(firstReason(job(touched, "total:1"))).isEqualTo("upstream");

    Files.delete(dir.resolve("a.count"));
    assertThat(firstReason(job(plan("reasons", "{}"), "count:1"))).isEqualTo("missing-output");
    complete("reasons", dir, "a.count", t + 51, new Action.Shell("wc -l < {input} > {output}"));
    complete("reasons", dir, "b.count", t + 51, new Action.Shell("wc -l < {input} > {output}"));
    complete("reasons", dir, "total.txt", t + 52, new Action.Shell("cat {input} > {output}"));
    assertThat(plan("reasons", "{}").get("summary").get("willRun").asInt()).isZero();

    post(COUNTING.formatted("reasons").replace("cat {input}", "sort {input}"));
    assertThat(plan("reasons", "{}").get("summary").get("willRun").asInt()).isZero();
    JsonNode levelTwo = plan("reasons", "{\"checksumLevel\": 2}");
    assertThat(firstReason(job(levelTwo, "total:1"))).isEqualTo("command-changed");
    assertThat(levelTwo.get("version").asInt()).isEqualTo(2);
    assertThat(firstReason(job(plan("reasons", "{\"forced\": [\"count\"]}"), "count:1")))
        .isEqualTo("forced");
  }

  private void complete(String pipeline, Path dir, String file, long epochSecond, Action action)
      throws IOException {
    Path path = dir.resolve(file);
    Files.createDirectories(dir);
    Files.writeString(path, file);
    Files.setLastModifiedTime(path, FileTime.from(Instant.ofEpochSecond(epochSecond)));
    history.record(
        pipeline,
        file,
        new OutputRecord(JobDigests.action(action), "", epochSecond * 1_000_000_000L));
  }

  @Test
  void thePlanPrintsLikeRuffusAndDrawsAsSvg() throws Exception {
    post(COUNTING.formatted("printed"));

    HttpResponse<String> text =
        send("POST", "/api/pipelines/printed/plan", null, null, "text/plain");
    HttpResponse<String> svg =
        send("GET", "/api/pipelines/printed/graph.svg", null, null, "image/svg+xml");

    assertThat(text.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(text.body())
        .contains("Tasks which will be run:")
        .contains("Task = 'count'\n       Job  = [a.txt\n             -> a.count]");
    assertThat(svg.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("image/svg+xml"));
    assertThat(svg.body()).contains("data-task=\"total\"").contains("class=\"task will-run\"");
  }

  @Test
  void aJavaJobMayNameOnlyAClassOfTheConfiguredPackages() throws Exception {
    String elsewhere =
        """
        name: elsewhere
        tasks:
          - {name: ok, originate: {output: [a]}, java: org.pipewright.examples.NoopJob}
          - {name: no, originate: {output: [b]}, java: org.pipewright.worker.runtime.WorkerMain}
        """;

    HttpResponse<String> response = post(elsewhere);

    assertThat(response.statusCode()).isEqualTo(422);
    JsonNode error = JSON.readTree(response.body()).get("errors").get(0);
    assertThat(error.get("path").asString()).isEqualTo("tasks[1].java");
    assertThat(error.get("message").asString())
        .contains("org.pipewright.worker.runtime.WorkerMain", "org.pipewright.examples.*");
    assertThat(send("GET", "/api/pipelines/elsewhere", null, null, "application/json").statusCode())
        .isEqualTo(404);
  }

  @Test
  void aBadDefinitionIsRefusedWithTheFieldAndNothingIsStored() throws Exception {
    String cycle =
        """
        name: refused
        tasks:
          - {name: a, transform: {input: b, filter: {suffix: .x}, output: .y}, touch: true}
          - {name: b, transform: {input: a, filter: {suffix: .y}, output: .x}, touch: true}
        """;

    HttpResponse<String> response = post(cycle);

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("type").asString()).endsWith("/invalid-definition");
    assertThat(problem.get("errors").get(0).get("message").asString())
        .contains("cycle: a -> b -> a");
    assertThat(send("GET", "/api/pipelines/refused", null, null, "application/json").statusCode())
        .isEqualTo(404);
  }

  @Test
  void wrongContentTypeMalformedYamlAndUnknownPlanFieldsAreClientErrors() throws Exception {
    assertThat(
            send("POST", "/api/pipelines", "text/plain", "name: x", "application/json")
                .statusCode())
        .isEqualTo(415);
    HttpResponse<String> malformed = post("name: [");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("line 1");
    post(COUNTING.formatted("strict"));
    HttpResponse<String> unknown =
        send(
            "POST",
            "/api/pipelines/strict/plan",
            "application/json",
            "{\"target\": [\"x\"]}",
            "application/json");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(unknown.body()).get("errors").get(0).get("path").asString())
        .isEqualTo("target");
    HttpResponse<String> badTarget =
        send(
            "POST",
            "/api/pipelines/strict/plan",
            "application/json",
            "{\"targets\": [\"nope\"]}",
            "application/json");
    assertThat(badTarget.statusCode()).isEqualTo(422);
    assertThat(badTarget.body()).contains("no task named 'nope'");
    assertThat(
            send("POST", "/api/pipelines/missing/plan", null, null, "application/json")
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void plansArePagedSoAHugeOneCannotFloodAClient() throws Exception {
    post(COUNTING.formatted("paged"));

    JsonNode page =
        JSON.readTree(
            send(
                    "POST",
                    "/api/pipelines/paged/plan?offset=1&limit=2",
                    "application/json",
                    "{}",
                    "application/json")
                .body());

    assertThat(page.get("jobs")).hasSize(2);
    assertThat(page.get("jobs").get(0).get("id").asString()).isEqualTo("make:2");
    assertThat(page.get("truncated").asBoolean()).isTrue();
    assertThat(page.get("summary").get("jobs").asInt()).isEqualTo(5);
    assertThat(
            send(
                    "POST",
                    "/api/pipelines/paged/plan?limit=-1",
                    "application/json",
                    "{}",
                    "application/json")
                .statusCode())
        .isEqualTo(400);
  }

  @Test
  void everyCallNeedsTheToken() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/pipelines"))
                .build(),
            BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(401);
  }
}
