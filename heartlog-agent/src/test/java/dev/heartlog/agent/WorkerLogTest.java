package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WorkerLogTest {

  @Test
  void eachSeedFunctionMapsToItsLevelWithComponentAndKind() {
    RecordingTransport store = new RecordingTransport();
    try (HeartlogAgent agent = AgentTestSupport.agent(store).debug(true).build()) {
      WorkerLog log = WorkerLog.of(agent);
      agent.startTask("t-1");
      log.essential("worker", "essential");
      log.success("worker", "success");
      log.warning("worker", "warning");
      log.error("worker", "error", "t-2", new IllegalStateException("boom"));
      log.critical("worker", "critical");
      log.debug("worker", "debug");
      log.progress("generator", "progress");
      log.status("worker", "status");
      agent.flush(Duration.ofSeconds(10));
    }

    assertThat(store.storedRecords())
        .extracting(LogRecord::message, LogRecord::level, LogRecord::taskId, r -> r.metadata().get("kind"))
        .containsExactly(
            tuple("essential", Level.INFO, "t-1", "essential"),
            tuple("success", Level.INFO, "t-1", "success"),
            tuple("warning", Level.WARNING, "t-1", "warning"),
            tuple("error", Level.ERROR, "t-2", "error"),
            tuple("critical", Level.CRITICAL, "t-1", "critical"),
            tuple("debug", Level.DEBUG, "t-1", "debug"),
            tuple("progress", Level.INFO, "t-1", "progress"),
            tuple("status", Level.INFO, "t-1", "status"));
    assertThat(store.storedRecords().get(3).metadata().get("exception").toString())
        .startsWith("java.lang.IllegalStateException: boom").doesNotEndWith("\n").endsWith(")");
    assertThat(store.storedRecords().get(6).metadata()).containsEntry("component", "generator");
  }

  @Test
  void withGivesAFacadeWhoseRecordsCarryFieldsOfContext() {
    RecordingTransport store = new RecordingTransport();
    java.util.List<String> loras = new java.util.ArrayList<>(java.util.List.of("style-a"));
    try (HeartlogAgent agent = AgentTestSupport.agent(store).build()) {
      WorkerLog log = WorkerLog.of(agent);
      WorkerLog render = log.with("model", "wan2.1").with(java.util.Map.of("frames", 81, "loras", loras));
      WorkerLog again = render.with("model", "wan2.2").with("component", "not the record's");
      loras.add("added later");   // after with: the records keep what with saw
      render.essential("generator", "rendering");
      again.error("generator", "failed", null, new IllegalStateException("boom"));
      log.essential("worker", "plain");
      agent.flush(Duration.ofSeconds(10));
    }

    assertThat(store.storedRecords()).extracting(LogRecord::message).containsExactly("rendering", "failed", "plain");
    assertThat(store.storedRecords().get(0).metadata())
        .containsEntry("model", "wan2.1").containsEntry("frames", 81).containsEntry("loras", "[style-a]")
        .containsEntry("component", "generator").containsEntry("kind", "essential");
    assertThat(store.storedRecords().get(1).metadata())
        .containsEntry("model", "wan2.2").containsEntry("frames", 81)
        .as("a record's own component is not replaced").containsEntry("component", "generator")
        .containsKey("exception");
    assertThat(store.storedRecords().get(2).metadata()).containsOnlyKeys("component", "kind");
  }

  @Test
  void levelsPerComponentChooseWhatIsBufferedAndCanChangeWhileTheWorkerRuns() {
    RecordingTransport store = new RecordingTransport();
    try (HeartlogAgent agent = AgentTestSupport.agent(store).levels("WARNING,GENERATOR=DEBUG").build()) {
      WorkerLog log = WorkerLog.of(agent);
      log.debug("GENERATOR", "step 1 of 30");
      log.essential("QUEUE", "polled, nothing");
      log.warning("QUEUE", "queue slow");
      agent.log(Level.INFO, "a line heartlog run parsed", null, java.util.Map.of("component", "generator"));
      agent.log(Level.INFO, "a Logback record", null, java.util.Map.of("logger", "com.example.Queue"));
      agent.flush(Duration.ofSeconds(10));
      agent.setLevels(ComponentLevels.parse("QUEUE=INFO"));
      log.essential("QUEUE", "polled again");
      log.debug("GENERATOR", "step 2 of 30");
      agent.flush(Duration.ofSeconds(10));
    }

    assertThat(store.storedRecords()).extracting(LogRecord::message)
        .containsExactly("step 1 of 30", "queue slow", "a line heartlog run parsed", "polled again");
    assertThat(store.acknowledged).extracting(h -> h.metadata().get("levels"))
        .as("each heartbeat says which levels were kept").contains("WARNING,GENERATOR=DEBUG", "QUEUE=INFO");
  }

  @Test
  void echoPrintsTheSeedsConsoleLine() {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    try (HeartlogAgent agent = AgentTestSupport.agent(new RecordingTransport()).build()) {
      WorkerLog log = WorkerLog.of(agent, new PrintStream(console, true, StandardCharsets.UTF_8));
      log.warning("GENERATOR", "Low VRAM headroom", "abc");
    }

    assertThat(console.toString(StandardCharsets.UTF_8).trim())
        .matches("\\[\\d\\d:\\d\\d:\\d\\d] WARNING GENERATOR \\[Task abc] Low VRAM headroom");
  }
}
