package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live tail ({@code /api/tail}) of a server that listens to its store, as server-sent events
 * and as a WebSocket. It reads nothing while nobody follows; a browser that starts following gets
 * what is stored from then on.
 */
class LiveTailTest {

  private static final String READER = "hlr_live_tail_reader_key_0123456789";

  private String url;
  private HeartlogServer server;
  private final List<CompletableFuture<HttpResponse<Stream<String>>>> streams = new ArrayList<>();
  private final List<WebSocket> sockets = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    url = TestDatabase.freshUrl();
    Store store = Store.open(url, null, null);
    store.migrate();
    Path keys = Files.createTempDirectory("live-tail-keys").resolve("keys");
    server = HeartlogServer.builder().store(store).keysFile(keys).readerKeys(READER)
        .listenTo(url, null, null).port(0).build().start();
  }

  @AfterEach
  void stop() {
    streams.forEach(stream -> stream.cancel(true));
    sockets.forEach(WebSocket::abort);
    server.close();
  }

  @Test
  void aFollowerGetsWhatIsStoredAfterItStartedAndNothingFromBefore() throws Exception {
    store("stored while nobody followed");
    BlockingQueue<String> events = follow();

    // The subscription is in place once the first record stored after it arrives.
    List<String> received = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (received.isEmpty() && System.nanoTime() < deadline) {
      store("stored while followed");
      String event = events.poll(500, TimeUnit.MILLISECONDS);
      if (event != null) {
        received.add(event);
      }
    }
    events.drainTo(received);

    assertThat(received).isNotEmpty().allSatisfy(event -> assertThat(event).contains("stored while followed"));
  }

  @Test
  void aRecordWhoseTransactionCommitsAfterThousandsOfLaterRecordsStillArrives() throws Exception {
    BlockingQueue<String> events = follow();
    awaitFollowing(events);

    try (Connection late = DriverManager.getConnection(url)) {
      // Its id is given now; its commit comes after 5,000 later records were stored and sent.
      late.setAutoCommit(false);
      try (Statement statement = late.createStatement()) {
        statement.execute("SELECT func_worker_heartbeat_with_logs('gpu-late', NULL, NULL, "
            + "'[{\"level\": \"ERROR\", \"message\": \"committed late\"}]'::jsonb, NULL)");
      }
      try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
        statement.execute("SELECT func_worker_heartbeat_with_logs('gpu-1', NULL, NULL, "
            + "(SELECT jsonb_agg(jsonb_build_object('level', 'INFO', 'message', 'later ' || g)) "
            + "FROM generate_series(1, 5000) g), NULL)");
      }
      assertThat(awaitEvent(events, "later 5000")).as("the later records reached the follower").isTrue();
      late.commit();
    }

    assertThat(awaitEvent(events, "committed late")).isTrue();
  }

  @Test
  void aFollowerOfOneWorkersErrorsGetsOnlyThoseBesideOneWhoFollowsEverything() throws Exception {
    BlockingQueue<String> errors = follow("?level=ERROR&worker=gpu-2");
    awaitFollowing(errors, "gpu-2", "ERROR");
    BlockingQueue<String> everything = follow("");
    awaitFollowing(everything, "gpu-1", "INFO");

    store("gpu-2", "INFO", "routine on gpu-2");
    store("gpu-1", "ERROR", "error on gpu-1");
    store("gpu-2", "CRITICAL", "critical on gpu-2");

    List<String> received = new ArrayList<>();
    assertThat(awaitEvent(errors, "critical on gpu-2", received)).isTrue();
    List<String> all = new ArrayList<>();
    assertThat(awaitEvent(everything, "critical on gpu-2", all)).isTrue();
    // Records in id order: the follower of the errors would have had the others before this one.
    assertThat(withoutProbes(received)).singleElement().asString().contains("critical on gpu-2");
    assertThat(withoutProbes(all)).hasSize(3)
        .satisfiesExactly(
            event -> assertThat(event).contains("routine on gpu-2"),
            event -> assertThat(event).contains("error on gpu-1"),
            event -> assertThat(event).contains("critical on gpu-2"));
  }

  @Test
  void followersOfComponentsGetTheRecordsOfTheirsAndOfThoseBelowIt() throws Exception {
    // Two followers of different components: the store is asked for both, each matches its own.
    BlockingQueue<String> diffusers = follow("?component=diffusers");
    awaitFollowing(diffusers, "gpu-1", "INFO", "diffusers");
    BlockingQueue<String> torch = follow("?component=TORCH");
    awaitFollowing(torch, "gpu-1", "INFO", "torch.cuda");

    store("gpu-1", "INFO", "loaded pipeline", "diffusers.pipelines");
    store("gpu-1", "INFO", "not a diffusers logger", "diffusersx");
    store("gpu-1", "WARNING", "cuda warning", "torch.cuda");
    store("gpu-1", "INFO", "no logger at all", null);
    store("gpu-1", "INFO", "last", "diffusers");
    store("gpu-1", "INFO", "last of torch", "torch");

    List<String> ofDiffusers = new ArrayList<>();
    assertThat(awaitEvent(diffusers, "last", ofDiffusers)).isTrue();
    List<String> ofTorch = new ArrayList<>();
    assertThat(awaitEvent(torch, "last of torch", ofTorch)).isTrue();
    assertThat(withoutProbes(ofDiffusers)).satisfiesExactly(
        event -> assertThat(event).contains("loaded pipeline"),
        event -> assertThat(event).contains("\"last\""));
    assertThat(withoutProbes(ofTorch)).satisfiesExactly(
        event -> assertThat(event).contains("cuda warning"),
        event -> assertThat(event).contains("last of torch"));
  }

  @Test
  void aWebSocketGetsEachNewRecordItWantsAsOneJsonMessage() throws Exception {
    BlockingQueue<String> errors = connect("?level=error&worker=gpu-2&apikey=" + READER);
    awaitFollowing(errors, "gpu-2", "ERROR");

    store("gpu-2", "INFO", "routine on gpu-2");
    store("gpu-1", "ERROR", "error on gpu-1");
    store("gpu-2", "CRITICAL", "critical on gpu-2");

    List<String> received = new ArrayList<>();
    assertThat(awaitEvent(errors, "critical on gpu-2", received)).isTrue();
    assertThat(withoutProbes(received)).singleElement().asString()
        .startsWith("{\"id\":").endsWith("}")
        .contains("\"level\":\"CRITICAL\"", "\"worker_id\":\"gpu-2\"");
  }

  @Test
  void aBrowserThatComesBackAfterAnIdIsSentWhatItMissedThoughTheFleetStoredMuchMore() throws Exception {
    BlockingQueue<String> first = follow("?worker=gpu-3");
    awaitFollowing(first, "gpu-3", "INFO");
    store("gpu-3", "INFO", "seen before the pause");
    List<String> seen = new ArrayList<>();
    assertThat(awaitEvent(first, "seen before the pause", seen)).isTrue();
    long lastId = id(seen.get(seen.size() - 1));
    streams.forEach(stream -> stream.cancel(true));

    store("gpu-3", "INFO", "missed one");
    storeMany("gpu-4", 300);
    store("gpu-3", "WARNING", "missed two");
    BlockingQueue<String> again = follow("?worker=gpu-3&after=" + lastId);

    List<String> missed = new ArrayList<>();
    assertThat(awaitEvent(again, "missed two", missed)).isTrue();
    assertThat(missed).satisfiesExactly(
        event -> assertThat(event).contains("\"missed one\""),
        event -> assertThat(event).contains("\"missed two\""));
  }

  @Test
  void aWebSocketThatComesBackAfterAnIdIsSentWhatItMissed() throws Exception {
    BlockingQueue<String> first = connect("?level=WARNING&apikey=" + READER);
    awaitFollowing(first, "gpu-5", "WARNING");
    store("gpu-5", "ERROR", "seen before the drop");
    List<String> seen = new ArrayList<>();
    assertThat(awaitEvent(first, "seen before the drop", seen)).isTrue();
    long lastId = id(seen.get(seen.size() - 1));
    sockets.forEach(WebSocket::abort);

    store("gpu-5", "WARNING", "missed");
    store("gpu-5", "INFO", "not wanted");
    BlockingQueue<String> again = connect("?level=WARNING&after=" + lastId + "&apikey=" + READER);
    store("gpu-6", "ERROR", "new");

    List<String> received = new ArrayList<>();
    assertThat(awaitEvent(again, "new", received)).isTrue();
    assertThat(withoutProbes(received)).satisfiesExactly(
        event -> assertThat(event).contains("\"missed\""),
        event -> assertThat(event).contains("\"new\""));
  }

  @Test
  void aFollowerThatStopsReadingHoldsUpNoOtherAndIsEnded() throws Exception {
    BlockingQueue<String> ends = new LinkedBlockingQueue<>();
    WebSocket stalled = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/api/tail?apikey=" + READER), new WebSocket.Listener() {
          @Override
          public void onOpen(WebSocket webSocket) {
            // Asks for no message: it reads nothing, and the server's writes to it fill the buffers.
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
    sockets.add(stalled);
    BlockingQueue<String> other = follow("?worker=gpu-watch");
    awaitFollowing(other, "gpu-watch", "INFO");

    // More records than it may fall behind, about 1 KB each: some megabytes fill the buffers.
    int batches = TailSubscriber.QUEUED_RECORDS / 2_000 + 6;
    for (int batch = 0; batch < batches; batch++) {
      try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
        statement.execute("SELECT func_worker_heartbeat_with_logs('gpu-flood', NULL, NULL, "
            + "(SELECT jsonb_agg(jsonb_build_object('level', 'INFO', 'message', 'flood ' || g || repeat('x', 1000))) "
            + "FROM generate_series(1, 2000) g), NULL)");
      }
    }
    store("gpu-watch", "INFO", "after the flood");

    assertThat(awaitEvent(other, "after the flood")).as("the other follower's record arrived").isTrue();
    stalled.request(Long.MAX_VALUE);   // reads what reached it, then its end
    assertThat(ends.poll(30, TimeUnit.SECONDS)).as("the stalled follower was ended").isNotNull();
  }

  @Test
  void aBrowserWhoseStreamDroppedComesBackWithTheLastEventIdItReceived() throws Exception {
    BlockingQueue<String> first = follow("?worker=gpu-7");
    awaitFollowing(first, "gpu-7", "INFO");
    store("gpu-7", "INFO", "seen before the drop");
    List<String> seen = new ArrayList<>();
    assertThat(awaitEvent(first, "seen before the drop", seen)).isTrue();
    long lastId = id(seen.get(seen.size() - 1));
    streams.forEach(stream -> stream.cancel(true));

    store("gpu-7", "WARNING", "missed");
    BlockingQueue<String> again = follow("?worker=gpu-7", "Last-Event-ID", Long.toString(lastId));

    assertThat(awaitEvent(again, "missed")).isTrue();
  }

  @Test
  void theTailRefusesAMissingKeyAndFiltersItCannotReadBeforeItOpens() throws Exception {
    assertThat(handshakeStatus("?worker=gpu-1")).isEqualTo(401);
    assertThat(handshakeStatus("?apikey=hlr_not_a_key_of_this_server_0000000")).isEqualTo(401);
    assertThat(handshakeStatus("?level=LOUD&apikey=" + READER)).isEqualTo(400);
    assertThat(handshakeStatus("?after=yesterday&apikey=" + READER)).isEqualTo(400);

    HttpResponse<String> events = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/tail?level=LOUD"))
            .header("apikey", READER).header("Accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(events.statusCode()).isEqualTo(400);
    assertThat(events.body()).contains("unknown level 'LOUD'");
  }

  @Test
  void aQuietWebSocketIsPingedAndTheServerLeavesNoThreadBehindThatKeepsTheProgramRunning() throws Exception {
    Set<Thread> before = nonDaemonThreads();
    HeartlogServer own = HeartlogServer.builder().store(Store.open(url, null, null))
        .keysFile(Files.createTempDirectory("live-tail-keys").resolve("keys")).readerKeys(READER)
        .listenTo(url, null, null).port(0).build().start();
    BlockingQueue<String> pings = new LinkedBlockingQueue<>();
    WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + own.port() + "/api/tail?apikey=" + READER), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            pings.add("ping");
            return WebSocket.Listener.super.onPing(webSocket, message);
          }
        }).join();
    sockets.add(socket);

    assertThat(pings.poll(TailRoutes.PING_INTERVAL_SECONDS + 10, TimeUnit.SECONDS)).isEqualTo("ping");
    assertThat(socket.isInputClosed()).isFalse();

    own.close();
    await().pollInSameThread().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(nonDaemonThreads())
        .as("threads that would keep a program that closed its server from exiting").isSubsetOf(before));
  }

  private static Set<Thread> nonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(thread -> !thread.isDaemon() && thread.isAlive())
        .collect(Collectors.toSet());
  }

  /** The events but those of the records {@link #awaitFollowing} stored. */
  private static List<String> withoutProbes(List<String> events) {
    return events.stream().filter(event -> !event.contains("subscribed yet?")).toList();
  }

  /** Stores records until the first reaches the follower: its subscription is then in place. */
  private void awaitFollowing(BlockingQueue<String> events) throws Exception {
    awaitFollowing(events, "gpu-1", "INFO");
  }

  /** The same, storing records of this worker and level. */
  private void awaitFollowing(BlockingQueue<String> events, String worker, String level) throws Exception {
    awaitFollowing(events, worker, level, null);
  }

  /** The same, storing records of this worker, level and logger. */
  private void awaitFollowing(BlockingQueue<String> events, String worker, String level, String logger) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      store(worker, level, "subscribed yet?", logger);
      if (events.poll(500, TimeUnit.MILLISECONDS) != null) {
        events.clear();
        return;
      }
    }
    throw new AssertionError("the follower got nothing in 15 s");
  }

  /** Whether an event containing {@code text} arrives within 15 s. */
  private static boolean awaitEvent(BlockingQueue<String> events, String text) throws InterruptedException {
    return awaitEvent(events, text, new ArrayList<>());
  }

  /** Whether an event containing {@code text} arrives within 15 s; every event polled goes to {@code received}. */
  private static boolean awaitEvent(BlockingQueue<String> events, String text, List<String> received)
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
  private BlockingQueue<String> follow() {
    return follow("");
  }

  /** The same for the filters in {@code query} ({@code ?level=ERROR}, say), with headers (name, value, ...). */
  private BlockingQueue<String> follow(String query, String... headers) {
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
  private BlockingQueue<String> connect(String query) {
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

  /** The status a WebSocket handshake to {@code /api/tail} with {@code query} was refused with. */
  private int handshakeStatus(String query) {
    Throwable refused = catchThrowable(() -> connect(query));
    assertThat(refused).isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
    return ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode();
  }

  private static long id(String record) {
    Matcher id = Pattern.compile("\\{\"id\":(\\d+),").matcher(record);
    assertThat(id.find()).as("a record that starts with its id: %s", record).isTrue();
    return Long.parseLong(id.group(1));
  }

  private void storeMany(String worker, int records) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute("SELECT func_worker_heartbeat_with_logs('" + worker + "', NULL, NULL, "
          + "(SELECT jsonb_agg(jsonb_build_object('level', 'INFO', 'message', 'many ' || g)) "
          + "FROM generate_series(1, " + records + ") g), NULL)");
    }
  }

  private void store(String message) throws SQLException {
    store("gpu-1", "INFO", message);
  }

  private void store(String worker, String level, String message) throws SQLException {
    store(worker, level, message, null);
  }

  private void store(String worker, String level, String message, String logger) throws SQLException {
    String metadata = logger == null ? "" : ", \"metadata\": {\"logger\": \"" + logger + "\"}";
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute("SELECT func_worker_heartbeat_with_logs('" + worker + "', NULL, NULL, "
          + "'[{\"level\": \"" + level + "\", \"message\": \"" + message + "\"" + metadata + "}]'::jsonb, NULL)");
    }
  }
}
