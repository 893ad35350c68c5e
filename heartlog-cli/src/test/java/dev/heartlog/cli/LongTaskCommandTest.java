package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code heartlog task} on a task longer than the pages it reads its timeline in. */
@Timeout(120)
class LongTaskCommandTest {

  private static final int RECORDS = 2 * TaskCommand.PAGE + TaskCommand.PAGE / 2 + 3;

  private static String url;

  @BeforeAll
  static void fill() {
    url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // Two records a second: pages end between records of the same time too.
    store.withConnection(c -> c.createStatement().execute("""
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, seq)
        SELECT timestamptz '2026-11-27 10:00:00Z' + (g / 2) * interval '1 second',
               CASE WHEN g = 7 THEN 'ERROR' ELSE 'INFO' END, 'step ' || g, 'worker', 'gpu-1', 'long-cli', g
        FROM generate_series(0, %d) g;
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, seq, metadata)
        SELECT timestamptz '2026-11-27 10:00:00Z' + g * interval '1 second',
               CASE WHEN g IN (%d, %d) THEN 'ERROR' ELSE 'INFO' END,
               CASE g WHEN %d THEN 'render failed for frame 12' WHEN %d THEN 'Task failed' ELSE 'frame ' || g END,
               'worker', 'gpu-2', 'long-closing', g,
               CASE WHEN g = %d THEN '{"exception": "Traceback (most recent call last):\\nKeyError: 12"}' ELSE '{}' END::jsonb
        FROM generate_series(0, %d) g""".formatted(RECORDS - 1, TRACED, RECORDS - 1, TRACED, RECORDS - 1, TRACED,
            RECORDS - 1)));
  }

  /** Where, in task "long-closing", the error with a stack trace is: between the pages at its ends. */
  private static final int TRACED = TaskCommand.PAGE + 7;

  @Test
  void aLongTasksTimelineIsPrintedWholeInOrderOnce() {
    int records = RECORDS;

    Cli.Result result = Cli.run("task", "long-cli", "--db-url", url);

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> steps = result.out().lines()
        .dropWhile(line -> !line.equals("Timeline:")).skip(1).takeWhile(line -> !line.isBlank())
        .map(line -> line.substring(line.indexOf(" step ") + 1)).toList();
    assertThat(steps).isEqualTo(IntStream.range(0, records).mapToObj(g -> "step " + g).toList());
    assertThat(result.out())
        .contains("Task long-cli  FAILED")
        .contains("from      2026-11-27 10:00:00.000000Z to 2026-11-27 13:28:21.000000Z (3h 28m)")
        .contains(String.format(java.util.Locale.ROOT, "worker    gpu-1: %,d records, errors: 1", records))
        .contains("Failure:" + System.lineSeparator() + "  2026-11-27 10:00:03.000000Z");
  }

  @Test
  void aLongTasksClosingTaskFailedIsExplainedByItsErrorWithAStackTraceThoughItIsBetweenItsEnds() {
    Store store = Store.open(url, null, null);
    List<StoredRecord> errors = store.logs(new LogFilter("gpu-2", "long-closing", "ERROR", null, null, null, 10));
    assertThat(errors).extracting(StoredRecord::message).containsExactly("render failed for frame 12", "Task failed");
    String tracedKind = store.errorKindId(errors.get(0)).orElseThrow();

    Cli.Result text = Cli.run("task", "long-closing", "--db-url", url);
    Cli.Result json = Cli.run("task", "long-closing", "--db-url", url, "--json");

    assertThat(text.out()).contains("  (no stack trace; the task's last error that had one:)" + System.lineSeparator()
        + "  2026-11-27 12:46:47.000000Z  ERROR     gpu-2  [task long-closing]  render failed for frame 12",
        "Kind " + tracedKind + ";", "--around " + errors.get(0).id());
    assertThat(json.exitCode()).as(json.err()).isZero();
    assertThat(json.out()).as("the kind of the error with the stack trace, not of the closing line's")
        .contains("\"failure_kind\":\"" + tracedKind + "\"",
            "\"explaining_error\":{\"id\":" + errors.get(0).id() + ",")
        .doesNotContain(store.errorKindId(errors.get(1)).orElseThrow());
  }

  @Test
  void aLongTasksJsonHoldsEveryRecordInOrderOnce() throws Exception {
    Cli.Result result = Cli.run("task", "long-cli", "--db-url", url, "--json");

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> messages = new ArrayList<>();
    Map<String, Long> counts = new HashMap<>();
    try (JsonParser json = new JsonFactory().createParser(result.out())) {
      int depth = 0;
      String arrayAtTop = null;
      for (JsonToken token = json.nextToken(); token != null; token = json.nextToken()) {
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
          depth++;
        } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          depth--;
        } else if (token == JsonToken.FIELD_NAME && depth == 1) {
          arrayAtTop = json.currentName();
          if (json.nextToken() == JsonToken.VALUE_NUMBER_INT) {
            counts.put(arrayAtTop, json.getLongValue());
          } else if (json.currentToken() == JsonToken.START_ARRAY || json.currentToken() == JsonToken.START_OBJECT) {
            depth++;
          }
        } else if (token == JsonToken.FIELD_NAME && depth == 3 && "records".equals(arrayAtTop)
            && json.currentName().equals("message")) {
          messages.add(json.nextTextValue());
        }
      }
    }

    assertThat(messages).isEqualTo(IntStream.range(0, RECORDS).mapToObj(g -> "step " + g).toList());
    assertThat(counts).containsEntry("record_count", (long) RECORDS).containsEntry("records_left_out", 0L)
        .containsEntry("left_out_at", (long) RECORDS);
  }
}
