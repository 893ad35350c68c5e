package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Paging through records older than a page ({@link Store#logsBefore}): records of one time are
 * common (a tight logging loop stamps several in a microsecond; a burst a wrapped program prints
 * arrives in one read), and a page that ends among them must not skip the rest of them.
 */
class LogPagesTest {

  private static final Instant TIME = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
  private static Store store;

  @BeforeAll
  static void fill() {
    store = TestDatabase.freshStore();
    store("gpu-1", 150, "g", "'" + TIME + "'");                              // one time, numbered
    store("gpu-2", 60, "NULL", "'" + TIME + "'");                            // one time, no numbers
    store("gpu-3", 40, "g", "timestamptz '" + TIME + "' - g * interval '1 second'");   // older, apart
  }

  private static void store(String worker, int records, String seq, String timestamp) {
    store.withConnection(c -> c.createStatement().execute(
        "SELECT func_worker_heartbeat_with_logs('" + worker + "', NULL, NULL, (SELECT jsonb_agg(jsonb_build_object("
            + "'timestamp', " + timestamp + ", 'level', 'INFO', 'message', '" + worker + " ' || g, 'seq', " + seq + ")) "
            + "FROM generate_series(1, " + records + ") g), NULL)"));
  }

  @Test
  void pagesOfOlderRecordsHoldEveryRecordOnceInTheListingsOrder() {
    LogFilter page = new LogFilter(null, null, null, null, null, null, 100);
    List<StoredRecord> all = store.logs(new LogFilter(null, null, null, null, null, null, 1_000));
    assertThat(all).hasSize(250);

    List<StoredRecord> paged = new ArrayList<>(store.logs(page));
    List<StoredRecord> older = store.logsBefore(page, paged.get(0).id());
    while (!older.isEmpty()) {
      paged.addAll(0, older);
      older = store.logsBefore(page, paged.get(0).id());
    }

    assertThat(paged).extracting(StoredRecord::id).containsExactlyElementsOf(all.stream().map(StoredRecord::id).toList());
  }

  @Test
  void pagingByTimeAloneSkipsTheRecordsOfTheLastTimeShown() {
    LogFilter page = new LogFilter(null, null, null, null, null, null, 100);
    List<StoredRecord> first = store.logs(page);
    Instant oldestShown = first.get(0).timestamp();

    List<StoredRecord> byTime = store.logs(new LogFilter(null, null, null, null, oldestShown, null, 100));

    // What this test's records are for: the page ends among 210 records of one time. By time
    // alone the 110 not shown are never listed; by position they are the next page's first.
    assertThat(oldestShown).isEqualTo(TIME);
    assertThat(byTime).hasSize(40).allMatch(record -> record.timestamp().isBefore(TIME));
    assertThat(store.logsBefore(page, first.get(0).id())).hasSize(100).allMatch(record -> record.timestamp().equals(TIME));
  }

  @Test
  void aPageAfterARecordThatIsGoneIsEmpty() {
    assertThat(store.logsBefore(LogFilter.all(), Long.MAX_VALUE)).isEmpty();
  }
}
