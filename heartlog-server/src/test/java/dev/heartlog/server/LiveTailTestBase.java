package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A server that listens to a fresh store, with what the live tail's tests do to it: store
 * records, follow {@code /api/tail} over server-sent events or a WebSocket, and wait for what
 * arrives.
 */
abstract class LiveTailTestBase {

  static final String READER = "hlr_live_tail_reader_key_0123456789";

  final List<CompletableFuture<HttpResponse<Stream<String>>>> streams = new ArrayList<>();
  final List<WebSocket> sockets = new ArrayList<>();

  /** Records per heartbeat of {@link #flood}. */
  static final int FLOOD_BATCH = 2_000;

  String url;
  HeartlogServer server;
  private Store store;
  private Path keys;

  @BeforeEach
  void start() throws IOException {
    url = TestDatabase.migratedUrl();
    store = Store.open(url, null, null);
    keys = Files.createTempDirectory("live-tail-keys").resolve("keys");
    server = serverSettings().build().start();
  }

  private HeartlogServerBuilder serverSettings() {
    return HeartlogServer.builder().store(store).keysFile(keys).readerKeys(READER).listenTo(url, null, null).port(0);
  }

  /** Replaces the server by one whose event streams are sent a keep-alive after {@code quiet} without a record. */
  void restartWithTailKeepAlive(Duration quiet) throws IOException {
    server.close();
    server = serverSettings().tailKeepAlive(quiet).build().start();
  }

  /** Replaces the server by one whose live tail queues at most {@code records} for its followers together. */
  void restartWithTailMaxQueued(int records) throws IOException {
    server.close();
    server = serverSettings().tailMaxQueued(records).build().start();
  }

  @AfterEach
  void stop() {
    streams.forEach(stream -> stream.cancel(true));
    sockets.forEach(WebSocket::abort);
    server.close();
  }

  /**
   * Follows the worker's records over an event stream until the one with {@code text} arrives,
   * then drops the stream; returns that record's id, the last the browser had.
   */
  long followUntilAndDrop(String worker, String text) throws Exception {
    BlockingQueue<String> first = follow("?worker=" + worker);
    awaitFollowing(first, worker, "INFO");
    long id = storeAndAwaitId(first, worker, "INFO", text);
    streams.forEach(stream -> stream.cancel(true));
    return id;
  }

  /** Stores a record, waits for the follower to get it, and returns its id. */
  long storeAndAwaitId(BlockingQueue<String> events, String worker, String level, String message) throws Exception {
    store(worker, level, message);
    List<String> seen = new ArrayList<>();
    assertThat(awaitEvent(events, message, seen)).as("the follower got \"%s\"", message).isTrue();
    return id(seen.get(seen.size() - 1));
  }

  /** The events but those of the records {@link #awaitFollowing} stored. */
  static List<String> withoutProbes(List<String> events) {
    return events.stream().filter(event -> !event.contains("subscribed yet?")).toList();
  }

  /** Stores records until the first reaches the follower: its subscription is then in place. */
  void awaitFollowing(BlockingQueue<String> events) throws Exception {
    awaitFollowing(events, "gpu-1", "INFO");
  }

  /** The same, storing records of this worker and level. */
  void awaitFollowing(BlockingQueue<String> events, String worker, String level) throws Exception {
    awaitFollowing(events, worker, level, null);
  }

  /** The same, storing records of this worker, level and logger. */
  void awaitFollowing(BlockingQueue<String> events, String worker, String level, String logger) throws Exception {
    awaitFollowingWithMetadata(events, worker, level, logger == null ? null : "{\"logger\": \"" + logger + "\"}");
  }

  /** The same, storing records of this worker, level and metadata (a JSON object). */
  void awaitFollowingWithMetadata(BlockingQueue<String> events, String worker, String level, String metadataJson)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      storeWithMetadata(worker, level, "subscribed yet?", metadataJson);
      if (events.poll(500, TimeUnit.MILLISECONDS) != null) {
        events.clear();
        return;
      }
    }
    throw new AssertionError("the follower got nothing in 15 s");
  }

  /** Whether an event containing {@code text} arrives within 15 s. */
  static boolean awaitEvent(BlockingQueue<String> events, String text) throws InterruptedException {
    return awaitEvent(events, text, new ArrayList<>());
  }

  /** Whether an event containing {@code text} arrives within 15 s; every event polled goes to {@code received}. */
  static boolean awaitEvent(BlockingQueue<String> events, String text, List<String> received)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      String event = events.poll(200, TimeUnit.MILLISECONDS);
      if (event != null) {
        received.add(event);
        if (event.contains("\"" + text + "\"")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The data lines of an {@code /api/tail} stream, as they arrive. */
  BlockingQueue<String> follow() {
    return follow("");
  }

  /** The same for the filters in {@code query} ({@code ?level=ERROR}, say), with headers (name, value, ...). */
  BlockingQueue<String> follow(String query, String... headers) {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/tail" + query))
        .header("apikey", READER).header("Authorization", "Bearer " + READER)
        .header("Accept", "text/event-stream");
    HttpRequest request = (headers.length == 0 ? builder : builder.headers(headers)).build();
    // HTTP/1.1: the client's default first asks plain HTTP to upgrade to HTTP/2, which the
    // server's event stream does not answer.
    CompletableFuture<HttpResponse<Stream<String>>> stream = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1).build()
        .sendAsync(request, HttpResponse.BodyHandlers.ofLines());
    streams.add(stream);
    stream.thenAccept(response -> response.body()
        .filter(line -> line.startsWith("data:"))
        .forEach(events::add));
    return events;
  }

  /** The messages of a WebSocket to {@code /api/tail}, as they arrive. */
  BlockingQueue<String> connect(String query) {
    BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/api/tail" + query), new WebSocket.Listener() {
          private final StringBuilder message = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
              messages.add(message.toString());
              message.setLength(0);
            }
            webSocket.request(1);
            return null;
          }
        }).join();
    sockets.add(socket);
    return messages;
  }

  /**
   * A WebSocket follower of everything that reads nothing until asked, so the server's writes to
   * it fill the buffers; how it ended ("code reason", or "error ...") goes to {@code ends}.
   */
  WebSocket stalledFollower(BlockingQueue<String> ends) {
    return stalledFollower("?apikey=" + READER, ends);
  }

  /** The same with the filters in {@code query}, the key among them. */
  WebSocket stalledFollower(String query, BlockingQueue<String> ends) {
    WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/api/tail" + query), new WebSocket.Listener() {
          @Override
          public void onOpen(WebSocket webSocket) {
            // Asks for no message.
          }

          @Override
          public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ends.add(statusCode + " " + reason);
            return null;
          }

          @Override
          public void onError(WebSocket webSocket, Throwable error) {
            ends.add("error " + error);
          }
        }).join();
    sockets.add(socket);
    return socket;
  }

  /** Stores {@code batches} heartbeats of {@value #FLOOD_BATCH} records of about 1 KB each, of worker gpu-flood. */
  void flood(int batches) throws SQLException {
    for (int batch = 0; batch < batches; batch++) {
      try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
        statement.execute("SELECT func_worker_heartbeat_with_logs('gpu-flood', NULL, NULL, "
            + "(SELECT jsonb_agg(jsonb_build_object('level', 'INFO', 'message', 'flood ' || g || repeat('x', 1000))) "
            + "FROM generate_series(1, " + FLOOD_BATCH + ") g), NULL)");
      }
    }
  }

  /** The status a WebSocket handshake to {@code /api/tail} with {@code query} was refused with. */
  int handshakeStatus(String query) {
    Throwable refused = catchThrowable(() -> connect(query));
    assertThat(refused).isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
    return ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode();
  }

  static long id(String record) {
    Matcher id = Pattern.compile("\\{\"id\":(\\d+),").matcher(record);
    assertThat(id.find()).as("a record that starts with its id: %s", record).isTrue();
    return Long.parseLong(id.group(1));
  }

  void storeMany(String worker, int records) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute("SELECT func_worker_heartbeat_with_logs('" + worker + "', NULL, NULL, "
          + "(SELECT jsonb_agg(jsonb_build_object('level', 'INFO', 'message', 'many ' || g)) "
          + "FROM generate_series(1, " + records + ") g), NULL)");
    }
  }

  void store(String message) throws SQLException {
    store("gpu-1", "INFO", message);
  }

  void store(String worker, String level, String message) throws SQLException {
    store(worker, level, message, null);
  }

  void store(String worker, String level, String message, String logger) throws SQLException {
    storeWithMetadata(worker, level, message, logger == null ? null : "{\"logger\": \"" + logger + "\"}");
  }

  /** Stores a record of this worker and level, with this metadata (a JSON object) or none. */
  void storeWithMetadata(String worker, String level, String message, String metadataJson) throws SQLException {
    String metadata = metadataJson == null ? "" : ", \"metadata\": " + metadataJson;
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute("SELECT func_worker_heartbeat_with_logs('" + worker + "', NULL, NULL, "
          + "'[{\"level\": \"" + level + "\", \"message\": \"" + message + "\"" + metadata + "}]'::jsonb, NULL)");
    }
  }
}
