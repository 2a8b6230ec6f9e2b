package org.pipewright.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A test's socket on the lock channel: sends messages, and waits for the answer to each. */
final class ChannelSocket implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final WebSocket socket;
  private final LinkedBlockingQueue<JsonNode> arrived;
  private final CompletableFuture<Integer> closed;
  private final List<JsonNode> early = new ArrayList<>();

  private ChannelSocket(
      WebSocket socket, LinkedBlockingQueue<JsonNode> arrived, CompletableFuture<Integer> closed) {
    this.socket = socket;
    this.arrived = arrived;
    this.closed = closed;
  }

  static ChannelSocket open(int port, String token) throws Exception {
    return open(port, token, null);
  }

  /** Opens a socket as a browser page of {@code origin} would. */
  static ChannelSocket open(int port, String token, String origin) throws Exception {
    LinkedBlockingQueue<JsonNode> arrived = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    StringBuilder partial = new StringBuilder();
    WebSocket.Builder builder =
        HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + token);
    if (origin != null) {
      builder.header("Origin", origin);
    }
    WebSocket socket =
        builder
            .buildAsync(
                URI.create("ws://127.0.0.1:" + port + "/api/lock-channel"),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(
                      WebSocket webSocket, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                      arrived.add(JSON.readTree(partial.toString()));
                      partial.setLength(0);
                    }
                    webSocket.request(1);
                    return null;
                  }

                  @Override
                  public CompletionStage<?> onClose(
                      WebSocket webSocket, int statusCode, String reason) {
                    closed.complete(statusCode);
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    return new ChannelSocket(socket, arrived, closed);
  }

  void send(String json) throws Exception {
    socket.sendText(json, true).get(10, TimeUnit.SECONDS);
  }

  /** The answer to message {@code id}, keeping any other that comes first for later. */
  JsonNode answer(long id) throws Exception {
    for (JsonNode kept : early) {
      if (kept.path("id").asLong(-1) == id) {
        early.remove(kept);
        return kept;
      }
    }
    while (true) {
      JsonNode next = arrived.poll(15, TimeUnit.SECONDS);
      assertThat(next).as("answer to message " + id).isNotNull();
      if (next.path("id").asLong(-1) == id) {
        return next;
      }
      early.add(next);
    }
  }

  /** The next answer, whatever it answers. */
  JsonNode next() throws Exception {
    if (!early.isEmpty()) {
      return early.remove(0);
    }
    JsonNode next = arrived.poll(15, TimeUnit.SECONDS);
    assertThat(next).as("an answer").isNotNull();
    return next;
  }

  /** Whether an answer comes within {@code ms}. */
  boolean quietFor(long ms) throws Exception {
    return early.isEmpty() && arrived.poll(ms, TimeUnit.MILLISECONDS) == null;
  }

  /** The status the server closed the socket with, once it has. */
  int closedByServer() throws Exception {
    return closed.get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
    }
  }
}
