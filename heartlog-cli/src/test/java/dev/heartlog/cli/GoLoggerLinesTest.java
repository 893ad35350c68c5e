package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Level;
import dev.heartlog.store.StoredRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Go's zerolog and zap on a console, as {@link ChildLineParser} reads them and heartlog run
 * stores them. The lines are what a Go worker printed with Debian's zerolog 1.26.1 ({@code
 * ConsoleWriter{Out: os.Stderr}}) and zap 1.23.0 ({@code zap.NewDevelopment()}), colours taken
 * out as heartlog run takes them out.
 */
class GoLoggerLinesTest {

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  private ChildLineParser.Parsed parse(String line) {
    return parser.parse(line, Level.WARNING, "stderr");
  }

  @Test
  void asynqsLinesGiveTheirLevelTimeAndPidAndTheMessageAlone() {
    ChildLineParser.Parsed warning = parser.parse("asynq: pid=4242 2026/12/06 05:00:05.000001 WARN: Retry exhausted for "
        + "task id=c9d0e1f2", Level.INFO, "stdout");
    ChildLineParser.Parsed fatal = parser.parse("asynq: pid=4242 2026/12/06 05:00:06.000001 FATAL: redis: connection refused",
        Level.INFO, "stdout");

    // Before, the level was read, but the prefix and the time stayed in the message.
    assertThat(warning.level()).isEqualTo(Level.WARNING);
    assertThat(warning.message()).isEqualTo("Retry exhausted for task id=c9d0e1f2");
    assertThat(warning.time()).as("asynq's logger writes UTC").isEqualTo(Instant.parse("2026-12-06T05:00:05.000001Z"));
    assertThat(warning.metadata()).containsEntry("component", "asynq").containsEntry("pid", 4242L);
    assertThat(fatal.level()).isEqualTo(Level.CRITICAL);
    assertThat(fatal.message()).isEqualTo("redis: connection refused");
    assertThat(parser.parse("asynq: pid=x 2026/12/06 05:00:06 INFO: m", Level.INFO, "stdout").message())
        .isEqualTo("asynq: pid=x 2026/12/06 05:00:06 INFO: m");
    ChildLineParser.Parsed plain = parser.parse("2026/12/06 05:00:06 WARN: disk low", Level.INFO, "stderr");
    assertThat(plain.level()).as("Go's log with a level of WARN").isEqualTo(Level.WARNING);
    assertThat(plain.time()).as("Go's log in local time").isNull();
  }

  @Test
  void pythonsLevelNamesAfterADateOfGosShapeAreTheLevelToo() {
    // MLflow's "%(asctime)s %(levelname)s %(name)s: %(message)s", datefmt "%Y/%m/%d %H:%M:%S":
    // slog names no WARNING or CRITICAL, and the word stayed in the message
    ChildLineParser.Parsed warning = parse("2026/12/07 12:00:00 WARNING mlflow.utils.requirements_utils: Found torch "
        + "version (2.5.1+cu124) contains a local version label");
    assertThat(warning.level()).isEqualTo(Level.WARNING);
    assertThat(warning.message()).startsWith("mlflow.utils.requirements_utils: Found torch version");
    assertThat(parse("2026/12/07 12:00:00 CRITICAL mlflow: disk gone").level()).isEqualTo(Level.CRITICAL);
    assertThat(parse("2026/12/07 12:00:00 WARNINGS are a word of the message").message())
        .isEqualTo("WARNINGS are a word of the message");
  }

  @Test
  void zerologsConsoleLinesGiveTheirLevelsTheirTaskAndWhereTheyWereLogged() {
    assertThat(List.of("TRC", "DBG", "INF", "WRN", "ERR", "FTL", "PNC"))
        .extracting(level -> parse("10:40AM " + level + " x").level())
        .containsExactly(Level.DEBUG, Level.DEBUG, Level.INFO, Level.WARNING, Level.ERROR, Level.CRITICAL, Level.CRITICAL);
    ChildLineParser.Parsed failed = parse("10:40AM ERR upload failed error=\"service unavailable\" task_id=t-42");
    assertThat(failed.message()).isEqualTo("upload failed error=\"service unavailable\" task_id=t-42");
    assertThat(failed.task()).isEqualTo("t-42");
    assertThat(failed.time()).as("the kitchen clock's time has no date: the time the line came").isNull();
    assertThat(failed.metadata()).as("the error Err gave, as in zerolog's JSON lines")
        .containsEntry("exception", "service unavailable");
    assertThat(parse("10:40AM ERR upload failed error=EOF").metadata()).as("bare").containsEntry("exception", "EOF");
    assertThat(parse("10:40AM ERR upload failed error=\"say \\\"no\\\"\\n\" task_id=t-1").metadata())
        .as("Go's escapes").containsEntry("exception", "say \"no\"\n");
    assertThat(parse("10:40AM WRN retrying error=\"not closed task_id=t-1").metadata()).doesNotContainKey("exception");
    assertThat(parse("10:40AM INF rendering frames=81 task_id=t-42").metadata()).doesNotContainKey("exception");
    assertThat(parse("10:40AM ERR gave up error= task_id=t-1").metadata()).doesNotContainKey("exception");
    assertThat(parse("10:40AM ERR gave up error=\" \" task_id=t-1").metadata()).doesNotContainKey("exception");
    ChildLineParser.Parsed caller = parse("2026-12-03T10:40:35Z INF main.go:27 > worker started");
    assertThat(caller.metadata()).containsEntry("caller", "main.go:27");
    assertThat(caller.message()).isEqualTo("worker started");
    assertThat(caller.time()).isEqualTo(Instant.parse("2026-12-03T10:40:35Z"));
    assertThat(parse("10:40 INFO not zerolog's").message()).isEqualTo("10:40 INFO not zerolog's");
  }

  @Test
  void zapsDevelopmentLinesGiveTheirLevelTimeCallerLoggerAndFields() {
    ChildLineParser.Parsed rendering = parse(
        "2026-12-03T10:40:35.507Z\tINFO\tgz/main.go:28\trendering\t{\"task_id\": \"t-42\", \"frames\": 81}");
    ChildLineParser.Parsed named = parse("2026-12-03T11:40:35.507+0100\tWARN\trender.upload\tgz/main.go:29\tlow VRAM");

    assertThat(rendering.level()).isEqualTo(Level.INFO);
    assertThat(rendering.message()).isEqualTo("rendering");
    assertThat(rendering.task()).isEqualTo("t-42");
    assertThat(rendering.time()).isEqualTo(Instant.parse("2026-12-03T10:40:35.507Z"));
    assertThat(rendering.metadata()).containsEntry("caller", "gz/main.go:28").containsEntry("frames", 81)
        .doesNotContainKey("task_id");
    assertThat(named.level()).isEqualTo(Level.WARNING);
    assertThat(named.time()).as("its offset without a colon").isEqualTo(Instant.parse("2026-12-03T10:40:35.507Z"));
    assertThat(named.metadata()).containsEntry("logger", "render.upload");
    assertThat(List.of("DEBUG", "INFO", "WARN", "ERROR", "DPANIC", "PANIC", "FATAL"))
        .extracting(level -> parse("2026-12-03T10:40:35.507Z\t" + level + "\tgz/main.go:28\tx").level())
        .containsExactly(Level.DEBUG, Level.INFO, Level.WARNING, Level.ERROR, Level.CRITICAL, Level.CRITICAL,
            Level.CRITICAL);
    assertThat(parse("2026-12-03T10:40:35.507Z\tERROR\tgz/main.go:30\tupload failed\t{\"error\": \"service unavailable\"}")
        .metadata()).as("an error without a stack below it").containsEntry("exception", "service unavailable")
        .containsEntry("error", "service unavailable");
    String notJson = "2026-12-03T10:40:35.507Z\tINFO\tgz/main.go:28\tx\t{not json}";
    assertThat(parse(notJson).metadata()).doesNotContainKey("caller");
  }

  @Test
  void zerologsLinesAreStoredAtTheirLevelsWhereEachWasAWarning() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayed(folder, "go-zerolog-1.26.1-console.txt", "wrapped-zerolog");

    assertThat(records).extracting(StoredRecord::level, StoredRecord::message, StoredRecord::taskId).containsExactly(
        tuple("INFO", "worker started", null),
        tuple("INFO", "rendering frames=81 task_id=t-42", "t-42"),
        tuple("WARNING", "low VRAM free_mb=512", "t-42"),
        tuple("ERROR", "upload failed error=\"service unavailable\" task_id=t-42", "t-42"));   // DBG: below INFO
    assertThat(records.get(3).exception()).as("colours taken out").isEqualTo("service unavailable");
  }

  @Test
  void theStackZapPrintsBelowAWarningOrAnErrorIsItsException() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayed(folder, "go-zap-1.23.0-development.txt", "wrapped-zap");

    // Before: each line of the two stacks was a warning of its own, eight of them.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message, StoredRecord::taskId).containsExactly(
        tuple("INFO", "worker started", null),
        tuple("INFO", "rendering", "t-42"),
        tuple("WARNING", "low VRAM", "t-42"),
        tuple("ERROR", "upload failed", "t-42"));
    assertThat(records.get(2).exception()).matches("main\\.main\n\t/tmp/gz/main\\.go:29\nruntime\\.main\n\t.*/proc\\.go:\\d+");
    assertThat(records.get(3).exception()).as("the error zap.Error gave, above its frames, so the store names the error by it")
        .startsWith("service unavailable\nmain.main\n\t/tmp/gz/main.go:30\nruntime.main\n\t");
    assertThat(records.get(3).metadataJson()).contains("\"error\": \"service unavailable\"", "\"caller\": \"gz/main.go:30\"");
  }

  @Test
  void rclonesPaddedLevelIsItsLevelAndItsStatisticsAreOneRecord() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "rclone-1.60.1.txt", "rclone-replayed");

    // Debian's rclone 1.60.1 copying two files, then from a folder that is not there. Before, each
    // message kept its "INFO  : " or ": ", and each line of its statistics was a record of its own.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "Config file \"/root/.config/rclone/rclone.conf\" not found - using defaults"),
        tuple("INFO", "a.mp4: Copied (new)"),
        tuple("INFO", "b.mp4: Copied (new)"),
        tuple("INFO", "Transferred:   \t          5 B / 5 B, 100%, 0 B/s, ETA -\nTransferred:            2 / 2, 100%\n"
            + "Elapsed time:         0.0s"),
        tuple("INFO", "Config file \"/root/.config/rclone/rclone.conf\" not found - using defaults"),
        tuple("ERROR", "Local file system at /tmp/w/rc/nosuchdir: error reading source root directory: directory not found"),
        tuple("ERROR", "Attempt 1/3 failed with 1 errors and: directory not found"),
        tuple("ERROR", "Local file system at /tmp/w/rc/nosuchdir: error reading source root directory: directory not found"),
        tuple("ERROR", "Attempt 2/3 failed with 1 errors and: directory not found"),
        tuple("ERROR", "Local file system at /tmp/w/rc/nosuchdir: error reading source root directory: directory not found"),
        tuple("ERROR", "Attempt 3/3 failed with 1 errors and: directory not found"),
        tuple("INFO", "Transferred:   \t          0 B / 0 B, -, 0 B/s, ETA -\nErrors:                 1 (retrying may help)\n"
            + "Elapsed time:         0.0s"),
        tuple("INFO", "Failed to copy: directory not found"));
    assertThat(parse("2026/12/03 16:52:48 WARNING: low disk").level()).isEqualTo(Level.WARNING);
    assertThat(parse("2026/12/03 16:52:48 INFO frame rendered frame=7").message()).as("slog's, as before")
        .isEqualTo("frame rendered frame=7");
  }
}
