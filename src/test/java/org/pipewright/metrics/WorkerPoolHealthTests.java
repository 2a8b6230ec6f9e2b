package org.pipewright.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A pool whose workers cannot start is down in the health, and says why. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:broken-pool;DB_CLOSE_DELAY=-1",
      "pipewright.security.admin-token=test-token",
      "pipewright.workers.count=1",
      "pipewright.workers.java-command=/nonexistent/bin/java",
      "pipewright.workers.restart-backoff=50ms",
      "pipewright.workers.max-restart-backoff=200ms"
    })
class WorkerPoolHealthTests {

  @TempDir static Path folder;

  @DynamicPropertySource
  static void folders(DynamicPropertyRegistry registry) {
    registry.add("pipewright.workspace.root", () -> folder.resolve("workspace").toString());
    registry.add("pipewright.workers.directory", () -> folder.resolve("workers").toString());
  }

  @LocalServerPort int port;

  @Test
  void aPoolWhoseWorkersCannotStartIsDownAndSaysWhy() {
    HttpClient http = HttpClient.newHttpClient();
    JsonNode health =
        await()
            .atMost(Duration.ofSeconds(20))
            .ignoreExceptions()
            .until(
                () ->
                    JsonMapper.builder()
                        .build()
                        .readTree(
                            http.send(
                                    HttpRequest.newBuilder(
                                            URI.create(
                                                "http://127.0.0.1:" + port + "/actuator/health"))
                                        .header("Authorization", "Bearer test-token")
                                        .build(),
                                    HttpResponse.BodyHandlers.ofString())
                                .body()),
                h -> h.get("components").get("workerPool").get("status").asString().equals("DOWN"));

    assertThat(health.get("status").asString()).isEqualTo("DOWN");
    assertThat(health.get("components").get("workerPool").get("details").get("reason").asString())
        .contains("could not start");
  }
}
