package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@code pm2-runtime --json}'s lines ({@link Pm2JsonLines}), as PM2 7.0.4 from npm printed them
 * here for a Node.js worker that logged to stdout and stderr and then threw.
 */
class Pm2JsonLinesTest {

  private static final String OUT = "{\"message\":\"worker starting\",\"timestamp\":\"2026-12-08T01:12:49.172Z\","
      + "\"type\":\"out\",\"process_id\":0,\"app_name\":\"jplain\"}";
  private static final String LOGGED = "{\"message\":\"2026-12-08 01:10:00,123 ERROR render - frame 12 failed\","
      + "\"timestamp\":\"2026-12-08T01:12:36.072Z\",\"type\":\"err\",\"process_id\":0,\"app_name\":\"jthrow\"}";
  private static final String THROWN = "{\"message\":\"Error: CUDA out of memory while rendering frame 12    at "
      + "Timeout._onTimeout (/tmp/pm2t/jplain.js:4:26)    at listOnTimeout (node:internal/timers:581:17)    at "
      + "process.processTimers (node:internal/timers:519:7)\",\"timestamp\":\"2026-12-08T01:12:49.274Z\",\"type\":\"err\","
      + "\"process_id\":0,\"app_name\":\"jplain\"}";
  private static final String EXIT =
      "{\"timestamp\":\"2026-12-08T01:12:49.283Z\",\"type\":\"process_event\",\"status\":\"exit\",\"app_name\":\"jplain\"}";

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  private ChildLineParser.Parsed parse(String line) {
    return parser.parse(line, Level.INFO, "stdout");
  }

  /** Before, each was an INFO record: the app's error line, the crash and PM2's event as JSON text. */
  @Test
  void anAppsWriteIsReadAsTheAppWroteItOnItsStreamAndItsProcessNamed() {
    ChildLineParser.Parsed out = parse(OUT);
    ChildLineParser.Parsed logged = parse(LOGGED);

    assertThat(out.level()).isEqualTo(Level.INFO);
    assertThat(out.message()).isEqualTo("worker starting");
    assertThat(out.metadata()).containsEntry("process", "jplain:0").containsEntry("stream", "stdout")
        .doesNotContainKeys("app_name", "process_id", "type");
    assertThat(out.time()).isEqualTo(Instant.parse("2026-12-08T01:12:49.172Z"));
    assertThat(out.plain()).as("one write of the app's, no more of the record before it").isFalse();
    assertThat(logged.level()).isEqualTo(Level.ERROR);
    assertThat(logged.message()).isEqualTo("frame 12 failed");
    assertThat(logged.metadata()).containsEntry("logger", "render").containsEntry("process", "jthrow:0")
        .containsEntry("stream", "stderr");
  }

  @Test
  void aLineTheAppWroteToStderrThatNamesNoLevelIsAtStderrsLevel() {
    String plain = "{\"message\":\"model cache is cold\",\"timestamp\":\"2026-12-08T01:12:49.172Z\",\"type\":\"err\","
        + "\"process_id\":1,\"app_name\":\"render\"}";

    assertThat(parse(plain).level()).isEqualTo(Level.WARNING);
    assertThat(new ChildLineParser(ChildLineParser.SEED_FORMAT, "--line-format", ChildLineParser.DEFAULT_TASK_END, Level.INFO)
        .parse(plain, Level.INFO, "stdout").level()).as("heartlog run --stderr-level INFO").isEqualTo(Level.INFO);
    assertThat(parse(plain).metadata()).containsEntry("process", "render:1");
  }

  /** PM2 takes the line ends out of what the app wrote: the stack trace is split back into its lines. */
  @Test
  void aStackTraceRunTogetherIsAnErrorWithItsLines() {
    ChildLineParser.Parsed thrown = parse(THROWN);

    assertThat(thrown.level()).isEqualTo(Level.ERROR);
    assertThat(thrown.message()).isEqualTo("Error: CUDA out of memory while rendering frame 12");
    assertThat(thrown.metadata()).containsEntry("exception", """
        Error: CUDA out of memory while rendering frame 12
            at Timeout._onTimeout (/tmp/pm2t/jplain.js:4:26)
            at listOnTimeout (node:internal/timers:581:17)
            at process.processTimers (node:internal/timers:519:7)""");
    assertThat(Pm2JsonLines.stackTrace("waiting    at the gate")).as("a message's own words").isNull();
    assertThat(Pm2JsonLines.stackTrace("Error: x    at f (a.js:1:2)    and more")).isNull();
  }

  @Test
  void anEventOfAnAppsProcessIsInfoOfThatProgram() {
    ChildLineParser.Parsed exit = parse(EXIT);

    assertThat(exit.level()).isEqualTo(Level.INFO);
    assertThat(exit.message()).isEqualTo("App [jplain] exit");
    assertThat(exit.metadata()).containsEntry("program", "jplain").containsEntry("component", "pm2");
    assertThat(exit.time()).isEqualTo(Instant.parse("2026-12-08T01:12:49.283Z"));
  }

  /** Another logger's JSON, with PM2's names among others, stays that logger's. */
  @Test
  void otherJsonObjectsAreNotPm2s() {
    ChildLineParser.Parsed other = parse("{\"level\":\"error\",\"msg\":\"upload failed\",\"app_name\":\"render\","
        + "\"type\":\"out\"}");

    assertThat(other.level()).isEqualTo(Level.ERROR);
    assertThat(other.message()).isEqualTo("upload failed");
    assertThat(other.metadata()).containsEntry("app_name", "render").doesNotContainKey("process");
    assertThat(Pm2JsonLines.read(OUT.replace("}", ",\"level\":\"error\"}"))).as("a field PM2 does not write").isNull();
  }
}
