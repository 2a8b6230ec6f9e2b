package org.pipewright.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Hostile inputs through HTTP, with the default limits: each gets a 4xx that says what was wrong,
 * the service reads no more than it must, and it answers the next request as before. See
 * SECURITY.md for the whole list.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:hostile;DB_CLOSE_DELAY=-1",
      "pipewright.security.admin-token=test-token",
      "pipewright.workers.launcher=none",
      "pipewright.runs.max-jobs=1000"
    })
class HostileInputTests {

  @TempDir static Path folder;

  @DynamicPropertySource
  static void folders(DynamicPropertyRegistry registry) {
    registry.add("pipewright.workspace.root", () -> folder.resolve("workspace").toString());
    registry.add("pipewright.shared-log.file", () -> folder.resolve("shared.log").toString());
  }

  @LocalServerPort int port;

  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  HttpResponse<String> post(String path, String type, HttpRequest.BodyPublisher body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer test-token")
            .header("Content-Type", type)
            .timeout(Duration.ofSeconds(60))
            .POST(body)
            .build(),
        BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer test-token")
            .timeout(Duration.ofSeconds(20))
            .build(),
        BodyHandlers.ofString());
  }

  /** The service still answers as it should: the hostile request left it whole. */
  void stillServes() throws Exception {
    assertThat(get("/api/pipelines").statusCode()).isEqualTo(200);
  }

  @Test
  void aHundredMegabyteBodyIsRefusedWith413WhileItIsStillBeingSent() throws Exception {
    // Chunked, so no Content-Length announces the size: the limit must count what it reads. A
    // writer sends the 100 MB while the answer is read; the service answers long before the end.
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      java.io.OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /api/pipelines HTTP/1.1\r\n"
                  + "Host: 127.0.0.1\r\n"
                  + "Authorization: Bearer test-token\r\n"
                  + "Content-Type: application/yaml\r\n"
                  + "Transfer-Encoding: chunked\r\n"
                  + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      Thread writer =
          Thread.ofVirtual()
              .start(() -> {
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) 'a');
                byte[] size =
                    (Integer.toHexString(chunk.length) + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                try {
                  for (int sent = 0; sent < 100 * 1024 * 1024; sent += chunk.length) {
                    out.write(size);
                    out.write(chunk);
                    out.write('\r');
                    out.write('\n');
                  }
                  out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                  // The service closed the connection after its answer: what we hoped for.
                }
              });

      String head = HttpEdgeTests.readHead(socket.getInputStream());
      writer.join(Duration.ofSeconds(30));

      assertThat(head).startsWith("HTTP/1.1 413");
      assertThat(head).containsIgnoringCase("Content-Type: application/problem+json");
    }
    stillServes();
  }

  @Test
  void jsonNestedAHundredThousandDeepIsRefusedNotFollowed() throws Exception {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    for (String path : List.of("/api/pipelines", "/api/runs", "/api/log")) {
      HttpResponse<String> answer =
          post(
              path,
              "application/json",
              BodyPublishers.ofString("{\"name\": " + deep + "}", StandardCharsets.UTF_8));

      assertThat(answer.statusCode()).as(path + ": " + answer.body()).isBetween(400, 499);
      assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
    stillServes();
  }

  @Test
  void aYamlAliasBombIsRefusedWithoutExpandingIt() throws Exception {
    StringBuilder bomb =
        new StringBuilder("name: bomb\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 10; i++) {
      bomb.append("l").append(i).append(": &l").append(i).append(" [");
      bomb.append(String.join(", ", java.util.Collections.nCopies(9, "*l" + (i - 1))));
      bomb.append("]\n");
    }
    bomb.append("tasks: *l9\n");

    HttpResponse<String> answer =
        post("/api/pipelines", "application/yaml", BodyPublishers.ofString(bomb.toString()));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(413);
    assertThat(answer.body()).contains("definition-too-large").contains("YAML aliases");
    stillServes();
  }

  @Test
  void aRunOrDryRunThatWouldExpandPastTheJobLimitIsRefusedAsTooLarge() throws Exception {
    StringBuilder outputs = new StringBuilder();
    for (int i = 0; i < 600; i++) {
      outputs.append(i == 0 ? "" : ", ").append("f").append(i).append(".txt");
    }
    String yaml =
        """
        name: wide
        tasks:
          - name: make
            originate: {output: [%s]}
            touch: true
          - name: copy
            transform: {input: make, filter: {suffix: .txt}, output: .copy}
            touch: true
        """
            .formatted(outputs);
    assertThat(
            post("/api/pipelines", "application/yaml", BodyPublishers.ofString(yaml)).statusCode())
        .isEqualTo(201);

    for (String path : List.of("/api/runs", "/api/pipelines/wide/plan")) {
      HttpResponse<String> answer =
          post(
              path,
              "application/json",
              BodyPublishers.ofString(
                  path.equals("/api/runs") ? "{\"pipeline\": \"wide\"}" : "{}"));

      assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(413);
      assertThat(answer.body())
          .contains("plan-too-large")
          .contains("more than 1000 jobs (pipewright.runs.max-jobs)");
    }
    assertThat(get("/api/runs?pipeline=wide").body()).as("no run was made").isEqualTo("[]");
    stillServes();
  }

  @Test
  void aHundredThousandTasksAreRefused() throws Exception {
    StringBuilder tasks = new StringBuilder("{\"name\":\"many\",\"tasks\":[");
    for (int i = 0; i < 100_000; i++) {
      tasks
          .append(i == 0 ? "" : ",")
          .append("{\"name\":\"t")
          .append(i)
          .append("\",\"touch\":true}");
    }
    tasks.append("]}");

    HttpResponse<String> answer =
        post("/api/pipelines", "application/json", BodyPublishers.ofString(tasks.toString()));

    // Past the 1 MiB body limit before the 1,000-task limit is reached.
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(413);
    stillServes();
  }

  @Test
  void traversalInAPathParameterFindsNothing() throws Exception {
    List<String> paths =
        List.of(
            "/api/pipelines/..%2F..%2Fetc%2Fpasswd",
            "/api/pipelines/%2e%2e/graph.svg",
            "/api/pipelines/..%252F..%252Fetc",
            "/api/runs/..%2F1",
            "/api/jobs/%2e%2e%2f%2e%2e",
            "/api/locks/..%2Fdata",
            "/api/locks/%2e%2e",
            "/pipelines/..%2F..%2Fetc%2Fpasswd",
            "/runs/%2e%2e%2f1");
    for (String path : paths) {
      HttpResponse<String> answer = get(path);

      assertThat(answer.statusCode()).as(path).isIn(400, 404);
      assertThat(answer.body()).as(path).doesNotContain("root:");
    }
    stillServes();
  }
}
