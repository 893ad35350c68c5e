package dev.heartlog.cli;

import static dev.heartlog.cli.WrappedWorkers.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heartlog.agent.Level;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TaskFilter;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Laravel queue worker's lines about its jobs ({@link LaravelQueueLines}). No Laravel worker
 * runs here: the lines are written as Laravel 11's {@code WorkCommand} writes them (verbose and
 * not) and as Debian's Laravel 8.83's does, a Python program printing them with the lines a job
 * logs through Monolog between them, as Laravel's stderr channel formats them.
 */
@Timeout(120)
class LaravelQueueLinesTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");

  private static final String WORKER = """
      import sys, time
      lines = [
          "  2026-12-06 05:00:00 App\\\\Jobs\\\\RenderVideo 42  gpu-7-1234 redis renders .......... RUNNING",
          "[2026-12-06 05:00:00] production.INFO: Rendering frame 1 {\\"frame\\":1} ",
          "  2026-12-06 05:00:01 App\\\\Jobs\\\\RenderVideo 42  gpu-7-1234 redis renders ......... 1s DONE",
          "  2026-12-06 05:00:02 App\\\\Jobs\\\\RenderVideo 43  gpu-7-1234 redis renders .......... RUNNING",
          "[2026-12-06 05:00:02] production.ERROR: CUDA out of memory {\\"exception\\":\\"[object] (RuntimeException(code: 0): "
          "CUDA out of memory at /srv/app/app/Jobs/RenderVideo.php:20)\\n[stacktrace]\\n#0 {main}\\n\\"} ",
          "  2026-12-06 05:00:02 App\\\\Jobs\\\\RenderVideo 43  gpu-7-1234 redis renders .... 512.34ms FAIL",
          "  2026-12-06 05:00:03 App\\\\Jobs\\\\SendEmail ........................................ RUNNING",
          "[2026-12-06 05:00:03] production.INFO: Mail sent ",
          "  2026-12-06 05:00:03 App\\\\Jobs\\\\SendEmail .................................. 3.12ms DONE",
      ]
      for line in lines:
          sys.stdout.write(line + "\\n")
          sys.stdout.flush()
          time.sleep(0.15)
      """;

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void aJobsLinesGiveItsClassItsStatusAndWithAnIdItsTask() {
    ChildLineParser.Parsed running = parser.parse("  2026-12-06 05:00:00 App\\Jobs\\RenderVideo ............ RUNNING",
        Level.INFO, "stdout");
    ChildLineParser.Parsed failed = parser.parse("  2026-12-06 05:00:02 App\\Jobs\\RenderVideo 43 .... 512.34ms FAIL",
        Level.INFO, "stdout");
    ChildLineParser.Parsed longName = parser.parse("  2026-12-06 05:00:02 App\\Jobs\\AVeryLongJobName  1s 512ms DONE",
        Level.INFO, "stdout");
    ChildLineParser.Parsed older = parser.parse("[2026-12-06 05:00:04][44] Processing: App\\Jobs\\RenderVideo",
        Level.WARNING, "stderr");
    ChildLineParser.Parsed olderFailed = parser.parse("[2026-12-06 05:00:05][44] Failed:     App\\Jobs\\RenderVideo",
        Level.INFO, "stdout");

    // Before, every such line was its stream's level, a failure INFO on stdout, and no job a task.
    assertThat(running.level()).isEqualTo(Level.INFO);
    assertThat(running.message()).isEqualTo("App\\Jobs\\RenderVideo RUNNING");
    assertThat(running.task()).as("no id without -v").isNull();
    assertThat(running.metadata()).containsEntry("job_class", "App\\Jobs\\RenderVideo");
    assertThat(failed.level()).isEqualTo(Level.ERROR);
    assertThat(failed.message()).isEqualTo("App\\Jobs\\RenderVideo 512.34ms FAIL");
    assertThat(failed.task()).isEqualTo("43");
    assertThat(failed.endsTask()).isTrue();
    assertThat(failed.metadata()).containsEntry("run_time", "512.34ms");
    assertThat(longName.message()).as("no dots where the class is long").isEqualTo("App\\Jobs\\AVeryLongJobName 1s 512ms DONE");
    assertThat(older.level()).isEqualTo(Level.INFO);
    assertThat(older.message()).isEqualTo("Processing: App\\Jobs\\RenderVideo");
    assertThat(older.task()).isEqualTo("44");
    assertThat(older.endsTask()).isFalse();
    assertThat(olderFailed.level()).isEqualTo(Level.ERROR);
    assertThat(olderFailed.endsTask()).isTrue();
    assertThat(parser.parse("  2026-12-06 05:00:00 rendering frame 7 RUNNING late", Level.INFO, "stdout").message())
        .isEqualTo("  2026-12-06 05:00:00 rendering frame 7 RUNNING late");
  }

  @Test
  void aJobWithItsIdIsATaskItsLogsAreItsAndAFailedOneIsFailed() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "Python is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path worker = Files.writeString(folder.resolve("worker.py"), WORKER);

    Cli.Result result = WrappedWorkers.heartlogRun(folder, "laravel", url, List.of(), PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "laravel").stream()
        .filter(r -> !r.message().startsWith("the worker process exited")).toList();
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message, StoredRecord::taskId).containsExactly(
        tuple("INFO", "App\\Jobs\\RenderVideo RUNNING", "42"),
        tuple("INFO", "Rendering frame 1", "42"),
        tuple("INFO", "App\\Jobs\\RenderVideo 1s DONE", "42"),
        tuple("INFO", "App\\Jobs\\RenderVideo RUNNING", "43"),
        tuple("ERROR", "CUDA out of memory", "43"),
        tuple("ERROR", "App\\Jobs\\RenderVideo 512.34ms FAIL", "43"),
        tuple("INFO", "App\\Jobs\\SendEmail RUNNING", null),
        tuple("INFO", "Mail sent", null),
        tuple("INFO", "App\\Jobs\\SendEmail 3.12ms DONE", null));
    assertThat(records.get(4).exception()).startsWith("RuntimeException: CUDA out of memory in /srv/app/app/Jobs/");
    assertThat(store.tasks(new TaskFilter("laravel", Instant.now().minusSeconds(600), null, false, 10)))
        .extracting(task -> task.id(), task -> task.failure() != null)
        .containsExactlyInAnyOrder(tuple("42", false), tuple("43", true));
  }
}
