package dev.heartlog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.heartlog.agent.AgentEnvironment;
import dev.heartlog.agent.DeliveryResult;
import dev.heartlog.agent.GpuReading;
import dev.heartlog.agent.Heartbeat;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.HeartlogAgentBuilder;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.LogRecord;
import dev.heartlog.agent.WorkerStatus;
import dev.heartlog.store.Fixtures;
import dev.heartlog.store.Store;
import dev.heartlog.store.TaskTimeline;
import dev.heartlog.store.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class JdbcTransportTest {

  @TempDir static Path spool;

  private static HeartlogAgentBuilder agent(String url, String workerId) {
    return HeartlogAgent.builder()
        .spoolDirectory(spool)
        .workerId(workerId)
        .transport(JdbcTransport.builder().url(url).functionRetryInterval(Duration.ZERO).build())
        .gpuProbe(() -> new GpuReading(81559, 23017, List.of(0), null))
        .heartbeatInterval(Duration.ofMillis(100))
        .shutdownHook(false)
        .diagnostics(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  @Test
  void aHeartbeatStoresItsRecordsUnderTheRightTaskWithVram() {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);

    try (HeartlogAgent agent = agent(url, "gpu-1").build()) {
      agent.log(Level.INFO, "idle");
      agent.startTask("task-42");
      agent.log(Level.INFO, "claimed task");
      agent.log(Level.ERROR, "render failed", null, Map.of("exception", "java.lang.OutOfMemoryError: VRAM"));
      assertThat(agent.flush(Duration.ofSeconds(20))).isTrue();
      agent.endTask();
    }

    TaskTimeline task = store.task("task-42");
    assertThat(task.records()).extracting(r -> r.message()).containsExactly("claimed task", "render failed");
    assertThat(task.failure()).hasValueSatisfying(r -> assertThat(r.exception()).contains("OutOfMemoryError"));
    assertThat(task.workers()).extracting(w -> w.id()).containsExactly("gpu-1");
    assertThat(task.heartbeats()).isNotEmpty().allSatisfy(h -> assertThat(h.vramUsedMb()).isEqualTo(23017));
    assertThat(store.workers(Store.DEFAULT_STALE_AFTER))
        .singleElement()
        .satisfies(w -> assertThat(w.health()).isEqualTo("stopped"));
  }

  @Test
  void aRepeatedBatchIsStoredOnce() {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Heartbeat heartbeat =
        new Heartbeat("w1", "session-1", 1L, WorkerStatus.ACTIVE, null, null, null,
            List.of(new LogRecord(Instant.now(), 1, Level.INFO, "once", null, Map.of())), Map.of());

    try (JdbcTransport transport = JdbcTransport.builder().url(url).build()) {
      assertThat(transport.deliver(heartbeat).logsInserted()).isEqualTo(1);
      assertThat(transport.deliver(heartbeat)).isEqualTo(DeliveryResult.stored(0));
    }

    assertThat(count(store, "SELECT count(*) FROM system_logs")).isEqualTo(1);
  }

  @Test
  void aPostgresqlUriDeliversToTheSameDatabaseFromTheBuilderAndFromHeartlogDbUrl() {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // What Supabase's dashboard shows, postgresql://user:password@host:port/db.
    String uri = TestDatabase.asUri(url);
    AgentEnvironment environment = AgentEnvironment.of(Map.of("HEARTLOG_DB_URL", uri), new java.util.Properties());

    try (JdbcTransport built = JdbcTransport.builder().url(uri).build();
        JdbcTransport configured = (JdbcTransport) environment.transport().orElseThrow()) {
      assertThat(built.deliver(heartbeatOf("uri-worker", "from the builder")).logsInserted()).isEqualTo(1);
      assertThat(configured.deliver(heartbeatOf("uri-worker", "from the environment")).logsInserted()).isEqualTo(1);
      assertThat(built.toString()).startsWith("JdbcTransport[jdbc:postgresql://");
    }
    assertThat(count(store, "SELECT count(*) FROM system_logs WHERE source_id = 'uri-worker'")).isEqualTo(2);
  }

  private static Heartbeat heartbeatOf(String workerId, String message) {
    return new Heartbeat(workerId, "session-" + message, 1L, WorkerStatus.ACTIVE, null, null, null,
        List.of(new LogRecord(Instant.now(), 1, Level.INFO, message, null, Map.of())), Map.of());
  }

  @Test
  void numbersInMetadataOfEveryJavaTypeAreStoredAsJsonbNumbersWithTheirValue() {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    java.util.concurrent.atomic.LongAdder frames = new java.util.concurrent.atomic.LongAdder();
    frames.add(240);
    Map<String, Object> metadata = new java.util.LinkedHashMap<>();
    metadata.put("loss", 0.1f);
    metadata.put("ratio", 0.25);
    metadata.put("gpu", (byte) 1);
    metadata.put("batch", (short) 16);
    metadata.put("frames", frames);
    metadata.put("steps", new java.util.concurrent.atomic.AtomicLong(9_000_000_000L));
    metadata.put("seed", java.math.BigInteger.TWO.pow(100));
    metadata.put("price", new java.math.BigDecimal("0.1000000000000000055511151231257827"));
    metadata.put("not_a_number", Double.NaN);
    metadata.put("beyond_jsonb", new java.math.BigDecimal("1E+200000"));
    Heartbeat heartbeat = new Heartbeat("w1", "session-1", 1L, WorkerStatus.ACTIVE, null, null, null,
        List.of(new LogRecord(Instant.now(), 1, Level.INFO, "epoch done", null, metadata)), Map.of());

    try (JdbcTransport transport = JdbcTransport.builder().url(url).build()) {
      assertThat(transport.deliver(heartbeat).logsInserted()).isEqualTo(1);
    }

    String stored = store.withConnection(c -> {
      try (ResultSet rs = c.createStatement().executeQuery("SELECT string_agg(key || ' ' || jsonb_typeof(value) || ' ' || "
          + "value::text, '; ' ORDER BY key) FROM system_logs, jsonb_each(metadata)")) {
        rs.next();
        return rs.getString(1);
      }
    });
    // jsonb keeps a number's digits as written: the float's own 0.1, the decimal's every digit.
    assertThat(stored).isEqualTo("batch number 16; beyond_jsonb string \"1E+200000\"; frames number 240; gpu number 1; "
        + "loss number 0.1; not_a_number string \"NaN\"; price number 0.1000000000000000055511151231257827; "
        + "ratio number 0.25; seed number 1267650600228229401496703205376; steps number 9000000000");
  }

  @Test
  void aDatabaseWithOnlyTheSeedsFunctionGetsTheSeedsCall() {
    String url = TestDatabase.freshUrl();
    Store store = Store.open(url, null, null);
    store.withConnection(c -> c.createStatement().execute(Fixtures.seedSchema()));
    store.withConnection(c -> c.createStatement().execute("INSERT INTO workers (id) VALUES ('seed-worker')"));

    try (HeartlogAgent agent = agent(url, "seed-worker").build()) {
      agent.startTask("t-7");
      agent.log(Level.WARNING, "through the seed's function");
      assertThat(agent.flush(Duration.ofSeconds(20))).isTrue();
    }

    assertThat(count(store, "SELECT count(*) FROM system_logs WHERE task_id = 't-7' AND level = 'WARNING'"))
        .isEqualTo(1);
  }

  @Test
  void aWorkersTableThatRefusesTheStopStillStoresTheLastRecordsAndTheAgentSaysWhy() {
    String url = TestDatabase.freshUrl();
    Store store = Store.open(url, null, null);
    // An orchestrator's table whose CHECK knows no 'stopped', the status of an agent's last heartbeat.
    store.withConnection(c -> c.createStatement().execute("CREATE TABLE workers (id text PRIMARY KEY, status text "
        + "CHECK (status IN ('active', 'crashed')), last_heartbeat timestamptz, vram_total_mb int, vram_used_mb int, "
        + "current_task_id text)"));
    store.migrate();
    ByteArrayOutputStream said = new ByteArrayOutputStream();

    HeartlogAgent agent = agent(url, "gpu-9").diagnostics(new PrintStream(said, true, StandardCharsets.UTF_8)).build();
    agent.log(Level.INFO, "frame 1 rendered");
    assertThat(agent.flush(Duration.ofSeconds(20))).isTrue();
    agent.log(Level.INFO, "model unloaded");
    agent.close();

    assertThat(count(store, "SELECT count(*) FROM system_logs WHERE message IN ('frame 1 rendered', 'model unloaded')"))
        .isEqualTo(2);
    assertThat(agent.stats().totalDropped()).isZero();
    assertThat(agent.stats().spooledBatches()).isZero();
    assertThat(said.toString(StandardCharsets.UTF_8)).contains("heartlog: heartbeat for worker gpu-9 stored its records, "
        + "but the workers table refused the worker's row: new row for relation \"workers\" violates check constraint");
  }

  @Test
  void aMissingFunctionFallsBackToAPlainHeartbeatKeepsRecordsAndDeliversThemOnceItExists() {
    String url = TestDatabase.freshUrl();
    Store store = Store.open(url, null, null);
    store.withConnection(
        c -> c.createStatement().execute(
            "CREATE TABLE workers (id text PRIMARY KEY, status text, last_heartbeat timestamptz, "
                + "vram_total_mb int, vram_used_mb int, current_task_id text);"
                + "INSERT INTO workers (id) VALUES ('early-worker')"));

    try (HeartlogAgent agent = agent(url, "early-worker").build()) {
      agent.log(Level.INFO, "logged before the migration");
      await().atMost(Duration.ofSeconds(20))
          .until(() -> count(store, "SELECT count(*) FROM workers WHERE last_heartbeat IS NOT NULL") == 1);
      assertThat(agent.stats().spooledBatches()).isEqualTo(1);
      assertThat(count(store, "SELECT vram_used_mb FROM workers")).isEqualTo(23017);

      store.withConnection(c -> c.createStatement().execute("DROP TABLE workers"));
      store.migrate();
      assertThat(agent.flush(Duration.ofSeconds(20))).isTrue();
    }

    assertThat(count(store, "SELECT count(*) FROM system_logs WHERE message = 'logged before the migration'"))
        .isEqualTo(1);
  }

  @Test
  void anOperatorMissingInsideTheFunctionIsAFailureThatSaysSoNotAMissingFunction() {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // An orchestrator retypes workers.id after migrate: "operator does not exist: uuid = text".
    store.withConnection(c -> c.createStatement().execute("ALTER TABLE workers ALTER COLUMN id TYPE uuid USING id::uuid"));

    try (JdbcTransport transport = JdbcTransport.builder().url(url).build()) {
      DeliveryResult first = transport.deliver(heartbeat("gpu-1", "frame 1"));
      DeliveryResult second = transport.deliver(heartbeat("gpu-1", "frame 1"));

      assertThat(first.outcome()).isEqualTo(DeliveryResult.Outcome.FAILED);
      assertThat(first.detail()).contains("operator does not exist: uuid = text", "[SQLSTATE 42883]",
          "inside func_worker_heartbeat_with_logs, which exists: has the workers table changed since heartlog migrate? "
              + "Run it again");
      assertThat(second.detail()).as("still the function's call, not a fallback's").isEqualTo(first.detail());
    }
    assertThat(count(store, "SELECT count(*) FROM system_logs")).isZero();
  }

  /** A full disk: a failure (the records kept), said on one line. */
  @Test
  void aFullDiskIsAFailureSaidInTheDatabasesWordsWithoutTheFunctionsSql() {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    TestDatabase.raiseDiskFullOnInsert(store);

    try (JdbcTransport transport = JdbcTransport.builder().url(url).build()) {
      DeliveryResult full = transport.deliver(heartbeat("gpu-1", "frame 1"));

      assertThat(full.outcome()).isEqualTo(DeliveryResult.Outcome.FAILED);
      assertThat(full.detail()).isEqualTo("ERROR: could not extend file \"base/5/16528\": No space left on device "
          + "Hint: Check free disk space. [SQLSTATE 53100]");
    }
  }

  @Test
  void aWriterLoginDeliversAsItsWorkersAndAHeartbeatAsAnotherWorkerFailsWithItsRecordsKept() throws SQLException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    String login = "heartlog_jdbc_writer_" + Long.toHexString(System.nanoTime());
    store.roles().grantWriter(login, "gpu-", "writer password");
    String writerUrl = url.replaceAll("\\?.*$", "") + "?user=" + login + "&password=writer%20password";

    try (JdbcTransport transport = JdbcTransport.builder().url(writerUrl).build()) {
      assertThat(transport.deliver(heartbeat("gpu-5", "mine")).logsInserted()).isEqualTo(1);
      DeliveryResult refused = transport.deliver(heartbeat("cpu-5", "not mine"));
      // Failed, not rejected: the agent keeps the records and retries, as for a wrong password.
      assertThat(refused.outcome()).isEqualTo(DeliveryResult.Outcome.FAILED);
      assertThat(refused.detail()).contains("may write only as workers whose id starts with \"gpu-\"", "42501");
    } finally {
      TestDatabase.dropLogins(url, List.of(login));
    }
    assertThat(count(store, "SELECT count(*) FROM system_logs")).isEqualTo(1);
  }

  private static Heartbeat heartbeat(String workerId, String message) {
    return new Heartbeat(workerId, "session-" + workerId, 1L, WorkerStatus.ACTIVE, null, null, null,
        List.of(new LogRecord(Instant.now(), 1, Level.INFO, message, null, Map.of())), Map.of());
  }

  @Test
  void anUnreachableDatabaseIsAFailedResultNotAnException() {
    try (JdbcTransport transport =
        JdbcTransport.builder().url("jdbc:postgresql://127.0.0.1:9/nowhere?user=x").connectTimeout(Duration.ofSeconds(1)).build()) {
      DeliveryResult result =
          transport.deliver(new Heartbeat("w", "s", null, WorkerStatus.ACTIVE, null, null, null, List.of(), Map.of()));

      assertThat(result.outcome()).isEqualTo(DeliveryResult.Outcome.FAILED);
      assertThat(result.detail()).contains("Connection").doesNotContain("password");
    }
  }

  @Test
  void aHostThatDoesNotResolveIsNamedWhereTheDriverSaysOnlyThatTheAttemptFailed() {
    try (JdbcTransport transport = JdbcTransport.builder().url("postgresql://worker:secret@orchestrator-db.invalid/x")
        .connectTimeout(Duration.ofSeconds(1)).build()) {
      DeliveryResult result =
          transport.deliver(new Heartbeat("w", "s", null, WorkerStatus.ACTIVE, null, null, null, List.of(), Map.of()));

      assertThat(result.detail())
          .isEqualTo("The connection attempt failed. (unknown host orchestrator-db.invalid) [SQLSTATE 08001]");
    }
  }

  @Test
  void theBuilderRefusesSettingsItCannotUseWhenTheyAreSet() {
    JdbcTransportBuilder builder = JdbcTransport.builder();

    assertThatThrownBy(() -> builder.clock(null)).isInstanceOf(NullPointerException.class).hasMessage("clock must not be null");
    assertThatThrownBy(() -> builder.connectTimeout(Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("connect timeout must be at least one second");
    assertThatThrownBy(() -> builder.functionRetryInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("function retry interval must not be negative");
    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class).hasMessage("JDBC URL is required");
  }

  private static long count(Store store, String sql) {
    return store.withConnection(
        c -> {
          try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }
}
