package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code heartlog logs --around}: what a worker did just before and after a time or a record. */
@Timeout(60)
class LogsAroundCommandTest {

  private static String url;
  private static long crashId;

  @BeforeAll
  static void fill() throws Exception {
    // gpu-7 renders frames 0-9 of render-1a2b, a second apart, runs out of GPU memory at 10:00:10,
    // then takes encode-9f; gpu-8 logs half a second after each of gpu-7's records.
    url = TestDatabase.migratedUrlFilledBy("""
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, metadata)
        SELECT timestamptz '2026-11-27 10:00:00Z' + g * interval '1 second', 'INFO', 'frame ' || g || ' rendered',
               'worker', 'gpu-7', 'render-1a2b', '{}'::jsonb
        FROM generate_series(0, 9) g
        UNION ALL
        SELECT '2026-11-27 10:00:10Z', 'ERROR', 'render failed', 'worker', 'gpu-7', 'render-1a2b',
               '{"exception": "Traceback (most recent call last):\\ntorch.OutOfMemoryError: CUDA out of memory"}'
        UNION ALL
        SELECT timestamptz '2026-11-27 10:00:10Z' + g * interval '1 second', 'INFO', 'encode step ' || g,
               'worker', 'gpu-7', 'encode-9f', '{}'::jsonb
        FROM generate_series(1, 5) g
        UNION ALL
        SELECT timestamptz '2026-11-27 10:00:00.5Z' + g * interval '1 second', 'INFO', 'other ' || g,
               'worker', 'gpu-8', NULL, '{}'::jsonb
        FROM generate_series(0, 15) g""");
    crashId = Long.parseLong(TestDatabase.single(url, "SELECT id FROM system_logs WHERE message = 'render failed'"));
  }

  private static Cli.Result logs(String... args) {
    List<String> all = new ArrayList<>(List.of("logs"));
    all.addAll(List.of(args));
    all.addAll(List.of("--db-url", url));
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  void aWorkersRecordsBeforeATimeAndFromItOnAcrossItsTasks() {
    Cli.Result result = logs("--worker", "gpu-7", "--around", "2026-11-27T10:00:10Z", "--context", "3", "--no-stack-traces");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines()).containsExactly(
        "2026-11-27 10:00:07.000000Z  INFO      gpu-7  [task render-1a2b]  frame 7 rendered",
        "2026-11-27 10:00:08.000000Z  INFO      gpu-7  [task render-1a2b]  frame 8 rendered",
        "2026-11-27 10:00:09.000000Z  INFO      gpu-7  [task render-1a2b]  frame 9 rendered",
        "-- 2026-11-27 10:00:10.000000Z --",
        "2026-11-27 10:00:10.000000Z  ERROR     gpu-7  [task render-1a2b]  render failed",
        "2026-11-27 10:00:11.000000Z  INFO      gpu-7  [task encode-9f]  encode step 1",
        "2026-11-27 10:00:12.000000Z  INFO      gpu-7  [task encode-9f]  encode step 2");
    // A line's time copied as it was printed is the same point.
    assertThat(logs("--worker", "gpu-7", "--around", "2026-11-27 10:00:10.000000Z", "--context", "3", "--no-stack-traces")
        .out()).isEqualTo(result.out());
  }

  @Test
  void aRecordByItsIdIsMarkedAndPrintedWithItsStackTrace() {
    Cli.Result result = logs("--worker", "gpu-7", "--around", String.valueOf(crashId), "--context", "1");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines()).containsExactly(
        "2026-11-27 10:00:09.000000Z  INFO      gpu-7  [task render-1a2b]  frame 9 rendered",
        "-- record " + crashId + " --",
        "2026-11-27 10:00:10.000000Z  ERROR     gpu-7  [task render-1a2b]  render failed",
        "    Traceback (most recent call last):",
        "    torch.OutOfMemoryError: CUDA out of memory",
        "2026-11-27 10:00:11.000000Z  INFO      gpu-7  [task encode-9f]  encode step 1");
  }

  @Test
  void theFleetsRecordsAroundATimeAsJsonWithoutTheMark() {
    Cli.Result result = logs("--around", "2026-11-27T10:00:10Z", "--context", "2", "--json");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines()).hasSize(4).allMatch(line -> line.startsWith("{\"id\":"));
    assertThat(result.out().lines().map(line -> line.replaceAll(".*\"message\":\"([^\"]*)\".*", "$1")))
        .containsExactly("frame 9 rendered", "other 9", "render failed", "other 10");
  }

  @Test
  void aTaskGivenInPartAndAPointPastTheLastRecord() {
    Cli.Result result = logs("--task", "encode", "--around", "2026-11-27T11:00:00Z", "--context", "2", "--no-stack-traces");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.err()).contains("task encode is encode-9f");
    assertThat(result.out().lines()).containsExactly(
        "2026-11-27 10:00:14.000000Z  INFO      gpu-7  [task encode-9f]  encode step 4",
        "2026-11-27 10:00:15.000000Z  INFO      gpu-7  [task encode-9f]  encode step 5",
        "-- 2026-11-27 11:00:00.000000Z --");
  }

  @Test
  void aRecordThatIsGoneIsExitCodeOne() {
    Cli.Result result = logs("--around", "999999999");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("heartlog: no record 999999999 (records are kept 48 hours)");
  }

  @Test
  void aRangeALimitOrFollowingIsRefusedAsIsContextAlone() {
    Cli.Result ranged = logs("--around", "10:00", "--since", "1h", "--limit", "5", "--follow");
    assertThat(ranged.exitCode()).isEqualTo(2);
    assertThat(ranged.err()).contains("--around lists --context records on each side of its point; it does not go with "
        + "--since, --limit, --follow");

    Cli.Result ofAKind = logs("--kind", "0123abcd", "--around", "10:00", "--context", "5");
    assertThat(ofAKind.exitCode()).isEqualTo(2);
    assertThat(ofAKind.err()).contains("it does not go with --around, --context");

    Cli.Result alone = logs("--context", "5");
    assertThat(alone.exitCode()).isEqualTo(2);
    assertThat(alone.err()).contains("--context is the records on each side of --around's point; give --around");

    assertThat(logs("--around", "soon").err()).contains("--around takes a time or a record's id: 'soon' is neither");
    assertThat(logs("--around", "99999999999999999999").err()).contains("'99999999999999999999' is too large an id");
    assertThat(logs("--around", "10:00", "--context", "0").err()).contains("--context must be 1 to 10000 (got 0)");
  }
}
