package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * arq worker lines, in the format arq configures (its {@code default_log_config}) and written as
 * its worker's calls write them (arq 0.26's {@code worker.py}); no arq here to run: it is not
 * packaged by Debian and PyPI cannot be reached. {@link ArqWorkerTest} runs them through heartlog
 * run.
 */
class ArqLinesTest {

  private static final String ID = "9b1c2d3e4f5a41b2a3c4d5e6f7a8b9c0";

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  private ChildLineParser.Parsed parse(String line) {
    return parser.parse(line, Level.WARNING, "stderr");
  }

  @Test
  void aJobsStartMakesItTheCurrentTaskAndItsReturnEndsIt() {
    ChildLineParser.Parsed started = parse("01:30:01:   0.12s → " + ID + ":render(12, size='720p') try=2 delayed=1.50s");
    ChildLineParser.Parsed returned = parse("01:30:02:   0.45s ← " + ID + ":render ● 42");

    assertThat(started.level()).isEqualTo(Level.INFO);
    assertThat(started.task()).isEqualTo(ID);
    assertThat(started.endsTask()).isFalse();
    assertThat(started.scope()).isEqualTo(ChildLineParser.TaskScope.CONCURRENT);
    assertThat(started.message()).isEqualTo("0.12s → " + ID + ":render(12, size='720p') try=2 delayed=1.50s");
    assertThat(started.metadata()).containsEntry("function", "render").containsEntry("queued_s", 0.12)
        .containsEntry("try", 2).doesNotContainKey("elapsed_s");
    assertThat(started.time()).isNull();
    assertThat(returned.level()).isEqualTo(Level.INFO);
    assertThat(returned.task()).isEqualTo(ID);
    assertThat(returned.endsTask()).isTrue();
    assertThat(returned.metadata()).containsEntry("function", "render").containsEntry("elapsed_s", 0.45);
    assertThat(parse("01:30:02:   0.45s ← " + ID + ":render ● ").endsTask()).as("a job that returned None").isTrue();
  }

  @Test
  void aFailedJobIsAnErrorThatEndsIt() {
    ChildLineParser.Parsed failed = parse("01:30:02: 1234.50s ! " + ID + ":render failed, RuntimeError: CUDA out of memory");

    assertThat(failed.level()).isEqualTo(Level.ERROR);
    assertThat(failed.task()).isEqualTo(ID);
    assertThat(failed.endsTask()).isTrue();
    assertThat(failed.message()).isEqualTo("1234.50s ! " + ID + ":render failed, RuntimeError: CUDA out of memory");
    assertThat(failed.metadata()).containsEntry("elapsed_s", 1234.5);
  }

  @Test
  void aJobOutOfTriesIsAnErrorAndAnAbortAWarning() {
    ChildLineParser.Parsed outOfTries = parse("01:30:03:   9.80s ! " + ID + ":render max retries 5 exceeded");
    ChildLineParser.Parsed aborted = parse("01:30:03:   2.00s ⊘ " + ID + ":render aborted");
    ChildLineParser.Parsed abortedEarly = parse("01:30:03:   0.10s ⊘ " + ID + ":render aborted before start");

    assertThat(outOfTries.level()).isEqualTo(Level.ERROR);
    assertThat(outOfTries.metadata()).containsEntry("queued_s", 9.8);
    assertThat(List.of(aborted, abortedEarly)).allSatisfy(line -> {
      assertThat(line.level()).isEqualTo(Level.WARNING);
      assertThat(line.task()).isEqualTo(ID);
      assertThat(line.endsTask()).isTrue();
    });
    assertThat(aborted.metadata()).containsEntry("elapsed_s", 2.0);
    assertThat(abortedEarly.metadata()).containsEntry("queued_s", 0.1);
  }

  @Test
  void aRetryEndsTheJobsRunAtInfo() {
    assertThat(List.of(parse("01:30:03:   0.30s ↻ " + ID + ":render retrying job in 5.00s"),
        parse("01:30:03:   0.30s ↻ " + ID + ":render cancelled, will be run again")))
        .allSatisfy(line -> {
          assertThat(line.level()).isEqualTo(Level.INFO);
          assertThat(line.task()).isEqualTo(ID);
          assertThat(line.endsTask()).isTrue();
        });
  }

  @Test
  void aJobIdWithColonsEndsAtTheLastAndACronJobIsItsName() {
    ChildLineParser.Parsed ownId = parse("01:30:01:   0.01s → render:shot-7:render(7)");
    ChildLineParser.Parsed cron = parse("01:30:01:   0.01s → cron:nightly_cleanup()");
    ChildLineParser.Parsed named = parse("01:30:01:   0.01s ← nightly ● ");

    assertThat(ownId.task()).isEqualTo("render:shot-7");
    assertThat(ownId.metadata()).containsEntry("function", "render");
    assertThat(cron.task()).isEqualTo("cron:nightly_cleanup");
    assertThat(cron.metadata()).containsEntry("function", "cron:nightly_cleanup");
    assertThat(named.task()).isEqualTo("nightly");
  }

  @Test
  void theWorkersLinesAboutItselfAreInfoAndItsOthersAreLeftAsTheyAre() {
    assertThat(List.of("01:30:00: Starting worker for 2 functions: render, cron:nightly_cleanup",
        "01:30:00: redis_version=7.0.15 mem_usage=1.05M clients_connected=1 db_keys=3",
        "01:31:00: recording health: Dec-06 01:31:00 j_complete=4 j_failed=1 j_retried=0 j_ongoing=0 queued=0",
        "01:32:00: shutdown on SIGTERM ◆ 4 jobs complete ◆ 1 failed ◆ 0 retries ◆ 0 ongoing to cancel"))
        .allSatisfy(line -> {
          ChildLineParser.Parsed parsed = parse(line);
          assertThat(parsed.level()).as(line).isEqualTo(Level.INFO);
          assertThat(parsed.message()).isEqualTo(line.substring(10));
          assertThat(parsed.task()).isNull();
        });
    assertThat(List.of("01:30:01: job " + ID + " expired", "01:30:01: Starting up", "01:30:01:   0.12s → "))
        .allSatisfy(line -> {
          ChildLineParser.Parsed parsed = parse(line);
          assertThat(parsed.level()).as(line).isEqualTo(Level.WARNING);
          assertThat(parsed.message()).isEqualTo(line);
          assertThat(parsed.task()).isNull();
        });
  }

  @Test
  void aJobsLinesInAFormatOfTheWorkersOwnAreItsTaskAtTheirLevel() {
    ChildLineParser.Parsed started = parse("2026-12-06 01:30:01,123 - arq.worker - INFO -   0.12s → " + ID + ":render(12)");
    ChildLineParser.Parsed failed = parse("ERROR:arq.worker:  0.45s ! " + ID + ":render failed, RuntimeError: CUDA out of memory");
    ChildLineParser.Parsed outOfTries = parse("WARNING:arq.worker:  9.80s ! " + ID + ":render max retries 5 exceeded");
    ChildLineParser.Parsed otherLogger = parse("INFO:render.jobs:  0.12s → " + ID + ":render(12)");

    assertThat(started.level()).isEqualTo(Level.INFO);
    assertThat(started.task()).isEqualTo(ID);
    assertThat(started.endsTask()).isFalse();
    assertThat(started.message()).isEqualTo("0.12s → " + ID + ":render(12)");
    assertThat(started.metadata()).containsEntry("logger", "arq.worker").containsEntry("function", "render");
    assertThat(failed.level()).isEqualTo(Level.ERROR);
    assertThat(failed.task()).isEqualTo(ID);
    assertThat(failed.endsTask()).isTrue();
    assertThat(outOfTries.level()).as("the level the line names").isEqualTo(Level.WARNING);
    assertThat(outOfTries.task()).isEqualTo(ID);
    assertThat(otherLogger.task()).as("another logger's line that looks like arq's").isNull();
  }
}
