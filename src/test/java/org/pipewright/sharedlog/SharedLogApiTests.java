package org.pipewright.sharedlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shared log through HTTP, as workers, curl and readers use it: batches land whole and
 * contiguous in the database and the rolling file, resends are stored once, every mistake is a 4xx
 * problem that says what is wrong.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:shared-log-api;DB_CLOSE_DELAY=-1",
      "pipewright.security.admin-token=test-token",
      "pipewright.workers.launcher=none",
      "pipewright.shared-log.max-file-size=4KB",
      "pipewright.shared-log.backups=3",
      "pipewright.shared-log.max-message-chars=1000",
      "pipewright.shared-log.max-body-size=256KB",
      "pipewright.shared-log.retention=1d"
    })
class SharedLogApiTests {

  static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path folder;

  @DynamicPropertySource
  static void folders(DynamicPropertyRegistry registry) {
    registry.add("pipewright.workspace.root", () -> folder.resolve("workspace").toString());
    registry.add("pipewright.shared-log.file", () -> folder.resolve("logs/shared.log").toString());
  }

  @LocalServerPort int port;
  @Autowired LogRetention retention;

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** Each test writes under its own source names, so tests do not see each other's records. */
  String source;

  @BeforeEach
  void name(org.junit.jupiter.api.TestInfo info) {
    source = info.getTestMethod().orElseThrow().getName();
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return post(path, body.getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<String> post(String path, byte[] body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer test-token")
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofByteArray(body))
            .build(),
        BodyHandlers.ofString());
  }

  JsonNode get(String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer test-token")
                .build(),
            BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  static String record(String source, long seq, String message) {
    return "{\"level\":\"INFO\",\"source\":\"%s\",\"seq\":%d,\"message\":%s}"
        .formatted(source, seq, JSON.writeValueAsString(message));
  }

  static String batch(String source, long firstSeq, List<String> messages) {
    List<String> records = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      records.add(record(source, firstSeq + i, messages.get(i)));
    }
    return "{\"records\":[" + String.join(",", records) + "]}";
  }

  long[] seqs(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode seqs = JSON.readTree(response.body()).get("seqs");
    long[] result = new long[seqs.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = seqs.get(i).asLong();
    }
    return result;
  }

  List<JsonNode> all(String query) throws Exception {
    List<JsonNode> records = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonNode page = get("/api/logs?limit=500&after=" + after + query);
      page.get("records").forEach(records::add);
      if (page.get("records").isEmpty()) {
        return records;
      }
      after = page.get("next").asLong();
    }
  }

  List<String> fileLines() throws Exception {
    List<Path> files;
    try (Stream<Path> list = Files.list(folder.resolve("logs"))) {
      files = list.sorted().toList();
    }
    // Oldest first: shared.log.3, .2, .1, then shared.log.
    List<String> lines = new ArrayList<>();
    for (int i = files.size() - 1; i >= 0; i--) {
      if (!files.get(i).getFileName().toString().equals("shared.log")) {
        lines.addAll(Files.readAllLines(files.get(i)));
      }
    }
    lines.addAll(Files.readAllLines(folder.resolve("logs/shared.log")));
    return lines;
  }

  @Test
  void aBatchTakesConsecutiveSequenceNumbersAndReadsBackInOrder() throws Exception {
    long[] seqs = seqs(post("/api/log", batch(source, 1, List.of("one", "two", "three"))));

    assertThat(seqs).hasSize(3);
    assertThat(seqs[1]).isEqualTo(seqs[0] + 1);
    assertThat(seqs[2]).isEqualTo(seqs[0] + 2);
    List<JsonNode> records = all("&source=" + source);
    assertThat(records)
        .extracting(r -> r.get("message").asString())
        .containsExactly("one", "two", "three");
    assertThat(records.getFirst().get("level").asString()).isEqualTo("INFO");
    assertThat(records.getFirst().get("seq").asLong()).isEqualTo(seqs[0]);
    assertThat(fileLines())
        .anySatisfy(
            line -> assertThat(line).contains("#" + seqs[0] + " [" + source + "]").endsWith("one"));
  }

  @Test
  void aResentBatchIsStoredOnceAndAnsweredWithTheSameNumbers() throws Exception {
    String body = batch(source, 7, List.of("a", "b"));
    long[] first = seqs(post("/api/log", body));
    long[] again = seqs(post("/api/log", body));
    // Overlapping: one old record, one new.
    long[] overlap = seqs(post("/api/log", batch(source, 8, List.of("b", "c"))));

    assertThat(again).containsExactly(first);
    assertThat(overlap[0]).isEqualTo(first[1]);
    assertThat(overlap[1]).isGreaterThan(first[1]);
    assertThat(all("&source=" + source))
        .extracting(r -> r.get("message").asString())
        .containsExactly("a", "b", "c");
  }

  @Test
  void parallelWritersNeverInterleaveAndEveryLineIsStoredOnce() throws Exception {
    int writers = 4;
    int batches = 25;
    int lines = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      String writer = source + "-" + w;
      done.add(
          pool.submit(() -> {
            for (int b = 0; b < batches; b++) {
              List<String> entry = new ArrayList<>();
              for (int l = 0; l < lines; l++) {
                entry.add(writer + " entry " + b + " line " + l);
              }
              seqs(post("/api/log", batch(writer, (long) b * lines, entry)));
            }
            return null;
          }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();

    List<String> stored = new ArrayList<>();
    for (JsonNode r : all("&q=" + source + "-")) {
      stored.add(r.get("message").asString());
    }
    assertThat(stored).hasSize(writers * batches * lines).doesNotHaveDuplicates();
    assertEntriesContiguous(stored, lines);
    List<String> inFile = new ArrayList<>();
    for (String line : fileLines()) {
      if (line.contains("[" + source + "-") && line.contains(" entry ")) {
        inFile.add(line.substring(line.indexOf("] ") + 2));
      }
    }
    // The file keeps only the newest files; whatever it kept is whole and in the same order.
    assertThat(inFile).isNotEmpty();
    assertThat(stored)
        .containsSubsequence(
            inFile.subList(inFile.size() - Math.min(inFile.size(), 16), inFile.size()));
  }

  /** Lines "w entry b line l": each entry's lines follow each other, 0 to n-1. */
  static void assertEntriesContiguous(List<String> lines, int perEntry) {
    for (int i = 0; i < lines.size(); i += perEntry) {
      String head = lines.get(i);
      String entry = head.substring(0, head.indexOf(" line "));
      for (int l = 0; l < perEntry; l++) {
        assertThat(lines.get(i + l)).isEqualTo(entry + " line " + l);
      }
    }
  }

  @Test
  void theFileRollsOverAndKeepsTheConfiguredNumberOfBackups() throws Exception {
    String line = "x".repeat(200);
    for (int b = 0; b < 20; b++) {
      List<String> entry = new ArrayList<>();
      for (int l = 0; l < 10; l++) {
        entry.add(line);
      }
      seqs(post("/api/log", batch(source, b * 10L, entry)));
    }
    Set<String> names = new HashSet<>();
    try (Stream<Path> list = Files.list(folder.resolve("logs"))) {
      list.forEach(p -> names.add(p.getFileName().toString()));
    }
    assertThat(names)
        .containsExactlyInAnyOrder("shared.log", "shared.log.1", "shared.log.2", "shared.log.3");
    // 4 KB files, a line over 200 bytes: a rolled file stays near its limit.
    assertThat(Files.size(folder.resolve("logs/shared.log.1")))
        .isBetween(3_000L, 4_096L + 8_192L + 400L);
  }

  @Test
  void aMessageOverTheLimitIsCutWithAMarkerNotDropped() throws Exception {
    seqs(post("/api/log", batch(source, 1, List.of("y".repeat(1500)))));

    String stored = all("&source=" + source).getFirst().get("message").asString();
    assertThat(stored).startsWith("y".repeat(1000)).endsWith("... [truncated 500 chars]");
  }

  @Test
  void readersFilterByLevelTextAndSourceAndPageWithTheCursor() throws Exception {
    post(
        "/api/log",
        "{\"records\":[{\"level\":\"debug\",\"source\":\"%s\",\"message\":\"quiet\"},{\"level\":\"WARNING\",\"source\":\"%s\",\"message\":\"Loud <b>x</b>\"},{\"level\":\"error\",\"source\":\"%s\",\"message\":\"worst\"}]}"
            .formatted(source, source, source));

    assertThat(all("&source=" + source + "&level=warn"))
        .extracting(r -> r.get("level").asString())
        .containsExactly("WARN", "ERROR");
    assertThat(all("&source=" + source + "&q=LOUD"))
        .extracting(r -> r.get("message").asString())
        .containsExactly("Loud <b>x</b>");
    JsonNode first = get("/api/logs?limit=1&source=" + source);
    JsonNode second =
        get("/api/logs?limit=1&source=" + source + "&after=" + first.get("next").asLong());
    assertThat(second.get("records").get(0).get("message").asString()).isEqualTo("Loud <b>x</b>");
  }

  @Test
  void recordsMayNameARunAndJobThatExistAndNoOthers() throws Exception {
    HttpResponse<String> unknownRun =
        post(
            "/api/log",
            "{\"records\":[{\"level\":\"INFO\",\"source\":\"s\",\"message\":\"m\",\"runId\":999999}]}");
    HttpResponse<String> unknownJob =
        post(
            "/api/log",
            "{\"records\":[{\"level\":\"INFO\",\"source\":\"s\",\"message\":\"m\",\"jobId\":999999}]}");

    assertProblem(unknownRun, 422, "invalid-log-record", "records[0].runId", "no run 999999");
    assertProblem(unknownJob, 422, "invalid-log-record", "records[0].jobId", "no job 999999");
  }

  @Test
  void badRecordsAreRefusedWithTheFieldAndNothingIsStored() throws Exception {
    HttpResponse<String> badLevel =
        post(
            "/api/log",
            "{\"records\":["
                + record(source, 1, "fine")
                + ",{\"level\":\"LOUD\",\"source\":\"%s\",\"message\":\"m\"}]}".formatted(source));
    assertProblem(badLevel, 422, "invalid-log-record", "records[1].level", "'LOUD' is not a level");
    assertProblem(post("/api/log", "{}"), 422, "invalid-log-record", "records", "required");
    assertProblem(
        post(
            "/api/log",
            "{\"records\":[{\"level\":\"INFO\",\"source\":\"a b\",\"message\":\"m\"}]}"),
        422,
        "invalid-log-record",
        "records[0].source",
        "not a source name");
    assertProblem(
        post(
            "/api/log",
            "{\"records\":[{\"level\":\"INFO\",\"source\":\"s\",\"message\":\"m\",\"time\":\"yesterday\"}]}"),
        422,
        "invalid-log-record",
        "records[0].time",
        "not a time");
    assertProblem(
        post("/api/log", "{\"records\":[" + record(source, 2, "m") + "],\"lock\":\"logging\"}"),
        422,
        "invalid-log-record",
        "token",
        "go together");
    assertProblem(
        post(
            "/api/log",
            "{\"records\":[{\"level\":\"INFO\",\"source\":\"s\",\"message\":\"m\",\"time\":\"+999999999-12-31T23:59:59-18:00\"}]}"),
        422,
        "invalid-log-record",
        "records[0].time",
        "between the years 1 and 9999");
    assertThat(all("&source=" + source)).isEmpty();
  }

  @Test
  void aNulCharacterIsStoredAsAReplacementCharacter() throws Exception {
    seqs(post("/api/log", batch(source, 1, List.of("before\u0000after"))));

    assertThat(all("&source=" + source).getFirst().get("message").asString())
        .isEqualTo("before\uFFFDafter");
  }

  @Test
  void aBodyThatIsNotJsonOrNotUtf8OrTooLargeIsA4xx() throws Exception {
    byte[] invalidUtf8 =
        ("{\"records\":[{\"level\":\"INFO\",\"source\":\"s\",\"message\":\"bad \u0000\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    int at = new String(invalidUtf8, StandardCharsets.UTF_8).indexOf("bad ") + 4;
    invalidUtf8[at] = (byte) 0xC3;
    invalidUtf8[at + 1] = (byte) 0x28;

    HttpResponse<String> notUtf8 = post("/api/log", invalidUtf8);
    HttpResponse<String> notJson = post("/api/log", "records: yes");
    HttpResponse<String> tooLarge =
        post("/api/log", batch(source, 1, List.of("z".repeat(300_000))));

    assertThat(notUtf8.statusCode()).as(notUtf8.body()).isEqualTo(400);
    assertThat(notUtf8.body()).containsIgnoringCase("utf-8");
    assertThat(notJson.statusCode()).as(notJson.body()).isEqualTo(400);
    assertThat(tooLarge.statusCode()).as(tooLarge.body()).isEqualTo(413);
  }

  @Test
  void anAppendUnderALockGrantThatIsNotCurrentIsRefused() throws Exception {
    HttpResponse<String> stale =
        post(
            "/api/log",
            "{\"records\":[" + record(source, 1, "late") + "],\"lock\":\"logging\",\"token\":1}");

    assertProblem(stale, 409, "lock-not-held", null, "not the current grant");
    assertThat(all("&source=" + source)).isEmpty();
  }

  @Test
  void aRunsLogsOfAnUnknownRunAre404() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/runs/999999/logs"))
                .header("Authorization", "Bearer test-token")
                .build(),
            BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(404);
  }

  @Test
  void recordsPastTheRetentionAreDeleted() throws Exception {
    post(
        "/api/log",
        "{\"records\":[{\"level\":\"INFO\",\"source\":\"%s\",\"message\":\"old\",\"time\":\"%s\"},{\"level\":\"INFO\",\"source\":\"%s\",\"message\":\"new\"}]}"
            .formatted(source, Instant.now().minus(Duration.ofDays(3)), source));

    assertThat(retention.purge()).isGreaterThanOrEqualTo(1);
    assertThat(all("&source=" + source))
        .extracting(r -> r.get("message").asString())
        .containsExactly("new");
  }

  @Test
  void theStreamFollowsNewRecordsAndResumesAfterTheLastEventId() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/logs/stream?source=" + source))
            .header("Authorization", "Bearer test-token")
            .header("Accept", "text/event-stream")
            .build();
    HttpResponse<InputStream> stream = http.send(request, BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/event-stream");
    long[] seqs;
    List<Map<String, String>> events;
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      seqs = seqs(post("/api/log", batch(source, 1, List.of("live 1", "live 2"))));
      events = readEvents(reader, 2);
    }
    assertThat(events)
        .extracting(e -> e.get("id"))
        .containsExactly(Long.toString(seqs[0]), Long.toString(seqs[1]));
    assertThat(events.get(0).get("data")).contains("\"message\":\"live 1\"");

    seqs(post("/api/log", batch(source, 3, List.of("while away"))));
    HttpResponse<InputStream> resumed =
        http.send(
            HttpRequest.newBuilder(request.uri())
                .header("Authorization", "Bearer test-token")
                .header("Last-Event-ID", Long.toString(seqs[1]))
                .build(),
            BodyHandlers.ofInputStream());
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(resumed.body(), StandardCharsets.UTF_8))) {
      assertThat(readEvents(reader, 1).getFirst().get("data")).contains("while away");
    }
  }

  static List<Map<String, String>> readEvents(BufferedReader reader, int count) throws Exception {
    List<Map<String, String>> events = new ArrayList<>();
    Map<String, String> event = new HashMap<>();
    String line;
    while (events.size() < count && (line = reader.readLine()) != null) {
      if (line.isEmpty()) {
        if (event.containsKey("data")) {
          events.add(event);
        }
        event = new HashMap<>();
      } else if (!line.startsWith(":")) {
        int colon = line.indexOf(':');
        event.merge(
            line.substring(0, colon), line.substring(colon + 1).strip(), (a, b) -> a + "\n" + b);
      }
    }
    return events;
  }

  static void assertProblem(
      HttpResponse<String> response, int status, String type, String field, String text) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("type").asString()).endsWith("/" + type);
    assertThat(response.body()).contains(text);
    if (field != null) {
      assertThat(response.body()).contains("\"" + field + "\"");
    }
  }
}
