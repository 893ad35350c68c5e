package dev.heartlog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.heartlog.agent.DeliveryResult;
import dev.heartlog.agent.GpuProbe;
import dev.heartlog.agent.HeartbeatScheduler;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.WorkerStatus;
import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many agents in one process: a shared heartbeat scheduler and a shared connection pool. */
@Timeout(120)
class SharedPoolTest {

  @Test
  void fiftyAgentsOnTwoThreadsAndTwoConnectionsStoreEveryRecordOnce() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    HikariConfig poolConfig = new HikariConfig();
    poolConfig.setJdbcUrl(url);
    poolConfig.setMaximumPoolSize(2);
    List<HeartlogAgent> agents = new ArrayList<>();

    try (HikariDataSource pool = new HikariDataSource(poolConfig);
        HeartbeatScheduler heartbeats = HeartbeatScheduler.create(2)) {
      for (int i = 0; i < 50; i++) {
        agents.add(HeartlogAgent.builder()
            .workerId("pooled-" + i)
            .transport(JdbcTransport.builder().dataSource(pool).build())
            .scheduler(heartbeats)
            .noSpool()
            .bufferSize(20)
            .gpuProbe(GpuProbe.none())
            .shutdownHook(false)
            .diagnostics(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
            .build());
      }
      for (int n = 0; n < 30; n++) {
        for (HeartlogAgent agent : agents) {
          agent.log(Level.INFO, agent.workerId() + " record " + n, "task-" + agent.workerId(), java.util.Map.of());
        }
      }
      for (HeartlogAgent agent : agents) {
        assertThat(agent.shutdown(WorkerStatus.STOPPED, Duration.ofSeconds(30))).isTrue();
      }

      assertThat(pool.isClosed()).as("closing a transport leaves the shared pool open").isFalse();
      assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isLessThanOrEqualTo(2);
    }

    long stored = store.withConnection(c -> {
      try (var rs = c.createStatement().executeQuery(
          "SELECT count(*), count(DISTINCT (source_id, message)) FROM system_logs WHERE source_id LIKE 'pooled-%'")) {
        rs.next();
        assertThat(rs.getLong(2)).as("no record twice").isEqualTo(rs.getLong(1));
        return rs.getLong(1);
      }
    });
    assertThat(stored).isEqualTo(50 * 30);
    assertThat(store.task("task-pooled-7").records()).hasSize(30);
    assertThat(store.workers(Store.DEFAULT_STALE_AFTER))
        .filteredOn(w -> w.id().startsWith("pooled-"))
        .hasSize(50)
        .allSatisfy(w -> assertThat(w.health()).isEqualTo("stopped"));
  }

  @Test
  void aPoolThatCannotConnectIsAFailedHeartbeatNotAnException() {
    HikariConfig poolConfig = new HikariConfig();
    poolConfig.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/nowhere");
    poolConfig.setConnectionTimeout(250);
    poolConfig.setInitializationFailTimeout(-1);
    try (HikariDataSource pool = new HikariDataSource(poolConfig);
        JdbcTransport transport = JdbcTransport.builder().dataSource(pool).build()) {
      DeliveryResult result = transport.deliver(new dev.heartlog.agent.Heartbeat(
          "w", "s", null, WorkerStatus.ACTIVE, null, null, null, List.of(), java.util.Map.of()));
      assertThat(result.outcome()).isEqualTo(DeliveryResult.Outcome.FAILED);
      assertThat(result.detail()).isNotBlank();
    }
  }

  @Test
  void aUrlAndADataSourceTogetherAreRefused() {
    HikariConfig poolConfig = new HikariConfig();
    poolConfig.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/nowhere");
    poolConfig.setInitializationFailTimeout(-1);
    try (HikariDataSource pool = new HikariDataSource(poolConfig)) {
      assertThatThrownBy(() -> JdbcTransport.builder().url("jdbc:postgresql://x/y").dataSource(pool).build())
          .hasMessageContaining("not both");
    }
  }
}
