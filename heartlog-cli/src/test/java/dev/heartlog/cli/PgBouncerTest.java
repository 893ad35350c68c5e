package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.server.HeartlogServer;
import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import dev.heartlog.store.TestPgBouncer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The command line and {@code heartlog serve} through a real PgBouncer, which refuses a
 * connection that sets a startup option. In transaction mode it hands each transaction whichever
 * backend is free, so a statement prepared by name on one backend is missing, or another one, on
 * the next; and a {@code LISTEN} does not stay.
 */
@Timeout(120)
class PgBouncerTest {

  private static final String WRITER = "hlw_pooled_writer_key_0123456789";
  private static final String READER = "hlr_pooled_reader_key_0123456789";

  @Test
  void commandsReadThroughAPoolerInTransactionMode() throws Exception {
    String url = storeWithOneRecord();
    try (TestPgBouncer pgbouncer = TestPgBouncer.start(url, "transaction")) {
      Cli.Result logs = Cli.run("logs", "--worker", "bounced", "--db-url", pgbouncer.url());
      Cli.Result workers = Cli.run("workers", "--db-url", pgbouncer.url());

      assertThat(logs.exitCode()).as(logs.err()).isZero();
      assertThat(logs.out()).contains("through the pooler");
      assertThat(workers.exitCode()).as(workers.err()).isZero();
      assertThat(workers.out()).contains("bounced");
    }
  }

  @Test
  void followPrintsNewRecordsThroughAPoolerInTransactionMode() throws Exception {
    String url = storeWithOneRecord();
    try (TestPgBouncer pgbouncer = TestPgBouncer.start(url, "transaction")) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      Thread follower = new Thread(() -> Main.commandLine()
          .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
          .execute("logs", "--follow", "--db-url", pgbouncer.url()));
      follower.start();
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("through the pooler"));
        for (int i = 1; i <= 20; i++) {
          store(url, "followed " + i);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("followed 20"));
        assertThat(out.toString().lines().filter(line -> line.contains("followed "))).hasSize(20);
        assertThat(err.toString()).isEmpty();
      } finally {
        follower.interrupt();
        follower.join(10_000);
      }
    }
  }

  /**
   * Many requests at once reuse the server's pooled connections while PgBouncer spreads their
   * transactions over its two backends: with statements prepared by name, about a third of 400
   * failed ("bind message supplies 9 parameters, but prepared statement "S_22" requires 15").
   */
  @Test
  void serveStoresReadsAndTailsThroughAPoolerInTransactionMode() throws Exception {
    String url = storeWithOneRecord();
    try (TestPgBouncer pgbouncer = TestPgBouncer.start(url, "transaction")) {
      try (StoreOptions.Opened opened = openPooled(pgbouncer.url());
          HeartlogServer server = HeartlogServer.builder().store(opened.store())
              .listenTo(opened.jdbcUrl(), null, null)
              .keysFile(Files.createTempDirectory("pooled-keys").resolve("keys"))
              .writerKeys(WRITER).readerKeys(READER)
              .port(0).build().start()) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = "http://127.0.0.1:" + server.port();
        BlockingQueue<String> tail = new LinkedBlockingQueue<>();
        http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/tail?worker=bounced-3"))
                .header("apikey", READER).header("Accept", "text/event-stream").build(),
            HttpResponse.BodyHandlers.ofLines())
            .thenAccept(response -> response.body().filter(line -> line.startsWith("data:")).forEach(tail::add));
        // The subscription is in place once a record stored after it arrives.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (tail.poll(500, TimeUnit.MILLISECONDS) == null && System.nanoTime() < deadline) {
          post(http, base, "bounced-3", "tail check");
        }

        AtomicInteger answered = new AtomicInteger();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        for (int i = 1; i <= 400; i++) {
          int request = i;
          clients.submit(() -> {
            try {
              HttpResponse<String> stored = post(http, base, "bounced-" + request % 8, "served " + request);
              HttpResponse<String> read = get(http, base + "/api/logs?worker=bounced-" + request % 8 + "&limit=5");
              if (stored.statusCode() == 200 && read.statusCode() == 200) {
                answered.incrementAndGet();
              } else {
                failures.merge(stored.statusCode() + " " + stored.body() + " / " + read.statusCode(), 1, Integer::sum);
              }
            } catch (Exception e) {
              failures.merge(e.toString(), 1, Integer::sum);
            }
          });
        }
        clients.shutdown();
        assertThat(clients.awaitTermination(90, TimeUnit.SECONDS)).isTrue();

        assertThat(failures).isEmpty();
        assertThat(answered).hasValue(400);
        assertThat(served(url)).isEqualTo(400);
        // LISTEN does not stay on a backend of a pooler in transaction mode: the tail finds the
        // records by its poll instead, all 50 of worker bounced-3.
        await().atMost(Duration.ofSeconds(20)).until(() -> tail.stream().filter(e -> e.contains("served ")).count() >= 50);
        assertThat(tail.stream().filter(event -> event.contains("served "))).hasSize(50)
            .allSatisfy(event -> assertThat(event).contains("\"worker_id\":\"bounced-3\""));
      }
    }
  }

  @Test
  void behindAPoolerTheServersPoolSendsOnlyUnnamedStatements() throws Exception {
    String url = storeWithOneRecord();
    try (TestPgBouncer pgbouncer = TestPgBouncer.start(url, "session")) {
      try (StoreOptions.Opened opened = openPooled(pgbouncer.url())) {
        assertThat(opened.namedStatements()).isFalse();
        assertThat(preparedByName(opened.store())).isEmpty();
        assertThat(planCacheMode(opened.store())).as("no session setting left on the backend").isEqualTo("auto");
        assertThat(opened.store().workers(Store.DEFAULT_STALE_AFTER)).extracting(w -> w.id()).containsExactly("bounced");
      }
    }
  }

  @Test
  void onADirectConnectionTheServersPoolNamesStatementsPlannedWithTheirValues() throws Exception {
    String url = storeWithOneRecord();
    try (StoreOptions.Opened opened = openPooled(url)) {
      assertThat(opened.namedStatements()).isTrue();
      assertThat(preparedByName(opened.store())).isNotEmpty();
      assertThat(planCacheMode(opened.store())).isEqualTo("force_custom_plan");
    }
  }

  /** The store as {@code heartlog serve} opens it, behind its connection pool. */
  private static StoreOptions.Opened openPooled(String url) {
    StoreOptions options = new StoreOptions();
    options.url = url;
    return options.openPooled(ServeCommand.DEFAULT_DB_POOL);
  }

  /** The statements prepared by name on one of the store's connections after it ran one 10 times. */
  private static List<String> preparedByName(Store store) {
    return store.withConnection(c -> {
      // Past pgjdbc's 5 executions before it names a statement.
      for (int i = 0; i < 10; i++) {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM system_logs WHERE source_id = ?")) {
          s.setString(1, "bounced");
          s.executeQuery().close();
        }
      }
      try (ResultSet prepared = c.createStatement().executeQuery("SELECT name FROM pg_prepared_statements")) {
        List<String> names = new ArrayList<>();
        while (prepared.next()) {
          names.add(prepared.getString(1));
        }
        return names;
      }
    });
  }

  private static String planCacheMode(Store store) {
    return store.withConnection(c -> {
      try (ResultSet shown = c.createStatement().executeQuery("SHOW plan_cache_mode")) {
        shown.next();
        return shown.getString(1);
      }
    });
  }

  private static HttpResponse<String> post(HttpClient http, String base, String worker, String message) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/rest/v1/rpc/func_worker_heartbeat_with_logs"))
        .header("apikey", WRITER).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"worker_id_param\": \"" + worker
            + "\", \"logs_param\": [{\"level\": \"INFO\", \"message\": \"" + message + "\"}]}"))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static long served(String url) {
    return Store.open(url, null, null).withConnection(c -> {
      try (ResultSet count = c.createStatement().executeQuery(
          "SELECT count(*) FROM system_logs WHERE message LIKE 'served %'")) {
        count.next();
        return count.getLong(1);
      }
    });
  }

  private static HttpResponse<String> get(HttpClient http, String uri) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(uri)).header("apikey", READER).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A fresh migrated database with one record of worker {@code bounced}. */
  private static String storeWithOneRecord() {
    String url = TestDatabase.migratedUrl();
    store(url, "through the pooler");
    return url;
  }

  private static void store(String url, String message) {
    Store.open(url, null, null).withConnection(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT func_worker_heartbeat_with_logs('bounced', NULL, NULL, "
          + "jsonb_build_array(jsonb_build_object('timestamp', now(), 'level', 'INFO', 'message', ?::text)), NULL)")) {
        s.setString(1, message);
        return s.execute();
      }
    });
  }
}
