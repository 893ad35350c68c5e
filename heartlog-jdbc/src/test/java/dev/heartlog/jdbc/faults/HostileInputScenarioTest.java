package dev.heartlog.jdbc.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.GpuProbe;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.jdbc.JdbcTransport;
import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 5: one batch mixes good records with a NUL character, a lone surrogate, a 10 MB
 * message, metadata nested 2,000 levels and a metadata value whose toString() throws. PostgreSQL
 * rejects a whole call for one NUL; here every record is stored, cleaned, and the heartbeat
 * succeeds.
 */
class HostileInputScenarioTest {

  @TempDir Path spool;

  @Test
  @Timeout(60)
  void goodAndCleanedRecordsAreAllStoredAndTheHeartbeatSucceeds() {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Map<String, Object> deep = new HashMap<>();
    Map<String, Object> level = deep;
    for (int i = 0; i < 2_000; i++) {
      Map<String, Object> next = new HashMap<>();
      level.put("child", next);
      level = next;
    }
    Object brokenToString = new Object() {
      @Override
      public String toString() {
        throw new IllegalStateException("cannot describe myself");
      }
    };

    try (HeartlogAgent agent =
        HeartlogAgent.builder()
            .workerId("hostile-worker")
            .transport(JdbcTransport.builder().url(url).build())
            .gpuProbe(GpuProbe.none())
            .spoolDirectory(spool)
            .heartbeatInterval(Duration.ofHours(1))
            .shutdownHook(false)
            .diagnostics(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
            .build()) {
      agent.log(Level.INFO, "good before");
      agent.log(Level.INFO, "nul \u0000 inside");
      agent.log(Level.INFO, "lone \uD800 surrogate");
      agent.log(Level.WARNING, "m".repeat(10 * 1024 * 1024));
      agent.log(Level.ERROR, "deep metadata", null, deep);
      agent.log(Level.ERROR, "odd value", null, Map.of("value", brokenToString));
      agent.log(Level.INFO, "good after");
      assertThat(agent.flush(Duration.ofSeconds(30))).isTrue();
    }

    List<StoredRecord> stored = store.logs(new LogFilter("hostile-worker", null, null, null, null, null, 100));
    Ledger.count("5-hostile-input", url, "hostile-worker", 7).assertBalanced();
    assertThat(stored).extracting(StoredRecord::level)
        .containsExactly("INFO", "INFO", "INFO", "WARNING", "ERROR", "ERROR", "INFO");
    assertThat(stored.get(0).message()).isEqualTo("good before");
    assertThat(stored.get(1).message()).isEqualTo("nul \uFFFD inside");
    assertThat(stored.get(2).message()).isEqualTo("lone \uFFFD surrogate");
    String huge = stored.get(3).message();
    String tail = huge.substring(Math.max(0, huge.length() - 60));
    assertThat(huge.length()).isLessThanOrEqualTo(64 * 1024);
    assertThat(tail).matches(".*m … \\[heartlog truncated \\d{8} characters]");
    assertThat(huge.indexOf("heartlog truncated")).as("one marker").isEqualTo(huge.lastIndexOf("heartlog truncated"));
    assertThat(stored.get(4).metadataJson()).contains("nested deeper than 8 levels");
    assertThat(stored.get(5).metadataJson()).contains("toString() of").contains("cannot describe myself");
    assertThat(stored.get(6).message()).isEqualTo("good after");
    assertThat(store.workers(Store.DEFAULT_STALE_AFTER)).singleElement()
        .satisfies(w -> assertThat(w.health()).isEqualTo("stopped"));
  }
}
