package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fleet's newest records, which {@link Store#logs} looks for in windows of time growing back
 * from now: whichever window they fall in, the answer is the newest records of the whole range,
 * as one read of it gives them.
 */
class NewestRecordsTest {

  private static final Instant NOW = Instant.now();
  private static Store store;

  @BeforeAll
  static void fill() {
    store = TestDatabase.freshStore();
    store("ahead", NOW.plus(Duration.ofHours(1)));   // a worker whose clock runs an hour fast
    store("5 s ago", NOW.minusSeconds(5));
    store("4 s ago", NOW.minusSeconds(4));
    store("27 min ago", NOW.minus(Duration.ofMinutes(27)));
    store("26 min ago", NOW.minus(Duration.ofMinutes(26)));
    store("25 min ago", NOW.minus(Duration.ofMinutes(25)));
    store("3 h ago", NOW.minus(Duration.ofHours(3)));
    store("2.5 h ago", NOW.minus(Duration.ofMinutes(150)));
    store("2 h ago", NOW.minus(Duration.ofHours(2)));
    store("40 h ago", NOW.minus(Duration.ofHours(40)));
    store("39 h ago", NOW.minus(Duration.ofHours(39)));
  }

  private static void store(String message, Instant timestamp) {
    String logs = "[{\"timestamp\": \"" + timestamp + "\", \"level\": \"INFO\", \"message\": \"" + message + "\"}]";
    store.withConnection(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT func_worker_heartbeat_with_logs('gpu-1', NULL, NULL, ?::jsonb)")) {
        s.setString(1, logs);
        return s.execute();
      }
    });
  }

  private static List<String> newest(int limit) {
    return newest(null, null, limit);
  }

  private static List<String> newest(Instant since, Instant until, int limit) {
    return store.logs(new LogFilter(null, null, null, since, until, null, limit)).stream().map(StoredRecord::message).toList();
  }

  @Test
  void theNewestAreFoundWhicheverWindowHoldsThem() {
    assertThat(newest(3)).as("the first window, with the record ahead of time")
        .containsExactly("5 s ago", "4 s ago", "ahead");
    assertThat(newest(5)).as("a wider window: 3 records in 10 min, 6 in an hour")
        .containsExactly("26 min ago", "25 min ago", "5 s ago", "4 s ago", "ahead");
    assertThat(newest(8)).containsExactly(
        "2.5 h ago", "2 h ago", "27 min ago", "26 min ago", "25 min ago", "5 s ago", "4 s ago", "ahead");
    assertThat(newest(10)).as("beyond the widest window").containsExactly(
        "39 h ago", "3 h ago", "2.5 h ago", "2 h ago", "27 min ago", "26 min ago", "25 min ago", "5 s ago", "4 s ago", "ahead");
    assertThat(newest(100)).hasSize(11).startsWith("40 h ago").endsWith("ahead");
  }

  @Test
  void windowsGrowBackFromUntilAndStopAtSince() {
    assertThat(newest(null, NOW.minus(Duration.ofMinutes(20)), 4))
        .containsExactly("2 h ago", "27 min ago", "26 min ago", "25 min ago");
    assertThat(newest(NOW.minus(Duration.ofMinutes(26)), null, 100))
        .containsExactly("26 min ago", "25 min ago", "5 s ago", "4 s ago", "ahead");
    assertThat(newest(NOW.minus(Duration.ofHours(2)), NOW.minus(Duration.ofMinutes(26)), 100))
        .as("since is inclusive, until is not").containsExactly("2 h ago", "27 min ago");
  }
}
