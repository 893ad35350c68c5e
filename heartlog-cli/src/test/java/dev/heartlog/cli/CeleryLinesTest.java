package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Celery worker lines, as Celery 5.2.6 printed them (CeleryWorkerTest runs a real worker). */
class CeleryLinesTest {

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  private ChildLineParser.Parsed parse(String line) {
    return parser.parse(line, Level.WARNING, "stderr");
  }

  @Test
  void aTasksOwnLoggerLineNamesItsTaskForItsProcess() {
    ChildLineParser.Parsed parsed = parse(
        "[2026-11-30 07:03:06,715: INFO/ForkPoolWorker-1] app2.render[cadbf976-ef6d-47b5-89a1-19f770933a64]: rendering frame 2");

    assertThat(parsed.level()).isEqualTo(Level.INFO);
    assertThat(parsed.message()).isEqualTo("rendering frame 2");
    assertThat(parsed.task()).isEqualTo("cadbf976-ef6d-47b5-89a1-19f770933a64");
    assertThat(parsed.scope()).isEqualTo(ChildLineParser.TaskScope.PROCESS);
    assertThat(parsed.endsTask()).isFalse();
    assertThat(parsed.metadata()).containsEntry("process", "ForkPoolWorker-1").containsEntry("task_name", "app2.render");
    assertThat(parsed.time()).as("local time with no zone: the line's arrival is the record's time").isNull();
  }

  @Test
  void theWorkersWordsOfATaskEndItExceptReceivedWhichNamesItForItsLineAlone() {
    ChildLineParser.Parsed received = parse(
        "[2026-11-30 07:03:06,714: INFO/MainProcess] Task app2.render[f5ee2fec-d153-4891-a1e3-2da9c56643fe] received");
    assertThat(received.task()).isEqualTo("f5ee2fec-d153-4891-a1e3-2da9c56643fe");
    assertThat(received.scope()).isEqualTo(ChildLineParser.TaskScope.LINE);
    assertThat(received.endsTask()).isFalse();
    assertThat(received.message()).isEqualTo("Task app2.render[f5ee2fec-d153-4891-a1e3-2da9c56643fe] received");

    assertThat(List.of(
        "[2026-11-30 07:03:07,618: INFO/ForkPoolWorker-2] Task app2.render[f5ee2fec-d153-4891-a1e3-2da9c56643fe] succeeded in 0.90s: 1",
        "[2026-11-30 07:03:08,527: ERROR/ForkPoolWorker-2] Task app2.render[f5ee2fec-d153-4891-a1e3-2da9c56643fe] raised unexpected: "
            + "ExceptionWithTraceback()",
        "[2026-11-30 07:03:08,527: INFO/ForkPoolWorker-2] Task app2.render[f5ee2fec-d153-4891-a1e3-2da9c56643fe] retry: Retry in 5s",
        "[2026-11-30 07:03:08,527: WARNING/ForkPoolWorker-2] Task app2.render['f5ee2fec-d153-4891-a1e3-2da9c56643fe'] Reject"))
        .allSatisfy(line -> {
          ChildLineParser.Parsed ended = parse(line);
          assertThat(ended.task()).isEqualTo("f5ee2fec-d153-4891-a1e3-2da9c56643fe");
          assertThat(ended.endsTask()).as(line).isTrue();
          assertThat(ended.scope()).isEqualTo(ChildLineParser.TaskScope.PROCESS);
        });
  }

  @Test
  void otherLinesTakeTheirLevelAndAreTheirProcesssTasks() {
    ChildLineParser.Parsed print = parse("[2026-11-30 07:03:07,016: WARNING/ForkPoolWorker-1] print frame 2 step 0");
    ChildLineParser.Parsed ready = parse("[2026-11-30 07:00:07,472: INFO/MainProcess] celery@vm ready.");

    assertThat(print.level()).isEqualTo(Level.WARNING);
    assertThat(print.message()).isEqualTo("print frame 2 step 0");
    assertThat(print.task()).isNull();
    assertThat(print.scope()).isEqualTo(ChildLineParser.TaskScope.PROCESS);
    assertThat(print.metadata()).containsEntry("process", "ForkPoolWorker-1").doesNotContainKey("task_name");
    assertThat(ready.level()).as("an INFO line on stderr is INFO").isEqualTo(Level.INFO);
    assertThat(ready.message()).isEqualTo("celery@vm ready.");
  }

  @Test
  void linesOfOtherFormatsAreNotCelerys() {
    assertThat(List.of("[2026-11-30 07:03:07,016: NOTICE/MainProcess] x", "[07:03:07] INFO GENERATOR starting",
        "[2026-11-30 07:03:07,016] [INFO] x"))
        .allSatisfy(line -> assertThat(parse(line).scope()).as(line).isEqualTo(ChildLineParser.TaskScope.CURRENT));
  }
}
