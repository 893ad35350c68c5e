package dev.heartlog.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.heartlog.server.HeartlogServer;
import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Browsers coming back together, as they do within seconds of {@code heartlog serve} restarting,
 * while workers send their heartbeats through the same server: how long the heartbeats take
 * before and while the followers are sent what they missed, and how long until every follower
 * has it.
 *
 * <p>The store: embedded PostgreSQL with {@code records} records of the last two hours from 1,000
 * workers (2% errors, as the heartbeats'). The server: as {@code heartlog serve} makes it, a pool of 10 connections
 * with the live tail. The workers: 10 threads, each a worker sending a heartbeat of 100 records
 * every 200 ms over HTTP (50 heartbeats/s, 5,000 records/s: a fleet of 1,000 at the issue's
 * rate). A follower has caught up when it receives a record stored after it came back. After 10 s of warm-up and 15 s measured
 * without followers, {@code followers} event streams open at once, each with {@code after} the id
 * 100,000 before the newest, and the filter given ({@code level=ERROR}: the viewer's errors).
 *
 * <p>It uses only public APIs: the baseline is the build before, run in turn with the same source
 * ({@code java -cp <that build's benchmarks.jar> ReturningFollowersLoad.java ...}).
 *
 * <p>Usage: {@code java -cp heartlog-bench/target/benchmarks.jar
 * dev.heartlog.bench.ReturningFollowersLoad [followers=50] [records=2000000] [filter=level=ERROR]}.
 */
public final class ReturningFollowersLoad {

  private static final String WRITER_KEY = "returning-followers-writer-key";
  private static final String READER_KEY = "returning-followers-reader-key";
  private static final int HEARTBEAT_THREADS = 10;
  private static final long HEARTBEAT_PAUSE_MILLIS = 200;

  private ReturningFollowersLoad() {}

  public static void main(String[] args) throws Exception {
    int followers = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    long records = args.length > 1 ? Long.parseLong(args[1]) : 2_000_000L;
    String filter = args.length > 2 ? args[2] : "level=ERROR";
    try (EmbeddedPostgres server = EmbeddedPostgres.builder()
        .setServerConfig("shared_buffers", "512MB")
        .setServerConfig("max_wal_size", "4GB")
        .setServerConfig("max_connections", "200")
        .start()) {
      String url = "jdbc:postgresql://localhost:" + server.getPort() + "/postgres?user=postgres";
      Store.open(url, null, null).migrate();
      long started = System.nanoTime();
      fill(url, records);
      System.out.printf(Locale.ROOT, "filled %,d records in %.0f s; %d cores%n",
          records, (System.nanoTime() - started) / 1e9, Runtime.getRuntime().availableProcessors());
      HikariConfig pool = new HikariConfig();   // as heartlog serve's pool
      pool.setJdbcUrl(url);
      pool.setMaximumPoolSize(10);
      pool.setConnectionInitSql("SET plan_cache_mode = force_custom_plan");
      try (HikariDataSource dataSource = new HikariDataSource(pool)) {
        HeartlogServer http = HeartlogServer.builder()
            .store(Store.open(dataSource, url))
            .keysFile(Files.createTempDirectory("returning-keys").resolve("keys"))
            .writerKeys(WRITER_KEY)
            .readerKeys(READER_KEY)
            .listenTo(url, null, null)
            .port(0)
            .diagnostics(new PrintStream(OutputStream.nullOutputStream()))
            .build()
            .start();
        try {
          long[] window = measure(http.port(), url, followers, filter);
          timeOneRead(Store.open(dataSource, url), window[0], window[1], filter);
        } finally {
          http.close();
        }
      }
    }
  }

  /** @return the ids the followers' reads covered: after, up to */
  private static long[] measure(int port, String url, int followers, String filter) throws Exception {
    Heartbeats heartbeats = new Heartbeats(port);
    heartbeats.start();
    TimeUnit.SECONDS.sleep(10);   // warm-up: the server's and the clients' JIT
    long baselineStart = System.nanoTime();
    TimeUnit.SECONDS.sleep(15);
    long newest = Long.parseLong(BenchDatabase.scalar(url, "SELECT max(id) FROM system_logs"));
    long after = newest - 100_000;
    String levels = filter.contains("level=ERROR") ? "('ERROR', 'CRITICAL')" : "('DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL')";
    long missed = Long.parseLong(BenchDatabase.scalar(url, "SELECT least(10000, count(*)) FROM system_logs WHERE id > " + after
        + " AND id <= " + newest + " AND level IN " + levels));
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<AtomicLong> received = new ArrayList<>();
    List<CompletableFuture<?>> streams = new ArrayList<>();
    long[] connectedAt = new long[followers];
    long[] firstAt = new long[followers];
    long[] doneAt = new long[followers];
    long herdStart = System.nanoTime();
    for (int i = 0; i < followers; i++) {
      AtomicLong count = new AtomicLong();
      received.add(count);
      int follower = i;
      HttpRequest request = HttpRequest.newBuilder(URI.create(
              "http://127.0.0.1:" + port + "/api/tail?" + filter + "&after=" + after + "&apikey=" + READER_KEY))
          .header("Accept", "text/event-stream").build();
      streams.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
          .thenAccept(response -> response.body().peek(line -> connectedAt[follower] = connectedAt[follower] == 0
              ? System.nanoTime() : connectedAt[follower]).filter(line -> line.startsWith("data:")).forEach(line -> {
            if (count.incrementAndGet() == 1) {
              firstAt[follower] = System.nanoTime();
            }
            // Caught up: a record stored after they came back, sent after all it missed.
            if (doneAt[follower] == 0 && id(line) > newest) {
              doneAt[follower] = System.nanoTime();
            }
          })));
    }
    long deadline = herdStart + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && Arrays.stream(doneAt).anyMatch(at -> at == 0)) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
    long herdEnd = Math.max(System.nanoTime(), herdStart + TimeUnit.SECONDS.toNanos(5));
    TimeUnit.NANOSECONDS.sleep(Math.max(0, herdEnd - System.nanoTime()));
    heartbeats.stop();
    streams.forEach(stream -> stream.cancel(true));

    long complete = Arrays.stream(doneAt).filter(at -> at != 0).count();
    long lastDone = Arrays.stream(doneAt).max().orElse(0);
    System.out.printf(Locale.ROOT, "%d followers (/api/tail?%s&after=<newest - 100,000>), %,d records each missed; "
        + "%,d records received in all%n", followers, filter, missed, received.stream().mapToLong(AtomicLong::get).sum());
    System.out.println("| heartbeats over HTTP (50/s, 100 records each) | calls | p50 | p99 | max | failed |");
    System.out.println("|---|---|---|---|---|---|");
    System.out.println(heartbeats.line("15 s before the followers came back", baselineStart, herdStart));
    System.out.println(heartbeats.line("from their coming back until the last had caught up (at least 5 s)", herdStart, herdEnd));
    System.out.printf(Locale.ROOT, "after they came back, seconds (median, last): first line %s, first record %s, caught up %s%n",
        spread(connectedAt, herdStart), spread(firstAt, herdStart), spread(doneAt, herdStart));
    System.out.printf(Locale.ROOT, "followers caught up: %d of %d; the last %s after they came back%n",
        complete, followers, complete == followers ? String.format(Locale.ROOT, "%.2f s", (lastDone - herdStart) / 1e9) : "not within 60 s");
    return new long[] {after, newest};
  }

  private static String spread(long[] at, long start) {
    double[] seconds = Arrays.stream(at).filter(t -> t != 0).mapToDouble(t -> (t - start) / 1e9).sorted().toArray();
    return seconds.length == 0 ? "none" : String.format(Locale.ROOT, "%.2f, %.2f (%d)", seconds[seconds.length / 2],
        seconds[seconds.length - 1], seconds.length);
  }

  /** What one follower's read of what it missed costs, alone, once the heartbeats have stopped: the store's own read. */
  private static void timeOneRead(Store store, long after, long newest, String filter) {
    LogFilter wanted = new LogFilter(null, null, filter.contains("level=ERROR") ? "ERROR" : null, null, null, null, 10_000);
    long[] nanos = new long[7];
    int records = 0;
    for (int i = 0; i < nanos.length; i++) {
      long start = System.nanoTime();
      records = store.logsAfter(after, newest, wanted).size();
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    System.out.printf(Locale.ROOT, "one follower's read of what it missed (Store.logsAfter, %,d records), alone: "
        + "median %.1f ms, min %.1f ms, of %d%n", records, nanos[nanos.length / 2] / 1e6, nanos[0] / 1e6, nanos.length);
  }

  private static long id(String dataLine) {
    int start = dataLine.indexOf("\"id\":") + 5;
    int end = start;
    while (end < dataLine.length() && Character.isDigit(dataLine.charAt(end))) {
      end++;
    }
    return end > start ? Long.parseLong(dataLine.substring(start, end)) : -1;
  }

  /** Workers' heartbeats over HTTP, each call's start and duration kept. */
  private static final class Heartbeats {
    private final int port;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<long[]> calls = new ArrayList<>();   // start, nanos, ok (1/0)
    private final List<Thread> threads = new ArrayList<>();

    Heartbeats(int port) {
      this.port = port;
    }

    void start() {
      for (int t = 0; t < HEARTBEAT_THREADS; t++) {
        String worker = "heartbeat-" + t;
        Thread thread = new Thread(() -> send(worker), worker);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
      }
    }

    private void send(String worker) {
      StringBuilder logs = new StringBuilder("[");
      for (int r = 0; r < 100; r++) {   // 2% errors, as the fleet filled before
        logs.append(r == 0 ? "" : ",").append("{\"level\":\"").append(r % 50 == 7 ? "ERROR" : "INFO")
            .append("\",\"message\":\"step ").append(r)
            .append(" of the render, frame batch done in 41 ms\",\"task_id\":\"task-").append(worker)
            .append("\",\"metadata\":{\"logger\":\"wgp.generator\"}}");
      }
      String body = "{\"worker_id_param\":\"" + worker + "\",\"vram_total_mb_param\":81559,\"vram_used_mb_param\":23017,"
          + "\"logs_param\":" + logs.append(']') + ",\"current_task_id_param\":\"task-" + worker + "\"}";
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/rest/v1/rpc/func_worker_heartbeat_with_logs"))
          .header("apikey", WRITER_KEY).header("Authorization", "Bearer " + WRITER_KEY)
          .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
      while (running.get()) {
        long start = System.nanoTime();
        boolean ok;
        try {
          ok = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
          ok = false;
        }
        long[] call = {start, System.nanoTime() - start, ok ? 1 : 0};
        synchronized (calls) {
          calls.add(call);
        }
        try {
          TimeUnit.MILLISECONDS.sleep(HEARTBEAT_PAUSE_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread thread : threads) {
        thread.join(65_000);
      }
    }

    /** The calls that started in [from, until). */
    String line(String name, long from, long until) {
      long[] nanos;
      long failed;
      synchronized (calls) {
        nanos = calls.stream().filter(call -> call[0] >= from && call[0] < until).mapToLong(call -> call[1]).sorted().toArray();
        failed = calls.stream().filter(call -> call[0] >= from && call[0] < until && call[2] == 0).count();
      }
      return String.format(Locale.ROOT, "| %s | %,d | %.1f ms | %.1f ms | %.1f ms | %d |", name, nanos.length,
          Samples.percentile(nanos, 0.5) / 1e6, Samples.percentile(nanos, 0.99) / 1e6,
          Samples.percentile(nanos, 1.0) / 1e6, failed);
    }
  }

  /** Records of the last two hours from 1,000 workers, 2% of them errors, in id order of time. */
  private static void fill(String url, long records) throws Exception {
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, "
          + "metadata, session_id, seq) SELECT now() - interval '2 hours' + g * (interval '2 hours' / " + records + "), "
          + "CASE WHEN g % 50 = 7 THEN 'ERROR' WHEN g % 20 = 3 THEN 'WARNING' ELSE 'INFO' END, "
          + "'step ' || g || ' of the render, frame batch done', 'worker', 'gpu-' || (g % 1000), "
          + "'task-' || (g % 1000) || '-' || (g / 40000), '{\"logger\": \"wgp.generator\"}', 'fill-' || (g % 1000), g "
          + "FROM generate_series(1, " + records + ") g");
      statement.execute("VACUUM ANALYZE system_logs");
    }
  }
}
