package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Level;
import dev.heartlog.store.StoredRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * winston's console lines in {@code format.simple()}, as {@link ChildLineParser} reads them and
 * heartlog run stores them. The lines are what a Node.js 20 worker printed with winston 3.19.0
 * (one logger with {@code simple()}, one with {@code colorize()} too), all on stdout, as
 * winston's console writes them.
 */
class WinstonLinesTest {

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  private ChildLineParser.Parsed parse(String line) {
    return parser.parse(line, Level.INFO, "stdout");
  }

  @Test
  void aLinesLevelInLowerCaseGivesItsLevelAndItsFieldsGoIntoMetadata() {
    assertThat(List.of("error", "warn", "info", "http", "verbose", "debug", "silly", "warning", "fatal"))
        .extracting(level -> parse(level + ": x").level())
        .containsExactly(Level.ERROR, Level.WARNING, Level.INFO, Level.INFO, Level.DEBUG, Level.DEBUG, Level.DEBUG,
            Level.WARNING, Level.CRITICAL);
    ChildLineParser.Parsed failed = parse("error: upload failed {\"code\":503,\"task_id\":\"t-42\"}");
    assertThat(failed.message()).isEqualTo("upload failed");
    assertThat(failed.task()).isEqualTo("t-42");
    assertThat(failed.metadata()).containsEntry("code", 503).doesNotContainKey("task_id");
    ChildLineParser.Parsed braces = parse("warn: retrying {attempt 2} of {3} {\"attempt\":2}");
    assertThat(braces.message()).as("braces in the message before the fields").isEqualTo("retrying {attempt 2} of {3}");
    assertThat(braces.metadata()).containsEntry("attempt", 2);
    assertThat(parse("info: a set {1, 2}").message()).as("no JSON after it: all message").isEqualTo("a set {1, 2}");
    assertThat(List.of("errors: 3 of 10", "error:no space", "Error: boom", "notice: x", "e: x"))
        .allSatisfy(line -> assertThat(parse(line).message()).as(line).isEqualTo(line));
  }

  @Test
  void aWinstonWorkersRecordsAreStoredAtTheirLevelsAndALoggedErrorsStackIsItsException() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayed(folder, "winston-3.19.0-simple.txt", "winston-replayed");

    // Before, every line was INFO, as any line on stdout, its "error: " in front.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message, StoredRecord::taskId).containsExactly(
        tuple("INFO", "worker started", null),
        tuple("WARNING", "VRAM at 95%", null),
        tuple("ERROR", "upload failed", "t-42"),
        tuple("WARNING", "colored warning", "t-42"),   // the task named last is the current one
        tuple("ERROR", "undefined", "t-42"),           // winston's own, for logger.error(new Error(...))
        tuple("ERROR", "undefined", "t-42"),
        tuple("ERROR", "render failed CUDA out of memory", "t-42"));
    assertThat(records.get(6).exception()).startsWith("Error: CUDA out of memory\n    at Object.<anonymous> (/srv/app/w.js:12:29)")
        .endsWith("at node:internal/main/run_main_module:28:49");
  }
}
