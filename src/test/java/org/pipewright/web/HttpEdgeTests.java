package org.pipewright.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP edge as a client meets it on a real server: bearer tokens, the open health check and the
 * body limit for declared and streamed bodies.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:http-edge;DB_CLOSE_DELAY=-1",
      "pipewright.security.admin-token=test-token",
      "pipewright.pipelines.max-body-bytes=65536",
      "pipewright.workers.launcher=none"
    })
@Import(TestEndpoints.class)
class HttpEdgeTests {

  static final int LIMIT = 65536;
  static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort int port;

  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20));
  }

  HttpRequest.Builder authorized(String path) {
    return request(path).header("Authorization", "Bearer test-token");
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  static void assertProblem(HttpResponse<String> response, int status, String type) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
    assertThat(json(response).get("type").asString())
        .isEqualTo("https://pipewright.org/problems/" + type);
  }

  /** A body of unknown length: the client sends it chunked, with no Content-Length. */
  static BodyPublisher streamed(InputStream body) {
    return BodyPublishers.ofInputStream(() -> body);
  }

  @Test
  void requestWithoutTokenIsRefusedWithBearerChallenge() throws Exception {
    HttpResponse<String> response = send(request("/api/test/ok"));

    assertProblem(response, 401, "unauthorized");
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"pipewright\"");
  }

  @Test
  void requestWithWrongTokenIsRefused() throws Exception {
    HttpResponse<String> response =
        send(request("/api/test/ok").header("Authorization", "Bearer test-tokem"));

    assertProblem(response, 401, "unauthorized");
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).contains("error=\"invalid_token\""));
  }

  @Test
  void requestWithOtherSchemeIsRefused() throws Exception {
    HttpResponse<String> response =
        send(request("/api/test/ok").header("Authorization", "Basic dGVzdDp0ZXN0LXRva2Vu"));

    assertProblem(response, 401, "unauthorized");
  }

  @Test
  void requestWithTokenIsServedWithoutSession() throws Exception {
    HttpResponse<String> response = send(authorized("/api/test/ok"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("status").asString()).isEqualTo("ok");
    assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void healthIsOpenButItsDetailsAreNot() throws Exception {
    HttpResponse<String> anonymous = send(request("/actuator/health"));
    HttpResponse<String> admin = send(authorized("/actuator/health"));

    assertThat(anonymous.statusCode()).isEqualTo(200);
    assertThat(json(anonymous).get("status").asString()).isEqualTo("UP");
    assertThat(json(anonymous).has("components")).isFalse();
    assertThat(json(admin).get("components").has("db")).isTrue();
  }

  @Test
  void everythingElseNeedsTheToken() throws Exception {
    for (String path : new String[] {"/", "/actuator", "/actuator/env", "/error", "/dashboard"}) {
      assertProblem(send(request(path)), 401, "unauthorized");
    }
  }

  @Test
  void unknownApiPathWithTokenIs404Problem() throws Exception {
    assertProblem(send(authorized("/api/nothing/here")), 404, "not-found");
  }

  @Test
  void streamedBodyWithinTheLimitIsRead() throws Exception {
    HttpResponse<String> response =
        send(
            authorized("/api/test/bytes")
                .header("Content-Type", "application/octet-stream")
                .POST(streamed(new ByteArrayInputStream(new byte[LIMIT]))));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("length").asInt()).isEqualTo(LIMIT);
  }

  @Test
  void streamedBodyPastTheLimitIs413() throws Exception {
    HttpResponse<String> response =
        send(
            authorized("/api/test/bytes")
                .header("Content-Type", "application/octet-stream")
                .POST(streamed(new ByteArrayInputStream(new byte[LIMIT + 1]))));

    assertProblem(response, 413, "payload-too-large");
  }

  @Test
  void streamedJsonPastTheLimitIs413() throws Exception {
    InputStream body =
        new SequenceInputStream(
            new ByteArrayInputStream("{\"a\": \"".getBytes(StandardCharsets.US_ASCII)),
            new ByteArrayInputStream("x".repeat(3 * LIMIT).getBytes(StandardCharsets.US_ASCII)));

    HttpResponse<String> response =
        send(
            authorized("/api/test/json")
                .header("Content-Type", "application/json")
                .POST(streamed(body)));

    assertProblem(response, 413, "payload-too-large");
  }

  @Test
  void declaredHugeBodyIsRefusedBeforeItIsSent() throws Exception {
    // Claims 10 GB and sends none of it: only a limit that trusts Content-Length can answer.
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /api/test/bytes HTTP/1.1\r\n"
                  + "Host: 127.0.0.1\r\n"
                  + "Authorization: Bearer test-token\r\n"
                  + "Content-Type: application/octet-stream\r\n"
                  + "Content-Length: 10000000000\r\n"
                  + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();

      String head = readHead(socket.getInputStream());

      assertThat(head).startsWith("HTTP/1.1 413");
      assertThat(head).containsIgnoringCase("Content-Type: application/problem+json");
      assertThat(head).containsIgnoringCase("Connection: close");
    }
  }

  @Test
  void oversizedBodyIsRefusedEvenBeforeAuthentication() throws Exception {
    HttpResponse<String> response =
        send(
            request("/api/test/bytes")
                .header("Content-Type", "application/octet-stream")
                .POST(BodyPublishers.ofByteArray(new byte[LIMIT + 1])));

    assertProblem(response, 413, "payload-too-large");
  }

  /** The status line and headers of an answer read from a raw socket. */
  static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      head.append((char) b);
      if (head.toString().endsWith("\r\n\r\n")) {
        break;
      }
    }
    return head.toString();
  }
}
