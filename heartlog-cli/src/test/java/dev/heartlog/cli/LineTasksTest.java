package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.GpuProbe;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.PostgrestTransport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The task each of a wrapped worker's lines is filed under ({@link LineTasks}), its lines given
 * as the streams' readers give them, each with the time its read came. The agent is a real one
 * whose store is never reached: its heartbeat is an hour away.
 */
class LineTasksTest {

  private final HeartlogAgent agent = HeartlogAgent.builder().workerId("line-tasks")
      .transport(PostgrestTransport.builder().baseUrl("http://127.0.0.1:9").key("unused").build())
      .heartbeatInterval(Duration.ofHours(1)).noSpool().shutdownHook(false).gpuProbe(GpuProbe.none())
      .diagnostics(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
      .build();
  private final AtomicInteger releases = new AtomicInteger();
  private final LineTasks tasks = new LineTasks(agent, releases::incrementAndGet);
  private final WorkerStream.StreamTimes times = new WorkerStream.StreamTimes();

  @AfterEach
  void closeAgent() {
    agent.close();
  }

  private String filed(String task, boolean endsTask, long readNanos) {
    return tasks.arrive(line(task, endsTask, ChildLineParser.TaskScope.CURRENT, Map.of()), readNanos, times).task();
  }

  private static ChildLineParser.Parsed line(String task, boolean endsTask, ChildLineParser.TaskScope scope,
      Map<String, Object> metadata) {
    return new ChildLineParser.Parsed(Level.INFO, "a line", task, new HashMap<>(metadata), endsTask, null, scope);
  }

  @Test
  void aLineNamingATaskMakesItCurrentUntilALineEndsIt() {
    assertThat(filed(null, false, 100)).isNull();
    assertThat(filed("t-1", false, 200)).isEqualTo("t-1");
    assertThat(filed(null, false, 300)).isEqualTo("t-1");
    assertThat(filed("t-1", true, 400)).isEqualTo("t-1");

    assertThat(agent.currentTask()).isNull();
    assertThat(filed(null, false, 500)).isNull();
    assertThat(releases).as("what the streams held, recorded before each change").hasValue(2);
  }

  @Test
  void aLineReadBeforeTheOtherStreamsChangeIsFiledUnderTheTaskOfItsRead() {
    filed("t-1", false, 100);
    filed("t-1", true, 300);    // stdout: t-1 ends ...
    filed("t-2", false, 301);   // ... and t-2 begins, parsed before a stderr line read earlier

    assertThat(filed(null, false, 250)).as("read before t-1 ended").isEqualTo("t-1");
    assertThat(filed(null, false, 300)).as("read with its end, before t-2 began").isNull();
    assertThat(agent.currentTask()).as("a line read before a change changes none").isEqualTo("t-2");
    assertThat(filed(null, false, 302)).isEqualTo("t-2");
  }

  @Test
  void theEndOfATaskNoLongerCurrentIsThatTasksAndEndsNoOther() {
    filed("job-1", false, 100);
    filed("job-2", false, 200);   // RQ: the next job's start on stdout ...

    assertThat(filed("job-1", true, 300)).isEqualTo("job-1");   // ... the failure of the one before on stderr
    assertThat(agent.currentTask()).isEqualTo("job-2");
  }

  @Test
  void eachProcessOfAPoolHasItsOwnTaskAndTheWorkersIsTheOneBegunLast() {
    tasks.arrive(line("t-a", false, ChildLineParser.TaskScope.PROCESS, Map.of("process", "ForkPoolWorker-1")), 100, times);
    tasks.arrive(line("t-b", false, ChildLineParser.TaskScope.PROCESS, Map.of("process", "ForkPoolWorker-2")), 200, times);

    assertThat(tasks.arrive(line(null, false, ChildLineParser.TaskScope.PROCESS, Map.of("process", "ForkPoolWorker-1")),
        300, times).task()).isEqualTo("t-a");
    assertThat(agent.currentTask()).isEqualTo("t-b");
    assertThat(tasks.arrive(line("t-b", true, ChildLineParser.TaskScope.PROCESS, Map.of("process", "ForkPoolWorker-2")),
        400, times).task()).isEqualTo("t-b");
    assertThat(agent.currentTask()).isNull();
    assertThat(tasks.arrive(line(null, false, ChildLineParser.TaskScope.PROCESS, Map.of("process", "ForkPoolWorker-2")),
        500, times).task()).as("its process ran none since").isNull();
    assertThat(tasks.arrive(line("t-c", false, ChildLineParser.TaskScope.LINE, Map.of()), 600, times).task())
        .isEqualTo("t-c");
    assertThat(agent.currentTask()).as("a line's own task changes none").isNull();
  }

  @Test
  void theCurrentTaskSaysWhenTheLineThatBeganItWasRead() {
    filed("t-1", false, 1_000);

    assertThat(tasks.begun("t-1")).hasValue(1_000);
    assertThat(tasks.begun("t-0")).isEmpty();
    filed("t-1", true, 2_000);
    assertThat(tasks.begun("t-1")).as("no longer current").isEmpty();
  }
}
