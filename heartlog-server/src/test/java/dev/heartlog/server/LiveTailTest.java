package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live tail ({@code /api/tail}) of a server that listens to its store. It reads nothing while
 * nobody follows; a browser that starts following gets what is stored from then on.
 */
class LiveTailTest {

  private static final String READER = "hlr_live_tail_reader_key_0123456789";

  private String url;
  private HeartlogServer server;
  private final List<CompletableFuture<HttpResponse<Stream<String>>>> streams = new ArrayList<>();

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

  /** The same for the filters in {@code query} ({@code ?level=ERROR}, say). */
  private BlockingQueue<String> follow(String query) {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/tail" + query))
        .header("apikey", READER).header("Authorization", "Bearer " + READER)
        .header("Accept", "text/event-stream").build();
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
