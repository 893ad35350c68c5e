package dev.heartlog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.GpuReading;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM worker that logs heartlog's password (its own configuration, the database URL it shares
 * with heartlog): the records stored hold {@code ***} in its place, in the message, the task id and
 * the metadata at any depth; what holds none is stored as logged. Before, the password was stored
 * as logged, readable by everyone who reads the logs.
 */
@Timeout(60)
class CredentialsInRecordsTest {

  private static final String PASSWORD = "hl-Secret-pw!42";

  @TempDir Path spool;

  @Test
  void thePasswordTheAgentSendsWithIsMaskedInWhatTheWorkerLogs() {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);

    // The test server trusts its user, so the password given is sent and not needed.
    try (HeartlogAgent agent = HeartlogAgent.builder()
        .spoolDirectory(spool)
        .workerId("leaky-worker")
        .transport(JdbcTransport.builder().url(url).password(PASSWORD).build())
        .gpuProbe(() -> new GpuReading(81559, 23017, List.of(0), null))
        .heartbeatInterval(Duration.ofMillis(100))
        .shutdownHook(false)
        .diagnostics(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
        .build()) {
      agent.log(Level.INFO, "frame 1 rendered");
      agent.log(Level.INFO, "connecting to jdbc:postgresql://db:5432/app?user=app&password=" + PASSWORD, null,
          Map.of("config", Map.of("password", PASSWORD, "pool_size", 8), "argv", List.of("--password", PASSWORD),
              "attempt", 1));
      agent.log(Level.INFO, "task named after it", "task-" + PASSWORD, Map.of());
      assertThat(agent.flush(Duration.ofSeconds(20))).isTrue();
    }

    List<StoredRecord> stored = store.logs(new LogFilter("leaky-worker", null, null, null, null, null, 10));
    assertThat(stored).extracting(StoredRecord::message).containsExactlyInAnyOrder("frame 1 rendered",
        "connecting to jdbc:postgresql://db:5432/app?user=app&password=***", "task named after it");
    assertThat(stored).allSatisfy(record -> {
      assertThat(record.message()).doesNotContain(PASSWORD);
      assertThat(record.metadataJson()).doesNotContain(PASSWORD);
      assertThat(String.valueOf(record.taskId())).doesNotContain(PASSWORD);
    });
    assertThat(stored).filteredOn(record -> record.message().startsWith("connecting")).singleElement()
        .satisfies(record -> assertThat(record.metadataJson()).contains("\"password\": \"***\"", "\"pool_size\": 8",
            "[\"--password\", \"***\"]", "\"attempt\": 1"));
    assertThat(stored).filteredOn(record -> record.message().startsWith("task named")).singleElement()
        .satisfies(record -> assertThat(record.taskId()).isEqualTo("task-***"));
  }

  @Test
  void theWorkersOwnSecretsNamedInHeartlogMaskVariablesAreMaskedInTheSpoolAndTheStore() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    String token = "hf_kXq3vT9mPzL2wQ8rY5nB";
    String awsKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    Map<String, String> environment = new java.util.HashMap<>(Map.of(
        "HEARTLOG_WORKER_ID", "leaky-tokens",
        "HEARTLOG_DB_URL", "jdbc:postgresql://127.0.0.1:1/down?connectTimeout=1",   // nothing listens there
        "HEARTLOG_SPOOL_DIR", spool.toString(),
        "HEARTLOG_DB_PASSWORD", PASSWORD,   // with heartlog's own credentials, masked as well
        "HEARTLOG_SHUTDOWN_TIMEOUT", "1s",
        "HEARTLOG_MASK_VARIABLES", "HF_TOKEN, *_SECRET_ACCESS_KEY, HF_TOKN",
        "HF_TOKEN", token,
        "AWS_SECRET_ACCESS_KEY", awsKey,
        "AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"));
    ByteArrayOutputStream said = new ByteArrayOutputStream();

    // The store is down: the batch waits in the spool, on disk.
    try (HeartlogAgent agent = agentOf(environment, said)) {
      agent.log(Level.INFO, "db password " + PASSWORD + ", downloading wan2.1 with Authorization: Bearer " + token, null,
          Map.of("env", Map.of("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY", awsKey)));
    }
    String spooled;
    try (var files = java.nio.file.Files.walk(spool)) {
      StringBuilder all = new StringBuilder();
      for (Path file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
        all.append(java.nio.file.Files.readString(file, StandardCharsets.ISO_8859_1));
      }
      spooled = all.toString();
    }
    assertThat(spooled).as("the spool's segments").contains("Bearer ***").doesNotContain(token)
        .doesNotContain("EXAMPLEKEY");
    assertThat(said.toString(StandardCharsets.UTF_8))
        .contains("HEARTLOG_MASK_VARIABLES names HF_TOKN, which is not set: nothing of it is masked",
            "masked in records: the values of AWS_SECRET_ACCESS_KEY, HF_TOKEN")
        .doesNotContain(token).doesNotContain("EXAMPLEKEY");

    // The store is back: the next start sends what the spool kept.
    environment.put("HEARTLOG_DB_URL", url);
    try (HeartlogAgent agent = agentOf(environment, said)) {
      assertThat(agent.flush(Duration.ofSeconds(20))).isTrue();
    }
    List<StoredRecord> stored = store.logs(new LogFilter("leaky-tokens", null, null, null, null, null, 10));
    assertThat(stored).singleElement().satisfies(record -> {
      assertThat(record.message()).isEqualTo("db password ***, downloading wan2.1 with Authorization: Bearer ***");
      assertThat(record.metadataJson()).contains("\"AWS_SECRET_ACCESS_KEY\": \"***\"")
          .as("a variable no name matches").contains("AKIAIOSFODNN7EXAMPLE");
    });
  }

  private static HeartlogAgent agentOf(Map<String, String> environment, ByteArrayOutputStream said) {
    return dev.heartlog.agent.AgentEnvironment.of(environment, new java.util.Properties()).agentBuilder()
        .gpuProbe(dev.heartlog.agent.GpuProbe.none())
        .shutdownHook(false)
        .diagnostics(new PrintStream(said, true, StandardCharsets.UTF_8))
        .build();
  }
}
