package dev.heartlog.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.heartlog.agent.DeliveryResult;
import dev.heartlog.agent.GpuReading;
import dev.heartlog.agent.Heartbeat;
import dev.heartlog.agent.HeartbeatScheduler;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.PostgrestTransport;
import dev.heartlog.agent.Transport;
import dev.heartlog.agent.WorkerStatus;
import dev.heartlog.jdbc.JdbcTransport;
import dev.heartlog.server.HeartlogServer;
import dev.heartlog.store.Store;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fleet on one machine (issue: "A fleet on one machine"). N simulated workers, each a real
 * {@link HeartlogAgent} with its own buffer, batches and heartbeat, sharing a few heartbeat
 * threads ({@link HeartbeatScheduler}) and a few connections, log at a fleet's rate into one
 * embedded PostgreSQL with heartlog's schema: 100 records per 20 s per worker on average, and
 * bursts of 1,000 records from a few workers every second.
 *
 * <p>Per fleet size: agents start evenly over one heartbeat interval (20 s), run 20 s more to
 * settle, then {@code seconds} measured. Heartbeat latency is how late a heartbeat's round
 * started after it was due plus the call until the store answered. The fleet is sustained when
 * that p99 is under 1 s, nothing was dropped, and the records held in memory did not grow over
 * the measured window. First, as the baseline of the same run, {@link IngestLoad} calls
 * heartlog's function directly for 20 s with no agents: the store's ceiling on this machine.
 *
 * <p>Usage: {@code java -Xmx6g -cp heartlog-bench/target/benchmarks.jar
 * dev.heartlog.bench.FleetLoad jdbc|http 1000,5000,10000 [seconds=60] [threads=8]
 * [connections=8]}. {@code http} sends through {@code heartlog serve}'s server, in the same JVM.
 */
public final class FleetLoad {

  private static final Duration INTERVAL = Duration.ofSeconds(20);
  private static final String WRITER_KEY = "fleet-load-writer-key";

  /**
   * {@code -Dheartlog.bench.liveTail=true}: the HTTP server runs its live tail, as {@code heartlog
   * serve} does, listening for the ingest function's notifications and reading the new records.
   */
  private static final boolean LIVE_TAIL = Boolean.getBoolean("heartlog.bench.liveTail")
      || System.getProperty("heartlog.bench.follow") != null;

  /**
   * {@code -Dheartlog.bench.follow=level=ERROR} (HTTP only; implies the live tail): from the end
   * of the ramp on, one browser-like client follows {@code /api/tail?level=ERROR}, as someone
   * watching the fleet's errors would. The run then says how many of the matching records, from
   * the first it received on, reached it, and how long after they were stored (waiting up to 30 s
   * after the fleet stopped). Only the {@code level} filter is counted against the store.
   */
  private static final String FOLLOW = System.getProperty("heartlog.bench.follow");
  /** With {@code -Dheartlog.bench.followOver=websocket} the follower takes the tail's WebSocket. */
  private static final boolean FOLLOW_OVER_WEBSOCKET = "websocket".equals(System.getProperty("heartlog.bench.followOver"));
  private static final String READER_KEY = "fleet-load-reader-key";

  /** How late the round now running on this heartbeat thread started. */
  private static final ThreadLocal<long[]> ROUND_LATENESS = ThreadLocal.withInitial(() -> new long[1]);

  private FleetLoad() {}

  public static void main(String[] args) throws Exception {
    String kind = args.length > 0 ? args[0] : "jdbc";
    int[] sizes = Arrays.stream((args.length > 1 ? args[1] : "1000,5000,10000").split(","))
        .mapToInt(Integer::parseInt).toArray();
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 8;
    int connections = args.length > 4 ? Integer.parseInt(args[4]) : 8;
    if (!kind.equals("jdbc") && !kind.equals("http")) {
      throw new IllegalArgumentException("the first argument is jdbc or http");
    }
    EmbeddedPostgres.Builder store = BenchDatabase.durableIfAsked(EmbeddedPostgres.builder()
        .setServerConfig("max_wal_size", "4GB")
        .setServerConfig("checkpoint_timeout", "30min")
        .setServerConfig("shared_buffers", "512MB")
        .setServerConfig("max_connections", "200"));
    // -Dheartlog.bench.pgLog=FILE: the server's own log appended to FILE, with its checkpoints and
    // every autovacuum and autoanalyze, to line up with the progress lines' times when heartbeats
    // ran late.
    String pgLog = System.getProperty("heartlog.bench.pgLog");
    if (pgLog != null) {
      ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(Path.of(pgLog).toFile());
      store.setOutputRedirector(log).setErrorRedirector(log)
          .setServerConfig("log_checkpoints", "on")
          .setServerConfig("log_autovacuum_min_duration", "0");
    }
    try (EmbeddedPostgres server = store.start()) {
      String admin = "jdbc:postgresql://localhost:" + server.getPort() + "/postgres?user=postgres";
      System.out.printf(Locale.ROOT, "%s: %d heartbeat threads, %d connections, %d s measured per fleet, %d cores, %s%n",
          kind, threads, connections, seconds, Runtime.getRuntime().availableProcessors(), BenchDatabase.durability(admin));
      // The baseline, same server, same run: heartlog's function called directly by IngestLoad's
      // generator (100-record batches, as many connections as the fleet has), no agents at all.
      String ceilingUrl = BenchDatabase.freshDatabase(admin, "fleet_ceiling");
      IngestVariants.prepare(ceilingUrl, "heartlog");
      double ceiling = IngestLoad.run(ceilingUrl, "heartlog", connections, 20_000, true).rowsPerSecond();
      BenchDatabase.dropDatabase(admin, "fleet_ceiling");
      System.out.printf(Locale.ROOT, "ingest ceiling (heartlog's function, %d connections, no agents): %,.0f rows/s%n",
          connections, ceiling);
      // A fleet of the first size first, not counted: the ceiling run warms up only the store's
      // side. Measured first, a fleet met the agents' and the server's JIT warm-up during its ramp,
      // then spent its first measured seconds catching up on the backlog that left (runs 25, 27,
      // 28, 29: p99 1.5-6 s while the records held shrank). It did not make the first size
      // reliable: in run 30 stalls of the store mid-run made it miss (BENCHMARKS.md §4).
      if (!Boolean.getBoolean("heartlog.bench.noWarmup")) {
        String url = BenchDatabase.freshDatabase(admin, "fleet_warmup");
        Store.open(url, null, null).migrate();
        System.out.println("warm-up, not counted: " + run(kind, url, sizes[0], 10, threads, connections).line());
        BenchDatabase.dropDatabase(admin, "fleet_warmup");
      }
      List<String> lines = new ArrayList<>();
      for (int size : sizes) {
        String url = BenchDatabase.freshDatabase(admin, "fleet_" + kind + "_" + size);
        Store.open(url, null, null).migrate();
        FleetResult result = run(kind, url, size, seconds, threads, connections);
        BenchDatabase.dropDatabase(admin, "fleet_" + kind + "_" + size);
        lines.add(result.line());
        System.out.println(result.line());
      }
      System.out.println();
      System.out.printf(Locale.ROOT, "ingest ceiling in this run: %,.0f rows/s%n", ceiling);
      System.out.println("| transport | workers | records/s logged | records/s stored | heartbeats/s | heartbeat p50 | p99 | max "
          + "| call p99 | held at start → end | dropped | stored = sent | sustained |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
      lines.forEach(System.out::println);
    }
  }

  private static FleetResult run(String kind, String url, int size, int seconds, int threads, int connections)
      throws Exception {
    Samples latency = new Samples();
    Samples calls = new Samples();
    AtomicLong logged = new AtomicLong();
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    HikariDataSource pool = pool(url, connections);
    HeartlogServer httpServer = null;
    HttpClient http = null;
    if (kind.equals("http")) {
      Path keys = Files.createTempDirectory("fleet-keys").resolve("keys");
      httpServer = HeartlogServer.builder()
          .store(Store.open(pool, url))
          .keysFile(keys)
          .writerKeys(WRITER_KEY)
          .readerKeys(READER_KEY)
          .listenTo(LIVE_TAIL ? url : null, null, null)
          .port(0)
          .diagnostics(quiet)
          .build()
          .start();
      http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }
    HeartbeatScheduler scheduler = HeartbeatScheduler.create(threads, late -> ROUND_LATENESS.get()[0] = late);
    List<HeartlogAgent> agents = new ArrayList<>(size);
    ScheduledExecutorService producers = Executors.newScheduledThreadPool(2);
    SimulatedFleet fleet = new SimulatedFleet(agents, logged);
    try {
      // Start the agents evenly over one interval, as a fleet's workers come up at different times.
      for (int p = 0; p < 2; p++) {
        int part = p;
        producers.scheduleAtFixedRate(
            () -> fleet.tick(part, 2), SimulatedFleet.TICK_MILLIS, SimulatedFleet.TICK_MILLIS, TimeUnit.MILLISECONDS);
      }
      long rampStart = System.nanoTime();
      for (int i = 0; i < size; i++) {
        long due = rampStart + INTERVAL.toNanos() * i / size;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        Transport transport = kind.equals("jdbc")
            ? JdbcTransport.builder().dataSource(pool).build()
            : PostgrestTransport.builder().baseUrl("http://127.0.0.1:" + httpServer.port()).key(WRITER_KEY)
                .gzip(PostgrestTransport.Gzip.OFF).httpClient(http).build();
        HeartlogAgent agent = HeartlogAgent.builder()
            .workerId(String.format(Locale.ROOT, "fleet-%05d", i))
            .transport(new Timed(transport, latency, calls))
            .scheduler(scheduler)
            .heartbeatInterval(INTERVAL)
            .noSpool()
            .gpuProbe(() -> new GpuReading(81559, 20000 + ThreadLocalRandom.current().nextInt(40000), List.of(0), null))
            .shutdownHook(false)
            .diagnostics(quiet)
            .build();
        synchronized (agents) {
          agents.add(agent);
        }
      }
      TimeUnit.SECONDS.sleep(INTERVAL.toSeconds());
      TailFollower follower = FOLLOW != null && httpServer != null
          ? TailFollower.start(httpServer.port(), FOLLOW, FOLLOW_OVER_WEBSOCKET, READER_KEY, url)
          : null;

      SimulatedFleet.Snapshot start = fleet.snapshot(logged);
      latency.start();
      calls.start();
      SimulatedFleet.Snapshot[] samples = new SimulatedFleet.Snapshot[seconds / 10 + 1];
      for (int s = 0; s < samples.length - 1; s++) {
        TimeUnit.SECONDS.sleep(10);
        samples[s] = fleet.snapshot(logged);
        System.out.printf(Locale.ROOT, "  %tT %d workers, t=%ds: held %,d, stored %,d, dropped %,d, lateness p99 so far %.0f ms%n",
            LocalTime.now(), size, (s + 1) * 10, samples[s].held(), samples[s].sent(), samples[s].dropped(), latency.percentile(0.99) / 1e6);
      }
      TimeUnit.MILLISECONDS.sleep((seconds % 10) * 1000L);
      SimulatedFleet.Snapshot end = fleet.snapshot(logged);
      latency.stop();
      calls.stop();
      producers.shutdownNow();
      producers.awaitTermination(10, TimeUnit.SECONDS);

      double elapsed = (end.nanos() - start.nanos()) / 1e9;
      FleetResult result = new FleetResult(kind, size,
          (end.logged() - start.logged()) / elapsed,
          (end.sent() - start.sent()) / elapsed,
          (end.heartbeats() - start.heartbeats()) / elapsed,
          latency.percentile(0.50), latency.percentile(0.99), latency.percentile(1.0), calls.percentile(0.99),
          start.held(), end.held(), end.dropped(), 0, 0);

      closeAll(agents);
      if (follower != null) {
        System.out.println(follower.finish());
      }
      long sent = fleet.snapshot(logged).sent();
      long stored = Long.parseLong(BenchDatabase.scalar(url, "SELECT count(*) FROM system_logs"));
      return result.withStored(sent, stored);
    } finally {
      producers.shutdownNow();
      scheduler.close();
      if (httpServer != null) {
        httpServer.close();
      }
      pool.close();
    }
  }

  /** Closes every agent (final heartbeat, status stopped), many at a time. */
  private static void closeAll(List<HeartlogAgent> agents) throws InterruptedException {
    ExecutorService closers = Executors.newFixedThreadPool(32);
    for (HeartlogAgent agent : agents) {
      closers.execute(() -> agent.shutdown(WorkerStatus.STOPPED, Duration.ofSeconds(60)));
    }
    closers.shutdown();
    closers.awaitTermination(10, TimeUnit.MINUTES);
  }

  /** Times each heartbeat: how late its round started plus the call itself. */
  private record Timed(Transport inner, Samples latency, Samples calls) implements Transport {
    @Override
    public DeliveryResult deliver(Heartbeat heartbeat) {
      long started = System.nanoTime();
      DeliveryResult result = inner.deliver(heartbeat);
      long call = System.nanoTime() - started;
      calls.add(call);
      latency.add(ROUND_LATENESS.get()[0] + call);
      return result;
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  private static HikariDataSource pool(String url, int connections) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(connections);
    config.setMinimumIdle(connections);
    config.setPoolName("fleet-load");
    config.addDataSourceProperty("ApplicationName", "heartlog-fleet-load");
    return new HikariDataSource(config);
  }
}
