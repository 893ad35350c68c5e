package dev.heartlog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.agent.GpuReading;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent against an orchestrator's {@code workers} of its own types (an enum status that knows
 * no {@code 'stopped'}, a uuid task): with heartlog's function, and with none at all, where the
 * agent falls back to the seed's plain heartbeat.
 */
@Timeout(60)
class OrchestratorTypesTest {

  private static final String TASK = "0f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19";

  @TempDir Path spool;

  @Test
  void theAgentWritesTheEnumAndTheUuidAndItsLastRecordsAreStoredThoughTheEnumKnowsNoStop() {
    String url = TestDatabase.freshUrl();
    Store store = orchestratorsTable(url);
    store.migrate();
    ByteArrayOutputStream said = new ByteArrayOutputStream();

    HeartlogAgent agent = agent(url, said);
    agent.startTask(TASK);
    agent.log(Level.INFO, "frame 1 rendered");
    assertThat(agent.flush(Duration.ofSeconds(20))).isTrue();
    assertThat(text(store, "SELECT status::text || ' ' || current_task_id FROM workers")).isEqualTo("active " + TASK);
    agent.log(Level.INFO, "model unloaded");
    agent.close();

    assertThat(text(store, "SELECT string_agg(message, ', ' ORDER BY id) FROM system_logs WHERE task_id = '" + TASK + "'"))
        .isEqualTo("frame 1 rendered, model unloaded");
    assertThat(agent.stats().totalDropped()).isZero();
    assertThat(said.toString(StandardCharsets.UTF_8))
        .contains("the workers table refused the worker's row: invalid input value for enum worker_status: \"stopped\"");
  }

  @Test
  void withoutTheFunctionThePlainHeartbeatWritesTheEnumAndARefusedStopKeepsTheRecords() {
    String url = TestDatabase.freshUrl();
    Store store = orchestratorsTable(url);
    ByteArrayOutputStream said = new ByteArrayOutputStream();

    HeartlogAgent agent = agent(url, said);
    agent.startTask(TASK);
    agent.log(Level.INFO, "logged before the migration");
    await().atMost(Duration.ofSeconds(20))
        .until(() -> text(store, "SELECT status::text || ' ' || current_task_id FROM workers WHERE last_heartbeat IS NOT NULL"),
            row -> ("active " + TASK).equals(row));
    agent.close();

    assertThat(agent.stats().totalDropped()).as("the refused plain heartbeat carried no records").isZero();
    assertThat(agent.stats().spooledBatches()).isEqualTo(1);
    assertThat(said.toString(StandardCharsets.UTF_8)).contains("and the workers table refused the plain heartbeat: "
        + "ERROR: invalid input value for enum worker_status: \"stopped\"");
  }

  @Test
  void withoutTheFunctionThePlainHeartbeatWritesATimestampWithoutAZoneInUtcFromAMachineInAnotherZone() {
    String url = TestDatabase.freshUrl();
    Store store = Store.open(url, null, null);
    store.withConnection(c -> c.createStatement().execute("CREATE TABLE workers (id text PRIMARY KEY, status text, "
        + "last_heartbeat timestamp, vram_total_mb int, vram_used_mb int, current_task_id text);"
        + "INSERT INTO workers (id) VALUES ('gpu-3')"));
    TimeZone machines = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));   // the agent's session takes it (pgjdbc)
    try {
      HeartlogAgent agent = agent(url, new ByteArrayOutputStream());
      await().atMost(Duration.ofSeconds(20))
          .until(() -> text(store, "SELECT status FROM workers WHERE last_heartbeat IS NOT NULL"), "active"::equals);
      agent.close();
    } finally {
      TimeZone.setDefault(machines);
    }

    assertThat(text(store, "SELECT (abs(extract(epoch FROM (now() AT TIME ZONE 'UTC') - last_heartbeat)) < 30)::text "
        + "FROM workers")).as("UTC, as the function writes it, not New York's wall clock").isEqualTo("true");
  }

  private static Store orchestratorsTable(String url) {
    Store store = Store.open(url, null, null);
    store.withConnection(c -> c.createStatement().execute(
        "CREATE TYPE worker_status AS ENUM ('spawning', 'active', 'crashed');"
            + "CREATE TABLE workers (id text PRIMARY KEY, status worker_status NOT NULL DEFAULT 'spawning', "
            + "last_heartbeat timestamptz, vram_total_mb int, vram_used_mb int, current_task_id uuid);"
            + "INSERT INTO workers (id) VALUES ('gpu-3')"));
    return store;
  }

  private HeartlogAgent agent(String url, ByteArrayOutputStream said) {
    return HeartlogAgent.builder()
        .spoolDirectory(spool)
        .workerId("gpu-3")
        .transport(JdbcTransport.builder().url(url).functionRetryInterval(Duration.ofMinutes(5)).build())
        .gpuProbe(() -> new GpuReading(81559, 23017, List.of(0), null))
        .heartbeatInterval(Duration.ofMillis(100))
        .shutdownHook(false)
        .diagnostics(new PrintStream(said, true, StandardCharsets.UTF_8))
        .build();
  }

  private static String text(Store store, String sql) {
    return store.withConnection(c -> {
      try (ResultSet rows = c.createStatement().executeQuery(sql)) {
        return rows.next() ? rows.getString(1) : null;
      }
    });
  }
}
