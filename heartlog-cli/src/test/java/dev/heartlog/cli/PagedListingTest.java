package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.LogFilter;
import dev.heartlog.store.PooledStores;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Listing the newest records oldest first a page at a time, through a temporary file: the same
 * records, in the same order, as the store's listing of them all at once.
 */
@Timeout(120)
class PagedListingTest {

  private static final int RECORDS = 2_537;

  private static String url;
  private static Store store;

  @BeforeAll
  static void fill() {
    url = TestDatabase.migratedUrl();
    store = PooledStores.of(url);   // some 400 queries
    // Three records a second, some without a sequence number, some with a stack trace, one
    // message over the 64 KB a DataOutputStream string holds, text that is not ASCII.
    store.withConnection(c -> c.createStatement().execute("""
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, metadata, session_id, seq)
        SELECT timestamptz '2026-11-27 10:00:00Z' + (g / 3) * interval '1 second' + (g %% 3) * interval '1 microsecond' * (g %% 2),
               (ARRAY['INFO', 'WARNING', 'ERROR'])[1 + g %% 3],
               CASE WHEN g = 1000 THEN repeat('long ', 20000) ELSE 'step ' || g || ' — schritt über' END,
               'worker', 'gpu-' || g %% 2, CASE WHEN g %% 5 = 0 THEN NULL ELSE 'task-' || g / 100 END,
               CASE WHEN g %% 7 = 0 THEN jsonb_build_object('exception', 'Traceback ' || g, 'frame', g)
                    ELSE '{}'::jsonb END,
               CASE WHEN g %% 4 = 0 THEN NULL ELSE 'session-1' END,
               CASE WHEN g %% 4 = 0 THEN NULL ELSE g END
        FROM generate_series(0, %d) g""".formatted(RECORDS - 1)));
  }

  private static LogFilter all(int limit) {
    return new LogFilter(null, null, null, null, null, null, limit);
  }

  private static List<StoredRecord> paged(LogFilter filter, int pageSize) throws IOException {
    List<StoredRecord> listed = new ArrayList<>();
    long count = PagedListing.eachOldestFirst(store, filter, pageSize, listed::add);
    assertThat(count).isEqualTo(listed.size());
    return listed;
  }

  @ParameterizedTest(name = "limit {0} in pages of {1}")
  @CsvSource({"2000, 100", "300, 100", "250, 100", "100, 100", "99, 100", "5000, 100", "5000, 1000", "2537, 7"})
  void theNewestRecordsComeOldestFirstAsTheWholeListingHasThem(int limit, int pageSize) throws IOException {
    assertThat(paged(all(limit), pageSize)).isEqualTo(store.logs(all(limit)));
  }

  @Test
  void aFilterHoldsOnEveryPage() throws IOException {
    LogFilter errorsOfOneWorker = new LogFilter("gpu-1", null, "ERROR", null, null, null, 10_000);

    List<StoredRecord> listed = paged(errorsOfOneWorker, 50);

    assertThat(listed).isEqualTo(store.logs(errorsOfOneWorker)).hasSizeGreaterThan(200)
        .allSatisfy(r -> assertThat(r.workerId()).isEqualTo("gpu-1"))
        .allSatisfy(r -> assertThat(r.level()).isEqualTo("ERROR"));
  }

  @Test
  void heartlogLogsPrintsMoreRecordsThanAPageAsItPrintsThemAllAtOnce() {
    // 12,537 records: a listing of more than one of the command's pages of 10,000.
    store.withConnection(c -> c.createStatement().execute("""
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, seq)
        SELECT timestamptz '2026-11-27 09:00:00Z' + g * interval '100 milliseconds', 'INFO', 'early ' || g,
               'worker', 'gpu-2', g
        FROM generate_series(1, 10000) g"""));
    int total = RECORDS + 10_000;

    Cli.Result result = Cli.run("logs", "--db-url", url, "--limit", "20000", "--json");

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> expected = store.logs(all(20_000)).stream().map(dev.heartlog.store.StoreJson::record).toList();
    assertThat(expected).hasSize(total);
    assertThat(result.out().lines().toList()).isEqualTo(expected);
  }
}
