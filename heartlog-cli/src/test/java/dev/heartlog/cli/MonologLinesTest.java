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
 * Monolog's lines, as {@link ChildLineParser} reads them ({@link MonologLines}) and heartlog run
 * stores them. The replayed lines are what Debian's Monolog 2.9.1 printed on stderr from PHP
 * 8.2.36: with its defaults, then formatted as Laravel's stderr channel formats (its date
 * format, line breaks kept, an empty context left out, stack traces); and what Debian's Symfony
 * 5.4 {@code ConsoleHandler} printed of messages like a Messenger worker's.
 */
class MonologLinesTest {

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void aLinesLevelChannelTimeAndContextAreRead() {
    ChildLineParser.Parsed error = parser.parse("[2026-12-06T06:59:14.508748+00:00] worker.ERROR: Render failed "
        + "{\"exception\":\"[object] (RuntimeException(code: 0): CUDA out of memory at /srv/app/worker.php:14)\","
        + "\"task_id\":\"t-42\"} []", Level.WARNING, "stderr");
    ChildLineParser.Parsed laravel = parser.parse("[2026-12-06 06:59:14] production.NOTICE: Processing job {\"frame\":7} ",
        Level.WARNING, "stderr");
    ChildLineParser.Parsed braces = parser.parse("[2026-12-06 06:59:14] app.INFO: payload {\"a\":1} sent {\"b\":2} []",
        Level.WARNING, "stderr");

    // Before, the level was read, but the prefix and the context's JSON stayed in the message.
    assertThat(error.level()).isEqualTo(Level.ERROR);
    assertThat(error.message()).isEqualTo("Render failed");
    assertThat(error.task()).isEqualTo("t-42");
    assertThat(error.time()).isEqualTo(Instant.parse("2026-12-06T06:59:14.508748Z"));
    assertThat(error.metadata()).containsEntry("logger", "worker")
        .containsEntry("exception", "RuntimeException: CUDA out of memory in /srv/app/worker.php:14")
        .doesNotContainKeys("task_id", "exception_code");
    assertThat(laravel.level()).isEqualTo(Level.INFO);
    assertThat(laravel.message()).isEqualTo("Processing job");
    assertThat(laravel.time()).as("no zone: the time the line came").isNull();
    assertThat(laravel.metadata()).containsEntry("frame", 7);
    assertThat(braces.message()).as("the JSON at its end is the context").isEqualTo("payload {\"a\":1} sent");
    assertThat(braces.metadata()).containsEntry("b", 2).doesNotContainKey("a");
    assertThat(List.of("DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL", "ALERT", "EMERGENCY"))
        .extracting(level -> parser.parse("[2026-12-06 06:59:14] app." + level + ": m [] []", Level.WARNING, "stderr").level())
        .containsExactly(Level.DEBUG, Level.INFO, Level.INFO, Level.WARNING, Level.ERROR, Level.CRITICAL, Level.CRITICAL,
            Level.CRITICAL);
    assertThat(parser.parse("[2026-12-06 06:59:14] app.ERROR: map {frame: 7}", Level.INFO, "stdout").message())
        .as("no JSON ends it").isEqualTo("map {frame: 7}");
  }

  @Test
  void symfonysConsoleLinesGiveTheirLevelChannelAndMessageTheContextApart() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "symfony-5.4-console-handler.txt", "symfony");

    // Before, the level was read, but the time, the level, the channel and the context stayed
    // in each message.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "Received message App\\Message\\RenderVideo"),
        tuple("INFO", "App\\Message\\RenderVideo was handled successfully (acknowledging to transport)."),
        tuple("WARNING", "Error thrown while handling message App\\Message\\RenderVideo. Sending for retry #1 using "
            + "1000 ms delay. Error: \"CUDA out of memory\""),
        tuple("CRITICAL", "Error thrown while handling message App\\Message\\RenderVideo. Removing from transport after "
            + "3 retries. Error: \"CUDA out of memory\""),
        tuple("INFO", "Rendering frame 7"));
    assertThat(records.get(1).metadataJson()).contains("\"logger\": \"messenger\"",
        "\"context\": \"[\\\"class\\\" => \\\"App\\\\Message\\\\RenderVideo\\\",\\\"message_id\\\" => 42]\"");
    assertThat(records.get(4).metadataJson()).contains("\"logger\": \"app\"").doesNotContain("\"context\"");
  }

  @Test
  void eachRecordIsItsMessageAtItsLevelAndAnExceptionWithItsStackTraceIsItsRecords() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "monolog-2.9.1-php-8.2.36.txt", "monolog");

    // Before, each message kept Monolog's prefix and the context's JSON, and Laravel's stack
    // trace was the message of its error.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message, StoredRecord::taskId).containsExactly(
        tuple("INFO", "Starting worker on gpu-1", null),
        tuple("INFO", "Rendering frame", "t-42"),
        tuple("WARNING", "VRAM at 95%", null),
        tuple("ERROR", "Render failed", "t-42"),
        tuple("INFO", "Processing job", "42"),
        tuple("ERROR", "CUDA out of memory", null),
        tuple("CRITICAL", "Worker crashed", null));
    assertThat(records.get(3).exception()).isEqualTo("RuntimeException: CUDA out of memory in /tmp/mono/worker2.php:11\n"
        + "[previous exception] [object] (InvalidArgumentException(code: 0): bad frame 13 at /tmp/mono/worker2.php:9)");
    assertThat(records.get(3).metadataJson()).contains("\"exception_code\": 2", "\"logger\": \"worker\"");
    assertThat(records.get(5).exception()).isEqualTo("RuntimeException: CUDA out of memory in /tmp/mono/worker2.php:11\n"
        + "[stacktrace]\n#0 /tmp/mono/worker2.php(36): render()\n#1 {main}\n\n"
        + "[previous exception] [object] (InvalidArgumentException(code: 0): bad frame 14 at /tmp/mono/worker2.php:9)\n"
        + "[stacktrace]\n#0 /tmp/mono/worker2.php(36): render()\n#1 {main}");
  }
}
