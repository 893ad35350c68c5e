package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PM2's own lines ({@link Pm2Lines}), as {@code pm2-runtime} of PM2 7.0.4 printed them here
 * running Node.js workers that crashed, would not stop, were killed from outside and outgrew
 * {@code --max-memory-restart}, read by {@link ChildLineParser}.
 */
class Pm2LinesTest {

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  private ChildLineParser.Parsed parse(String line, String stream) {
    return parser.parse(line, stream.equals("stderr") ? Level.WARNING : Level.INFO, stream);
  }

  /** Stored whole at the stream's level before, the time and {@code PM2 log: } in each message. */
  @Test
  void pm2sOwnLinesAreAtTheLevelOfTheMethodItCalled() {
    ChildLineParser.Parsed launching = parse("2026-12-07T19:47:14: PM2 log: Launching in no daemon mode", "stdout");
    assertThat(launching.level()).isEqualTo(Level.INFO);
    assertThat(launching.message()).isEqualTo("Launching in no daemon mode");
    assertThat(launching.metadata()).containsEntry("component", "pm2");

    // from PM2's source (ActionMethods.js), not seen here
    ChildLineParser.Parsed error = parse("2026-12-07T19:48:56: PM2 error: app=render id=0 pid=42 could not be stopped", "stderr");
    assertThat(error.level()).isEqualTo(Level.ERROR);
    assertThat(error.message()).isEqualTo("app=render id=0 pid=42 could not be stopped");
    assertThat(error.metadata()).containsEntry("component", "pm2").containsEntry("program", "render");
    // warn and info as PM2's source prints them (Utility.overrideConsole), not seen here
    assertThat(parse("2026-12-07T19:48:56: PM2 warn: something to look at", "stderr").level()).isEqualTo(Level.WARNING);
    assertThat(parse("2026-12-07T19:48:56: PM2 info: something to know", "stdout").level()).isEqualTo(Level.INFO);
    // another PM2_LOG_DATE_FORMAT
    ChildLineParser.Parsed otherTime = parse("2026-12-07 19:47:14 +00:00: PM2 log: App [render:0] online", "stdout");
    assertThat(otherTime.message()).isEqualTo("App [render:0] online");
    assertThat(otherTime.metadata()).containsEntry("component", "pm2").containsEntry("program", "render");
  }

  /**
   * PM2 says with {@code log}, at INFO, that an app crashed and was restarted, sixteen times, and
   * that it gave up on it: among a busy worker's lines, not an error. They are now, with the app.
   */
  @Test
  void anAppThatCrashedOrWasGivenUpOnIsAnErrorOfThatApp() {
    Map<String, Level> levels = new LinkedHashMap<>();
    levels.put("2026-12-07T19:47:14: PM2 log: App [render:0] starting in -fork mode-", Level.INFO);
    levels.put("2026-12-07T19:47:14: PM2 log: App [render:0] online", Level.INFO);
    levels.put("2026-12-07T19:47:15: PM2 log: App [render:0] exited with code [1] via signal [SIGINT]", Level.ERROR);
    levels.put("2026-12-07T19:48:46: PM2 log: Script /tmp/pm2t/crash.js had too many unstable restarts (16). "
        + "Stopped. \"errored\"", Level.ERROR);
    // killed from outside, as the kernel kills a process when memory runs out
    levels.put("2026-12-07T19:49:52: PM2 log: App [victim:0] exited with code [0] via signal [SIGKILL]", Level.ERROR);
    levels.put("2026-12-07T19:50:29: PM2 log: [PM2][WORKER] Process 0 restarted because it exceeds --max-memory-restart "
        + "value (current_memory=179998720 max_memory_limit=83886080 [octets])", Level.WARNING);
    levels.put("2026-12-07T19:48:50: PM2 log: 0 application online, retry = 3", Level.INFO);
    levels.put("2026-12-07T19:48:56: PM2 log: Stopping app:crasher id:0", Level.INFO);

    levels.forEach((line, level) -> {
      ChildLineParser.Parsed parsed = parse(line, "stdout");
      assertThat(parsed.level()).as(line).isEqualTo(level);
      assertThat(parsed.message()).as(line).isEqualTo(line.substring(line.indexOf("PM2 log: ") + 9));
      assertThat(parsed.metadata()).as(line).containsEntry("component", "pm2");
      if (line.contains("App [") || line.contains("app:")) {
        assertThat(parsed.metadata()).as(line)
            .containsEntry("program", line.contains("victim") ? "victim" : line.contains("crasher") ? "crasher" : "render");
      }
    });
    // PM2 stopping the app it gave up on: it says so on stderr, with error, but nothing was left to stop
    ChildLineParser.Parsed noPid = parse("2026-12-07T19:48:56: PM2 error: app=crasher id=0 does not have a pid", "stderr");
    assertThat(noPid.level()).isEqualTo(Level.INFO);
    assertThat(noPid.message()).isEqualTo("app=crasher id=0 does not have a pid");
    assertThat(noPid.metadata()).containsEntry("component", "pm2").containsEntry("program", "crasher");
  }

  /**
   * Once PM2 is stopping an app, its exit is what was asked; a warning where PM2 had to kill it.
   * A Python worker under PM2, stopped so, printed its {@code KeyboardInterrupt} between the two.
   */
  @Test
  void anAppsExitAfterPm2StopsItIsWhatWasAsked() {
    List<String> stoppedPython = List.of(
        "2026-12-07T19:49:08: PM2 log: Stopping app:py id:0",
        "2026-12-07T19:49:08: PM2 log: App [py:0] exited with code [0] via signal [SIGINT]",
        "2026-12-07T19:49:08: PM2 log: pid=4448 msg=process tree killed (1 pids)",
        "2026-12-07T19:49:08: PM2 log: PM2 successfully stopped");
    assertThat(stoppedPython).extracting(line -> parse(line, "stdout").level()).containsOnly(Level.INFO);

    List<String> stubborn = List.of(
        "2026-12-07T19:49:01: PM2 log: Stopping app:stubborn id:0",
        "2026-12-07T19:49:03: PM2 log: pid=4418 msg=failed to kill - retrying in 100ms",
        "2026-12-07T19:49:03: PM2 log: Process with pid 4418 still alive after 1600ms, sending SIGKILL to 1 remaining pids...",
        "2026-12-07T19:49:03: PM2 log: App [stubborn:0] exited with code [0] via signal [SIGKILL]",
        "2026-12-07T19:49:04: PM2 log: App [stubborn:0] exited with code [0] via signal [SIGKILL]");
    assertThat(stubborn).extracting(line -> parse(line, "stdout").level())
        .containsExactly(Level.INFO, Level.INFO, Level.WARNING, Level.WARNING, Level.ERROR);   // the last: not stopping any more
  }

  /** A worker's own line that reads as one of PM2's reports, and one that names PM2 later. */
  @Test
  void aWorkersOwnLineIsNotTakenForPm2s() {
    ChildLineParser.Parsed worker = parse("2026-12-07 19:47:15,123 INFO App [render:0] exited with code [1] via signal [SIGINT]",
        "stdout");
    assertThat(worker.level()).isEqualTo(Level.INFO);
    assertThat(worker.metadata()).doesNotContainKey("component").doesNotContainKey("program");

    ChildLineParser.Parsed later = parse("2026-12-07 19:47:15,123 INFO restarting the app: PM2 log: rotated", "stdout");
    assertThat(later.metadata()).doesNotContainEntry("component", "pm2");
    assertThat(later.message()).isEqualTo("restarting the app: PM2 log: rotated");
  }

  /** {@code pm2 logs --format}, as PM2 7.0.4 printed its own lines here: {@code app=pm2}, no id, no type. */
  @Test
  void pm2sOwnLinesAmongTheFieldsOfLogsFormatAreReadAsItsReports() {
    ChildLineParser.Parsed exited = parse(
        "timestamp=2026-12-08-03:07:27+0000 app=pm2 message=App [loopy:0] exited with code [2] via signal [SIGINT]", "stdout");
    assertThat(exited.level()).isEqualTo(Level.ERROR);
    assertThat(exited.message()).isEqualTo("App [loopy:0] exited with code [2] via signal [SIGINT]");
    assertThat(exited.metadata()).containsEntry("component", "pm2").containsEntry("program", "loopy");

    ChildLineParser.Parsed online = parse("timestamp=2026-12-08-03:07:26+0000 app=pm2 message=App [loopy:0] online", "stdout");
    assertThat(online.level()).isEqualTo(Level.INFO);
    assertThat(online.message()).isEqualTo("App [loopy:0] online");

    ChildLineParser.Parsed worker = parse("timestamp=2026-12-08-03:07:26+0000 app=render msg=pm2 message", "stdout");
    assertThat(worker.metadata()).doesNotContainEntry("component", "pm2");
  }
}
