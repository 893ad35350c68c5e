package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The records around a point ({@link Store#logsAround}): what a worker did just before and after
 * a record, across its tasks, as {@code grep -C} shows the lines around a match.
 */
class LogsAroundTest {

  private static final Instant TIME = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
  private static final Instant TIE = TIME.plus(10, ChronoUnit.MINUTES);
  private static Store store;

  @BeforeAll
  static void fill() {
    store = TestDatabase.freshStore();
    // gpu-1: a record a second, numbered 1 to 60; every tenth an ERROR; task t-1, then t-2 from 31.
    store("gpu-1", 60, "g", "timestamptz '" + TIME + "' + g * interval '1 second'",
        "CASE WHEN g % 10 = 0 THEN 'ERROR' ELSE 'INFO' END", "CASE WHEN g <= 30 THEN 't-1' ELSE 't-2' END");
    // gpu-2: half a second after each of gpu-1's.
    store("gpu-2", 60, "g", "timestamptz '" + TIME + "' + (g + 0.5) * interval '1 second'", "'INFO'", "NULL");
    // Records of one time: numbered (a tight loop), and without numbers (an older agent).
    store("gpu-3", 30, "g", "'" + TIE + "'", "'INFO'", "NULL");
    store("gpu-4", 10, "NULL", "'" + TIE + "'", "'INFO'", "NULL");
  }

  private static void store(String worker, int records, String seq, String timestamp, String level, String task) {
    store.withConnection(c -> c.createStatement().execute(
        "SELECT func_worker_heartbeat_with_logs('" + worker + "', NULL, NULL, (SELECT jsonb_agg(jsonb_build_object("
            + "'timestamp', " + timestamp + ", 'level', " + level + ", 'message', '" + worker + " ' || g, 'seq', " + seq
            + ", 'task_id', " + task + ") ORDER BY g) FROM generate_series(1, " + records + ") g), NULL)"));
  }

  private static LogFilter of(String worker, String level, int each) {
    return new LogFilter(worker, null, level, null, null, null, each);
  }

  private static long idOf(String message) {
    return store.logs(new LogFilter(null, null, null, null, null, message, 1_000)).stream()
        .filter(record -> record.message().equals(message)).findFirst().orElseThrow().id();
  }

  private static List<String> messages(List<StoredRecord> records) {
    return records.stream().map(StoredRecord::message).toList();
  }

  @Test
  void aRecordsWorkerAroundItAcrossItsTasks() {
    List<StoredRecord> around = store.logsAround(of("gpu-1", null, 5), idOf("gpu-1 31"));

    assertThat(messages(around)).containsExactly(
        "gpu-1 26", "gpu-1 27", "gpu-1 28", "gpu-1 29", "gpu-1 30",
        "gpu-1 31",
        "gpu-1 32", "gpu-1 33", "gpu-1 34", "gpu-1 35", "gpu-1 36");
    assertThat(around).extracting(StoredRecord::taskId).containsOnly("t-1", "t-2");
  }

  @Test
  void aTimesRecordsBeforeItAndFromItOn() {
    assertThat(messages(store.logsAround(of("gpu-1", null, 3), TIME.plusSeconds(31)))).containsExactly(
        "gpu-1 28", "gpu-1 29", "gpu-1 30", "gpu-1 31", "gpu-1 32", "gpu-1 33");
  }

  @Test
  void theFleetsRecordsAroundATimeInterleaved() {
    // No worker: the records are looked for in windows on from the time, as back from it.
    assertThat(messages(store.logsAround(of(null, null, 2), TIME.plusSeconds(31)))).containsExactly(
        "gpu-1 30", "gpu-2 30", "gpu-1 31", "gpu-2 31");
    assertThat(messages(store.logsAround(of(null, null, 25), TIME.plusSeconds(31))))
        .hasSize(50).startsWith("gpu-2 18", "gpu-1 19").endsWith("gpu-2 42", "gpu-1 43");
  }

  @Test
  void theRecordItselfIsShownWhetherItMatchesOrNot() {
    assertThat(messages(store.logsAround(of("gpu-1", "ERROR", 2), idOf("gpu-1 31")))).containsExactly(
        "gpu-1 20", "gpu-1 30", "gpu-1 31", "gpu-1 40", "gpu-1 50");
  }

  @Test
  void recordsOfTheRecordsOwnTimeComeBeforeAndAfterItInOrder() {
    assertThat(messages(store.logsAround(of("gpu-3", null, 3), idOf("gpu-3 15")))).containsExactly(
        "gpu-3 12", "gpu-3 13", "gpu-3 14", "gpu-3 15", "gpu-3 16", "gpu-3 17", "gpu-3 18");
    // Without sequence numbers, by id: the order they were stored in.
    assertThat(messages(store.logsAround(of("gpu-4", null, 2), idOf("gpu-4 5")))).containsExactly(
        "gpu-4 3", "gpu-4 4", "gpu-4 5", "gpu-4 6", "gpu-4 7");
    // Across the fleet too: gpu-3's and gpu-4's records of that time, gpu-4's (unnumbered) first.
    assertThat(messages(store.logsAround(of(null, null, 2), idOf("gpu-4 1")))).containsExactly(
        "gpu-1 60", "gpu-2 60", "gpu-4 1", "gpu-4 2", "gpu-4 3");
    // After the last unnumbered record, the numbered ones of its time, though stored before it.
    assertThat(messages(store.logsAround(of(null, null, 2), idOf("gpu-4 10")))).containsExactly(
        "gpu-4 8", "gpu-4 9", "gpu-4 10", "gpu-3 1", "gpu-3 2");
  }

  @Test
  void theEndsOfTheStoreCutTheRecordsShort() {
    assertThat(messages(store.logsAround(of("gpu-1", null, 5), idOf("gpu-1 2"))))
        .containsExactly("gpu-1 1", "gpu-1 2", "gpu-1 3", "gpu-1 4", "gpu-1 5", "gpu-1 6", "gpu-1 7");
    assertThat(messages(store.logsAround(of(null, null, 2), idOf("gpu-3 30"))))
        .containsExactly("gpu-3 28", "gpu-3 29", "gpu-3 30");
    assertThat(store.logsAround(of(null, null, 5), TIME.plus(1, ChronoUnit.HOURS))).extracting(StoredRecord::message)
        .containsExactly("gpu-3 26", "gpu-3 27", "gpu-3 28", "gpu-3 29", "gpu-3 30");
  }

  @Test
  void aRecordThatIsGoneHasNothingAroundIt() {
    assertThat(store.logsAround(of(null, null, 5), Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void aRangeIsRefusedSinceThePointIsTheRecordsRange() {
    LogFilter ranged = new LogFilter("gpu-1", null, null, TIME, null, null, null, Map.of(), 5);
    assertThatThrownBy(() -> store.logsAround(ranged, TIME)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no range");
  }
}
