package org.pipewright.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The meters DESIGN.md names move as runs, workers, the shared log and locks do, on two real worker
 * JVMs; a run's progress metric is what its API says; a real Prometheus server scrapes the
 * exposition without complaint.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:metrics;DB_CLOSE_DELAY=-1",
      "pipewright.security.admin-token=test-token",
      "pipewright.workers.count=2",
      "pipewright.workers.heartbeat=200ms",
      "pipewright.workers.lease=3s"
    })
class MetricsTests {

  static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path workspace;
  @TempDir static Path folder;

  @DynamicPropertySource
  static void folders(DynamicPropertyRegistry registry) {
    registry.add("pipewright.workspace.root", () -> workspace.toString());
    registry.add("pipewright.workers.directory", () -> folder.resolve("workers").toString());
  }

  @LocalServerPort int port;

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  HttpResponse<String> send(String method, String path, String type, String body, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (type != null) {
      request.header("Content-Type", type);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode call(String method, String path, String type, String body) throws Exception {
    HttpResponse<String> response = send(method, path, type, body, "test-token");
    assertThat(response.statusCode()).as(path + ": " + response.body()).isBetween(200, 299);
    return JSON.readTree(response.body());
  }

  String prometheus() throws Exception {
    HttpResponse<String> response = send("GET", "/actuator/prometheus", null, null, "test-token");
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** The value of one sample, or NaN when the exposition has no such line. */
  static double sample(String exposition, String name, String labels) {
    for (String line : exposition.lines().toList()) {
      if (line.startsWith(name + "{") && labelsMatch(line, labels)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
      if (labels.isEmpty() && line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Double.NaN;
  }

  static boolean labelsMatch(String line, String labels) {
    for (String label : labels.split(",")) {
      if (!label.isEmpty() && !line.contains(label)) {
        return false;
      }
    }
    return true;
  }

  long startRun(String pipeline) throws Exception {
    return call("POST", "/api/runs", "application/json", "{\"pipeline\": \"" + pipeline + "\"}")
        .get("id")
        .asLong();
  }

  JsonNode awaitEnd(long run) {
    return await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () -> call("GET", "/api/runs/" + run, null, null),
            r -> r.get("state").asString().matches("SUCCEEDED|FAILED|CANCELLED"));
  }

  @Test
  void jobCountersAndDurationsMoveAsARunGoes() throws Exception {
    call(
        "POST",
        "/api/pipelines",
        "application/yaml",
        """
        name: counted
        tasks:
          - name: make
            originate: {output: [a.txt, b.txt, c.txt]}
            shell: "echo x > {output}"
          - name: broken
            originate: {output: z.txt}
            shell: "exit 3"
        """);

    JsonNode run = awaitEnd(startRun("counted"));

    assertThat(run.get("state").asString()).isEqualTo("FAILED");
    String metrics = prometheus();
    assertThat(
            sample(
                metrics,
                "pipewright_jobs_total",
                "pipeline=\"counted\",task=\"make\",outcome=\"succeeded\""))
        .isEqualTo(3.0);
    assertThat(
            sample(
                metrics,
                "pipewright_jobs_total",
                "pipeline=\"counted\",task=\"broken\",outcome=\"failed\""))
        .isEqualTo(1.0);
    assertThat(
            sample(
                metrics,
                "pipewright_job_duration_seconds_count",
                "task=\"make\",outcome=\"succeeded\""))
        .isEqualTo(3.0);
    assertThat(sample(metrics, "pipewright_workers", "state=\"alive\"")).isEqualTo(2.0);
    assertThat(metrics).doesNotContain("run_id").doesNotContain("job_id");
  }

  @Test
  void aRunsProgressMetricIsWhatItsApiSaysWhileItRuns() throws Exception {
    call(
        "POST",
        "/api/pipelines",
        "application/yaml",
        """
        name: gated
        tasks:
          - name: quick
            originate: {output: [q1.txt, q2.txt]}
            shell: "echo x > {output}"
          - name: slow
            originate: {output: [s1.txt, s2.txt]}
            shell: "while [ ! -f ../gate ]; do sleep 0.05; done; echo x > {output}"
        """);
    long run = startRun("gated");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> call("GET", "/api/runs/" + run, null, null).get("progress").asDouble() == 0.5);

    double api = call("GET", "/api/runs/" + run, null, null).get("progress").asDouble();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() ->
            !Double.isNaN(sample(prometheus(), "pipewright_run_progress", "pipeline=\"gated\"")));
    String metrics = prometheus();

    assertThat(sample(metrics, "pipewright_run_progress", "pipeline=\"gated\"")).isEqualTo(api);
    assertThat(sample(metrics, "pipewright_jobs_running", "")).isEqualTo(2.0);
    assertThat(sample(metrics, "pipewright_runs_active", "")).isGreaterThanOrEqualTo(1.0);

    Files.writeString(workspace.resolve("gate"), "open");
    assertThat(awaitEnd(run).get("state").asString()).isEqualTo("SUCCEEDED");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() ->
            Double.isNaN(sample(prometheus(), "pipewright_run_progress", "pipeline=\"gated\"")));
  }

  @Test
  void sharedLogRecordsAndLockWaitsAreCounted() throws Exception {
    double before = sample(prometheus(), "pipewright_log_records_total", "");
    call(
        "POST",
        "/api/log",
        "application/json",
        "{\"records\": [{\"level\": \"INFO\", \"source\": \"m\", \"message\": \"héllo\"},"
            + " {\"level\": \"INFO\", \"source\": \"m\", \"message\": \"two\"}]}");
    JsonNode grant =
        call(
            "POST",
            "/api/locks/metered/acquire",
            "application/json",
            "{\"owner\": \"test\", \"requestId\": \"r1\"}");
    String held = prometheus();
    call(
        "POST",
        "/api/locks/metered/release",
        "application/json",
        "{\"token\": " + grant.get("token").asLong() + "}");

    assertThat(
            sample(held, "pipewright_log_records_total", "") - (Double.isNaN(before) ? 0 : before))
        .isEqualTo(2.0);
    assertThat(sample(held, "pipewright_log_bytes_total", "")).isGreaterThanOrEqualTo(9.0);
    assertThat(sample(held, "pipewright_lock_wait_seconds_count", "lock=\"metered\""))
        .isEqualTo(1.0);
    assertThat(sample(held, "pipewright_lock_held", "")).isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void healthIsOpenWithoutDetailsAndInfoAndMetricsNeedTheToken() throws Exception {
    HttpResponse<String> open = send("GET", "/actuator/health", null, null, null);
    HttpResponse<String> metrics = send("GET", "/actuator/prometheus", null, null, null);
    HttpResponse<String> info = send("GET", "/actuator/info", null, null, null);
    JsonNode detailed = call("GET", "/actuator/health", null, null);

    assertThat(open.statusCode()).isEqualTo(200);
    assertThat(open.body()).doesNotContain("components");
    assertThat(metrics.statusCode()).isEqualTo(401);
    assertThat(info.statusCode()).isEqualTo(401);
    JsonNode build = call("GET", "/actuator/info", null, null).get("build");
    assertThat(build.get("version").asString()).isNotBlank();
    assertThat(build.get("time").asString()).isNotBlank();
    JsonNode components = detailed.get("components");
    assertThat(components.has("db")).isTrue();
    assertThat(components.get("workerPool").get("status").asString()).isIn("UP", "UNKNOWN");
    assertThat(components.get("workspace").get("details").get("free").asLong()).isPositive();
  }

  @Test
  void aRealPrometheusServerScrapesTheExpositionWithoutComplaint() throws Exception {
    String prometheus = "/usr/bin/prometheus";
    if (!Files.isExecutable(Path.of(prometheus))) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(
            "prometheus is not installed; .ci/run installs Debian's prometheus");
      }
      Assumptions.abort("prometheus is not installed (Debian: apt-get install prometheus)");
    }
    int promPort;
    try (var socket = new java.net.ServerSocket(0)) {
      promPort = socket.getLocalPort();
    }
    Path config = folder.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: pipewright
            metrics_path: /actuator/prometheus
            authorization:
              credentials: test-token
            static_configs:
              - targets: ['127.0.0.1:%d']
        """
            .formatted(port));
    Process server =
        new ProcessBuilder(
                prometheus,
                "--config.file=" + config,
                "--storage.tsdb.path=" + folder.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + promPort)
            .redirectErrorStream(true)
            .redirectOutput(folder.resolve("prometheus.log").toFile())
            .start();
    try {
      String api = "http://127.0.0.1:" + promPort + "/api/v1/";
      JsonNode target =
          await()
              .atMost(Duration.ofSeconds(60))
              .ignoreExceptions()
              .until(
                  () ->
                      JSON.readTree(
                              http.send(
                                      HttpRequest.newBuilder(URI.create(api + "targets")).build(),
                                      HttpResponse.BodyHandlers.ofString())
                                  .body())
                          .get("data")
                          .get("activeTargets")
                          .get(0),
                  t -> !t.get("health").asString().equals("unknown"));
      assertThat(target.get("health").asString()).as(target.toString()).isEqualTo("up");
      assertThat(target.get("lastError").asString()).isEmpty();
      String query =
          http.send(
                  HttpRequest.newBuilder(URI.create(api + "query?query=pipewright_workers"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher states = Pattern.compile("\"state\":\"(\\w+)\"").matcher(query);
      assertThat(states.find()).as(query).isTrue();
    } finally {
      server.destroy();
      server.waitFor();
    }
  }
}
