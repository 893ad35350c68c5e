package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code heartlog errors --kind}: one kind of error, and the workers and tasks it hit, the most
 * errors first, found by the id {@code heartlog errors} shows.
 */
@Timeout(60)
class ErrorKindCommandTest {

  private static final String[] RANGE = {"--since", "2026-11-27T09:00:00Z", "--until", "2026-11-27T14:00:00Z"};

  private static String url;
  private static String oomKind;

  @BeforeAll
  static void fill() {
    url = TestDatabase.migratedUrlFilledBy("""
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, metadata, seq)
        SELECT t::timestamptz, level, message, 'worker', worker, task,
               CASE WHEN gib IS NULL THEN '{}'::jsonb
                    ELSE jsonb_build_object('exception', E'Traceback (most recent call last):\\n'
                        || E'  File "worker.py", line 410, in render\\n'
                        || 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate ' || gib || ' GiB')
               END, row_number() OVER ()
        FROM (VALUES
          ('2026-11-27 10:00:00Z', 'ERROR', 'render failed', 'gpu-a', 't-1', '2.00'),
          ('2026-11-27 10:10:00Z', 'ERROR', 'render failed', 'gpu-a', 't-2', '4.00'),
          ('2026-11-27 10:20:00Z', 'CRITICAL', 'frame 7 lost', 'gpu-a', 't-2', '12.50'),
          ('2026-11-27 10:30:00Z', 'ERROR', 'render failed', 'gpu-b', 't-3', '5.00'),
          ('2026-11-27 10:40:00Z', 'ERROR', 'render failed', 'gpu-b', NULL, '1.00'),
          ('2026-11-27 10:05:00Z', 'ERROR', 'disk full', 'gpu-c', 't-4', NULL),
          ('2026-11-27 10:01:00Z', 'ERROR', 'upload refused', 'gpu-c', 'upload-7f3a9c', NULL),
          ('2026-11-27 07:00:00Z', 'ERROR', 'render failed', 'gpu-a', 't-0', '3.00'),
          ('2026-11-27 10:06:00Z', 'WARNING', 'render slow', 'gpu-c', 't-4', '3.00')
        ) AS e(t, level, message, worker, task, gib)""");
    Cli.Result kinds = run("errors");
    assertThat(kinds.exitCode()).as(kinds.err()).isZero();
    oomKind = kinds.out().lines().filter(line -> line.contains("OutOfMemoryError")).findFirst().orElseThrow().substring(0, 8);
  }

  private static Cli.Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(RANGE));
    all.addAll(List.of("--db-url", url));
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  void aKindIsShownWithTheWorkersAndTasksItHitTheMostErrorsFirst() {
    Cli.Result result = run("errors", "--kind", oomKind);

    assertThat(result.exitCode()).as(result.err()).isZero();
    String oom = "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate ";
    assertThat(result.out().lines().toList()).as(result.out()).containsExactly(
        "Kind " + oomKind + ": 5 errors on 2 workers in 3 tasks since 2026-11-27 09:00:00Z before 2026-11-27 14:00:00Z, "
            + "the first at 2026-11-27 10:00:00Z, the latest at 2026-11-27 10:40:00Z:",
        "  render failed (" + oom + "1.00 GiB)",
        "    Traceback (most recent call last):",
        "      File \"worker.py\", line 410, in render",
        "    " + oom + "1.00 GiB",
        "  errors per 5m since 2026-11-27 09:00:00Z (\u2588 = 1): |" + " ".repeat(12) + "\u2588 \u2588 \u2588 \u2588 \u2588"
            + " ".repeat(39) + "|",
        "",
        "WORKER  ERRORS TASKS  FIRST                 LATEST                LATEST TASK  ERROR",
        "gpu-a        3     2  2026-11-27 10:00:00Z  2026-11-27 10:20:00Z  t-2          frame 7 lost (" + oom + "12.50 GiB)",
        "gpu-b        2     1  2026-11-27 10:30:00Z  2026-11-27 10:40:00Z  -            render failed (" + oom + "1.00 GiB)",
        "",
        "TASK  ERRORS WORKERS  FIRST                 LATEST                LATEST WORKER  ERROR",
        "t-2        2       1  2026-11-27 10:10:00Z  2026-11-27 10:20:00Z  gpu-a          frame 7 lost (" + oom + "12.50 GiB)",
        "-          1       1  2026-11-27 10:40:00Z  2026-11-27 10:40:00Z  gpu-b          render failed (" + oom + "1.00 GiB)",
        "t-3        1       1  2026-11-27 10:30:00Z  2026-11-27 10:30:00Z  gpu-b          render failed (" + oom + "5.00 GiB)",
        "t-1        1       1  2026-11-27 10:00:00Z  2026-11-27 10:00:00Z  gpu-a          render failed (" + oom + "2.00 GiB)",
        "",
        "2 workers; 3 tasks; task - is the errors made outside a task.",
        "heartlog logs --kind " + oomKind + " --since 2026-11-27T09:00:00Z --until 2026-11-27T14:00:00Z --db-url '" + url
            + "' prints each of its errors.");
  }

  @Test
  void theLimitCutsBothListsAndTheFootSaysHowManyThereAre() {
    Cli.Result result = run("errors", "--kind", oomKind.toUpperCase(java.util.Locale.ROOT), "--limit", "1");

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines).as(result.out()).hasSize(15);
    assertThat(lines.get(8)).startsWith("gpu-a ");
    assertThat(lines.get(11)).startsWith("t-2 ");
    assertThat(lines.get(13)).isEqualTo("1 of 2 workers shown, the most errors first (--limit); "
        + "1 of 3 tasks shown, the most errors first (--limit).");
  }

  @Test
  void eachSpansErrorsAreABarOfEightHeightsTheHighestForTheMost() {
    assertThat(ErrorKindText.bars(List.of(0L, 1L, 4L, 8L, 0L, 2L), 8)).isEqualTo(" \u2581\u2584\u2588 \u2582");
    assertThat(ErrorKindText.bars(List.of(1L, 1000L), 1000)).as("one error of many still shows").isEqualTo("\u2581\u2588");
    assertThat(ErrorKindText.width(java.time.Duration.ofSeconds(10))).isEqualTo("10s");
    assertThat(ErrorKindText.width(java.time.Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(ErrorKindText.width(java.time.Duration.ofHours(36))).isEqualTo("36h");
    assertThat(ErrorKindText.width(java.time.Duration.ofDays(1))).isEqualTo("1d");
  }

  @Test
  void oneWorkersPartOfAKind() {
    Cli.Result result = run("errors", "--kind", oomKind, "--worker", "gpu-b");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).startsWith("Kind " + oomKind + ": 2 errors on 1 worker in 1 task of worker gpu-b since ")
        .doesNotContain("gpu-a");
  }

  @Test
  void theJsonIsTheKindWithItsWorkersAndTasks() throws IOException {
    Cli.Result result = run("errors", "--kind", oomKind, "--json");

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> fields = new ArrayList<>();
    try (JsonParser json = new JsonFactory().createParser(result.out())) {
      while (json.nextToken() != null) {
        if (json.currentToken() == JsonToken.FIELD_NAME && json.getParsingContext().getParent().inRoot()) {
          fields.add(json.currentName());
        }
      }
    }
    assertThat(fields).containsExactly("since", "until", "kind", "stack_trace", "worker_count", "workers", "task_count",
        "tasks", "span_seconds", "errors_over_time");
    assertThat(result.out()).contains("\"span_seconds\":300,\"errors_over_time\":[" + "0,".repeat(12) + "1,0,1,0,1,0,1,0,1,"
        + "0,".repeat(38) + "0]");
    assertThat(result.out()).contains("\"kind\":{\"id\":\"" + oomKind + "\",\"errors\":5,\"workers\":2,\"tasks\":3,",
        "\"worker_count\":2,", "\"task_count\":4,", "\"task_id\":null,\"worker_id\":\"gpu-b\"");
  }

  @Test
  void aKindTheRangeDoesNotHoldIsAnUnknownIdAndAnythingButAnIdIsABadFlag() {
    Cli.Result none = run("errors", "--kind", "0123abcd");
    Cli.Result earlier = Cli.run("errors", "--kind", oomKind, "--since", "2026-11-27T08:00:00Z", "--until",
        "2026-11-27T09:00:00Z", "--db-url", url);
    Cli.Result bad = run("errors", "--kind", "render failed");

    assertThat(none.exitCode()).isEqualTo(1);
    assertThat(none.out()).isEmpty();
    assertThat(none.err()).startsWith("heartlog: no errors of kind 0123abcd since 2026-11-27 09:00:00Z before ")
        .contains("heartlog errors lists the range's kinds");
    assertThat(earlier.exitCode()).isEqualTo(1);
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).startsWith("heartlog: --kind: a kind of error's id is 8 hex digits, as heartlog errors shows it "
        + "(got 'render failed')");
  }

  @Test
  void aKindsErrorsArePrintedEachWholeOldestFirst() {
    Cli.Result result = run("logs", "--kind", oomKind);

    assertThat(result.exitCode()).as(result.err()).isZero();
    String trace = "    Traceback (most recent call last):\n      File \"worker.py\", line 410, in render\n"
        + "    torch.OutOfMemoryError: CUDA out of memory. Tried to allocate ";
    assertThat(result.out().lines().toList()).as(result.out()).containsExactlyElementsOf(String.join("\n",
        "2026-11-27 10:00:00.000000Z  ERROR     gpu-a  [task t-1]  render failed", trace + "2.00 GiB",
        "2026-11-27 10:10:00.000000Z  ERROR     gpu-a  [task t-2]  render failed", trace + "4.00 GiB",
        "2026-11-27 10:20:00.000000Z  CRITICAL  gpu-a  [task t-2]  frame 7 lost", trace + "12.50 GiB",
        "2026-11-27 10:30:00.000000Z  ERROR     gpu-b  [task t-3]  render failed", trace + "5.00 GiB",
        "2026-11-27 10:40:00.000000Z  ERROR     gpu-b  render failed", trace + "1.00 GiB").lines().toList());
  }

  @Test
  void aKindsErrorsOfAWorkerOrATaskTheNewestAsManyAsAsked() {
    Cli.Result ofTask = run("logs", "--kind", oomKind, "--worker", "gpu-a", "--task", "t-2", "--no-stack-traces");
    Cli.Result newest = run("logs", "--kind", oomKind, "--limit", "2", "--json");
    Cli.Result inPart = run("logs", "--kind", kindOf("upload refused"), "--task", "upload-7f");

    assertThat(ofTask.exitCode()).as(ofTask.err()).isZero();
    assertThat(ofTask.out().lines().toList()).as(ofTask.out()).containsExactly(
        "2026-11-27 10:10:00.000000Z  ERROR     gpu-a  [task t-2]  render failed",
        "2026-11-27 10:20:00.000000Z  CRITICAL  gpu-a  [task t-2]  frame 7 lost");
    assertThat(newest.out().lines()).as(newest.out()).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("{\"id\":"))
        .satisfiesExactly(
            line -> assertThat(line).contains("\"worker_id\":\"gpu-b\"", "\"task_id\":\"t-3\"", "5.00 GiB"),
            line -> assertThat(line).contains("\"worker_id\":\"gpu-b\"", "\"task_id\":null", "1.00 GiB"));
    assertThat(inPart.exitCode()).as(inPart.err()).isZero();
    assertThat(inPart.err()).contains("heartlog: task upload-7f is upload-7f3a9c");
    assertThat(inPart.out()).contains("[task upload-7f3a9c]  upload refused");
  }

  @Test
  void aKindsErrorsAreReadAPageAtATimeAsTheyAreAllAtOnce() throws IOException {
    Store store = Store.open(url, null, null);
    java.time.Instant since = java.time.Instant.parse(RANGE[1]);
    java.time.Instant until = java.time.Instant.parse(RANGE[3]);
    List<dev.heartlog.store.StoredRecord> paged = new ArrayList<>();
    long count = PagedListing.eachOldestFirst(PagedListing.errorsOfKind(store, oomKind, null, null, since, until), 4, 2,
        paged::add);

    assertThat(count).isEqualTo(4);
    assertThat(paged).isEqualTo(store.errorsOfKind(oomKind, null, null, since, until, null, 4));
    assertThat(paged).extracting(dev.heartlog.store.StoredRecord::taskId).containsExactly("t-2", "t-2", "t-3", null);
  }

  @Test
  void aKindsErrorsAreOnlyThoseOfTheRangeAndFiltersOnAnythingElseAreRefused() {
    Cli.Result none = run("logs", "--kind", "0123abcd");
    Cli.Result otherWorker = run("logs", "--kind", oomKind, "--worker", "gpu-c");
    Cli.Result filtered = run("logs", "--kind", oomKind, "--grep", "render", "--level", "error");
    Cli.Result followed = Cli.run("logs", "--kind", oomKind, "--follow", "--db-url", url);
    Cli.Result bad = run("logs", "--kind", "render");

    assertThat(none.exitCode()).isEqualTo(1);
    assertThat(none.out()).isEmpty();
    assertThat(none.err()).startsWith("heartlog: no errors of kind 0123abcd since 2026-11-27 09:00:00Z before "
        + "2026-11-27 14:00:00Z (heartlog errors lists the range's kinds");
    assertThat(otherWorker.exitCode()).isEqualTo(1);
    assertThat(otherWorker.err()).startsWith("heartlog: no errors of kind " + oomKind + " of worker gpu-c since ");
    assertThat(filtered.exitCode()).isEqualTo(2);
    assertThat(filtered.err()).startsWith("heartlog: --kind lists the errors of one kind as heartlog errors groups a "
        + "range's; it does not go with --level, --grep");
    assertThat(followed.exitCode()).isEqualTo(2);
    assertThat(followed.err()).contains("it does not go with --follow");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).startsWith("heartlog: --kind: a kind of error's id is 8 hex digits");
  }

  @Test
  void theListComparedWithTheRangeBeforeCountsEachKindsErrorsThenAndMarksTheNew() {
    Cli.Result compared = run("errors", "--compare");
    Cli.Result json = run("errors", "--compare", "--json");
    Cli.Result withKind = run("errors", "--compare", "--kind", oomKind);

    assertThat(compared.exitCode()).as(compared.err()).isZero();
    List<String> lines = compared.out().lines().toList();
    assertThat(lines.get(0)).startsWith("KIND      ERRORS BEFORE WORKERS  TASKS  LATEST ");
    assertThat(lines).as(compared.out())
        .anySatisfy(line -> assertThat(line).startsWith(oomKind + "       5      1       2      3  "))
        .anySatisfy(line -> assertThat(line).matches("[0-9a-f]{8}       1    new       1      1  .*disk full"))
        .contains("BEFORE: each kind's errors in the range before, as long: since 2026-11-27 04:00:00Z before "
            + "2026-11-27 09:00:00Z; new: none then (2 of the 3 kinds listed).",
            "heartlog errors --kind KIND lists the workers and tasks a kind hit.");
    assertThat(json.out()).contains("\"before\":{\"since\":\"2026-11-27T04:00:00Z\",\"until\":\"2026-11-27T09:00:00Z\"}",
        "{\"id\":\"" + oomKind + "\",\"errors\":5,\"errors_before\":1,", "\"errors_before\":0,");
    assertThat(run("errors", "--json").out()).doesNotContain("before");
    assertThat(withKind.exitCode()).isEqualTo(2);
    assertThat(withKind.err()).contains("it does not go with --kind");
  }

  /** The id of the kind whose line in heartlog errors holds {@code text}. */
  private static String kindOf(String text) {
    return run("errors").out().lines().filter(line -> line.contains(text)).findFirst().orElseThrow().substring(0, 8);
  }

  @Test
  void theListOfKindsShowsEachOnesIdAndSaysHowToSeeWhereItHit() {
    Cli.Result kinds = run("errors");

    assertThat(kinds.out().lines().skip(1).limit(2)).as(kinds.out())
        .anySatisfy(line -> assertThat(line).startsWith(oomKind + "       5       2      3  "))
        .anySatisfy(line -> assertThat(line).matches("[0-9a-f]{8}       1       1      1  .*disk full"));
    assertThat(kinds.out()).endsWith("heartlog errors --kind KIND lists the workers and tasks a kind hit; --compare marks "
        + "the kinds new since the range before."
        + System.lineSeparator());
  }
}
