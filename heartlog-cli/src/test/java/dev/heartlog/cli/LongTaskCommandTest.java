package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code heartlog task} on a task longer than the pages it reads its timeline in. */
@Timeout(120)
class LongTaskCommandTest {

  @Test
  void aLongTasksTimelineIsPrintedWholeInOrderOnce() {
    String url = TestDatabase.freshUrl();
    int records = 2 * TaskCommand.PAGE + TaskCommand.PAGE / 2 + 3;
    Store store = Store.open(url, null, null);
    store.migrate();
    // Two records a second: pages end between records of the same time too.
    store.withConnection(c -> c.createStatement().execute("""
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, seq)
        SELECT timestamptz '2026-11-27 10:00:00Z' + (g / 2) * interval '1 second',
               CASE WHEN g = 7 THEN 'ERROR' ELSE 'INFO' END, 'step ' || g, 'worker', 'gpu-1', 'long-cli', g
        FROM generate_series(0, %d) g""".formatted(records - 1)));

    Cli.Result result = Cli.run("task", "long-cli", "--db-url", url);

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> steps = result.out().lines()
        .dropWhile(line -> !line.equals("Timeline:")).skip(1).takeWhile(line -> !line.isBlank())
        .map(line -> line.substring(line.indexOf(" step ") + 1)).toList();
    assertThat(steps).isEqualTo(IntStream.range(0, records).mapToObj(g -> "step " + g).toList());
    assertThat(result.out())
        .contains("Task long-cli  FAILED")
        .contains("from      2026-11-27 10:00:00.000000Z to 2026-11-27 13:28:21.000000Z (3h 28m)")
        .contains("worker    gpu-1: " + records + " records, errors: 1")
        .contains("Failure:" + System.lineSeparator() + "  2026-11-27 10:00:03.000000Z");
  }
}
