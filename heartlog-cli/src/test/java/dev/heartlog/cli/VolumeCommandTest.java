package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code heartlog volume}: which worker, logger, level or task fills the store. */
@Timeout(60)
class VolumeCommandTest {

  private static final String[] RANGE = {"--since", "2026-11-27T10:00:00Z", "--until", "2026-11-27T11:00:00Z"};

  private static String url;

  @BeforeAll
  static void fill() {
    // A chatty worker's 3,000 short DEBUG records of one logger; a worker's 4 records of 1,000
    // bytes, one outside a task; and a record after the range.
    url = TestDatabase.migratedUrlFilledBy("""
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, metadata)
        SELECT timestamptz '2026-11-27 10:00:00Z' + g * interval '1 millisecond', level, repeat('x', size), 'worker',
               worker, task, metadata::jsonb
        FROM (VALUES
          ('DEBUG', 10, 'chatty-gpu', 'render-1', '{"logger": "diffusers.pipelines"}', 3000),
          ('INFO', 1000, 'quiet-gpu', 'render-2', '{}', 3),
          ('ERROR', 1000, 'quiet-gpu', NULL, '{}', 1)
        ) AS r(level, size, worker, task, metadata, n),
        generate_series(1, n) g
        UNION ALL
        SELECT '2026-11-27 11:00:00Z', 'INFO', 'after', 'worker', 'late-gpu', NULL, '{}'
        UNION ALL
        -- The hour before: the chatty worker's 1,000 records of an earlier task.
        SELECT timestamptz '2026-11-27 09:00:00Z' + g * interval '1 millisecond', 'DEBUG', repeat('x', 10), 'worker',
               'chatty-gpu', 'render-0', '{"logger": "diffusers.pipelines"}'
        FROM generate_series(1, 1000) g""");
  }

  private static Cli.Result run(String... args) {
    List<String> all = new ArrayList<>(List.of("volume"));
    all.addAll(List.of(args));
    all.addAll(List.of(RANGE));
    all.addAll(List.of("--db-url", url));
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  void theWorkersOfTheMostRecordsComeFirstWithTheirShareOfTheRecordsAndTheBytes() {
    Cli.Result result = run();

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("WORKER         RECORDS      %       BYTES      %");
    assertThat(lines.get(1)).matches("chatty-gpu       3,000  99\\.9%   \\d{3}\\.\\d KiB  9\\d\\.\\d%");
    assertThat(lines.get(2)).matches("quiet-gpu            4   0\\.1%     \\d\\.\\d KiB   \\d\\.\\d%");
    assertThat(lines.get(4)).matches("3,004 records since 2026-11-27 10:00:00Z before 2026-11-27 11:00:00Z, \\d{3}\\.\\d KiB of "
        + "messages and metadata as stored; 2 workers\\.");
    assertThat(lines.get(5)).matches("The store's records take \\d+\\.\\d [KM]iB with their indexes, in \\d+ partitions; "
        + "its heartbeats \\d+\\.\\d KiB\\.");
    assertThat(lines).hasSize(6);
  }

  @Test
  void byComponentLevelOrTaskTheRecordsWithoutOneAreADash() {
    assertThat(run("--by", "component").out()).contains("diffusers.pipelines       3,000", "\n-                             4 ",
        "2 components; - is the records without a component.",
        "A component's workers keep fewer of its records with levels per component: "
            + "HEARTLOG_LEVELS=diffusers.pipelines=WARNING (--levels on heartlog run).");
    assertThat(run("--by", "level").out()).doesNotContain("HEARTLOG_LEVELS");
    assertThat(run("--by", "LEVEL").out()).contains("DEBUG       3,000", "INFO            3", "ERROR           1");
    assertThat(run("--by", "task", "--limit", "1").out()).contains("render-1       3,000",
        "1 of 3 tasks shown, the most records (--limit)").doesNotContain("render-2");
    assertThat(run("--by", "task").out()).contains("; - is the records outside a task.");
  }

  @Test
  void theJsonHasEveryPartsRecordsAndBytesAndTheStoresSize() {
    Cli.Result result = run("--worker", "quiet-gpu", "--by", "level", "--json");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).startsWith("{\"since\":\"2026-11-27T10:00:00Z\",\"until\":\"2026-11-27T11:00:00Z\",\"by\":\"level\","
        + "\"record_count\":4,\"byte_count\":").contains("\"part_count\":2,\"parts\":[{\"name\":\"INFO\",\"records\":3,\"bytes\":",
        "{\"name\":\"ERROR\",\"records\":1,\"bytes\":", "\"store_bytes\":", "\"partitions\":", "\"heartbeats_bytes\":");
  }

  @Test
  void compareCountsEachPartsRecordsInTheRangeBeforeAndNamesTheNewOnes() {
    Cli.Result result = run("--compare");
    Cli.Result json = run("--compare", "--json", "--by", "task");

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines.get(0)).matches("WORKER\\s+RECORDS\\s+%\\s+BEFORE\\s+BYTES\\s+%");
    assertThat(lines.get(1)).matches("chatty-gpu\\s+3,000\\s+99\\.9%\\s+1,000\\s+\\d+\\.\\d KiB\\s+9\\d\\.\\d%");
    assertThat(lines.get(2)).matches("quiet-gpu\\s+4\\s+0\\.1%\\s+new\\s+\\d\\.\\d KiB\\s+\\d\\.\\d%");
    assertThat(lines.get(5)).matches("BEFORE: each worker's records in the range before, as long: since 2026-11-27 09:00:00Z "
        + "before 2026-11-27 10:00:00Z, 1,000 records, \\d+\\.\\d KiB \\(the range holds 3\\.00 times as many now\\); "
        + "new: none then \\(1 of the 2 workers listed\\)\\.");
    assertThat(json.out()).contains("\"before\":{\"since\":\"2026-11-27T09:00:00Z\",\"until\":\"2026-11-27T10:00:00Z\","
        + "\"record_count\":1000,", "{\"name\":\"render-1\",\"records\":3000,\"records_before\":0,")
        .doesNotContain("render-0");
    assertThat(run().out()).as("not unless asked").doesNotContain("BEFORE");
    assertThat(run("--compare", "--worker", "quiet-gpu").out()).as("of the worker only, then too")
        .contains("before 2026-11-27 10:00:00Z, 0 records, 0 B; new: none then (1 of the 1 worker listed).");
  }

  @Test
  void anEmptyRangeSaysSoAndAnUnknownGroupingIsABadFlag() {
    Cli.Result empty = Cli.run("volume", "--since", "2026-11-27T08:00:00Z", "--until", "2026-11-27T09:00:00Z", "--db-url", url);
    Cli.Result unknown = run("--by", "host");

    assertThat(empty.exitCode()).isZero();
    assertThat(empty.out()).startsWith("No records since 2026-11-27 08:00:00Z before 2026-11-27 09:00:00Z.")
        .contains("The store's records take ");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).startsWith("heartlog: records are grouped by worker, component, level or task (got 'host')");
  }

  @Test
  void sizesReadInBinaryUnits() {
    assertThat(RecordText.bytes(512)).isEqualTo("512 B");
    assertThat(RecordText.bytes(4000)).isEqualTo("3.9 KiB");
    assertThat(RecordText.bytes(64L << 20)).isEqualTo("64.0 MiB");
    assertThat(RecordText.bytes(3L << 30)).isEqualTo("3.0 GiB");
  }
}
