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
 * Ruby's standard {@code Logger} in its default format, as {@link ChildLineParser} reads it
 * ({@link RubyLoggerLines}) and heartlog run stores it, and an exception nothing rescued. The
 * replayed lines are what workers run by Debian's Ruby 3.1.2 printed on stderr: a logger with a
 * program's name logging each level and an exception it rescued, then one without a name; and a
 * worker whose exception ended it.
 */
class RubyLoggerLinesTest {

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void aLinesLevelProgramAndProcessAreReadAndThePrefixLeavesTheMessage() {
    ChildLineParser.Parsed warning = parser.parse(
        "W, [2026-12-03T14:26:06.343380 #20305]  WARN -- render: VRAM at 95%: 2 tasks left", Level.INFO, "stderr");

    assertThat(warning.level()).isEqualTo(Level.WARNING);
    assertThat(warning.message()).isEqualTo("VRAM at 95%: 2 tasks left");
    assertThat(warning.metadata()).containsEntry("logger", "render").containsEntry("pid", 20305L);
    assertThat(warning.time()).as("no zone: the record keeps the time the line came").isNull();
    assertThat(level("D, [2026-12-03T14:26:06.343408 #20305] DEBUG -- render: claimed task-41")).isEqualTo(Level.DEBUG);
    assertThat(level("F, [2026-12-03T14:26:06.343412 #20305] FATAL -- render: out of memory")).isEqualTo(Level.CRITICAL);
    assertThat(level("A, [2026-12-03T14:26:06.343415 #20305]   ANY -- render: shutting down")).isEqualTo(Level.INFO);
    assertThat(parser.parse("I, [2026-12-03T14:26:06.343423 #20305]  INFO -- : done", Level.WARNING, "stderr").metadata())
        .as("no program's name").doesNotContainKey("logger");
    String notLogger = "I, [2026-12-03T14:26:06 #20305]  INFO -- : seconds only";
    assertThat(parser.parse(notLogger, Level.WARNING, "stderr").message()).isEqualTo(notLogger);
  }

  @Test
  void aLoggedExceptionIsOneErrorWithItsBacktrace() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "ruby-3.1.2-logger.txt", "ruby-logger-replayed");

    // Before, each message kept "E, [2026-12-03T14:26:06.343395 #20305] ERROR -- render: " and
    // the backtrace's frames, of a file named without its folder, were a warning of their own.
    // DEBUG is left out outside debug mode.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "rendering shot 12"),
        tuple("WARNING", "VRAM at 95%"),
        tuple("ERROR", "bad frame 13 (ArgumentError)\nworker.rb:3:in `render'\nworker.rb:10:in `<main>'"),
        tuple("CRITICAL", "out of memory"),
        tuple("INFO", "shutting down after 2 tasks"),
        tuple("INFO", "done"));
  }

  private Level level(String line) {
    return parser.parse(line, Level.WARNING, "stderr").level();
  }

  @Test
  void anExceptionNothingRescuedIsOneErrorWithItsBacktrace() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "ruby-3.1.2-uncaught.txt", "ruby-uncaught-replayed");

    // Before, its first line and each frame were five warnings, and no error.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", "app/crash.rb:3:in `render': bad frame 13 (ArgumentError)"));
    assertThat(records.get(0).exception()).isEqualTo("""
        app/crash.rb:3:in `render': bad frame 13 (ArgumentError)
        \tfrom app/crash.rb:5:in `block in run'
        \tfrom app/crash.rb:5:in `each'
        \tfrom app/crash.rb:5:in `run'
        \tfrom app/crash.rb:6:in `<main>'""");
  }
}
