package dev.heartlog.logback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.LogRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** SLF4J calls through the appender configured in logback-test.xml. */
@Timeout(30)
class HeartlogAppenderTest {

  private final List<LogRecord> stored = new CopyOnWriteArrayList<>();
  private HeartlogAgent agent;

  @BeforeEach
  void installAgent() {
    agent = StoringAgent.builder("logback-worker", stored).debug(true).build();
    Heartlog.install(agent);
  }

  @AfterEach
  void closeAgent() {
    agent.close();
  }

  @Test
  void levelsMapOntoTheStoresFive() {
    Logger log = LoggerFactory.getLogger("worker.levels");
    log.trace("t");
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");
    agent.flush(Duration.ofSeconds(10));

    assertThat(stored).extracting(LogRecord::message, LogRecord::level)
        .containsExactly(
            tuple("t", Level.DEBUG), tuple("d", Level.DEBUG), tuple("i", Level.INFO),
            tuple("w", Level.WARNING), tuple("e", Level.ERROR));
  }

  @Test
  void levelsPerComponentFollowLoggerNamesAndAnMdcComponent() {
    agent.setLevels(dev.heartlog.agent.ComponentLevels.parse("WARNING,worker.render=DEBUG,worker.render.noisy=OFF"));
    LoggerFactory.getLogger("worker.render.Frames").debug("frame {} denoised", 7);
    LoggerFactory.getLogger("worker.render.noisy.Poller").error("not kept: OFF");
    LoggerFactory.getLogger("worker.queue").info("not kept: below WARNING");
    LoggerFactory.getLogger("worker.queue").warn("queue slow");
    MDC.put("component", "worker.render");
    try {
      LoggerFactory.getLogger("worker.queue").debug("kept: the MDC's component is worker.render");
    } finally {
      MDC.clear();
    }
    agent.flush(Duration.ofSeconds(10));

    assertThat(stored).extracting(LogRecord::message)
        .containsExactly("frame 7 denoised", "queue slow", "kept: the MDC's component is worker.render");
  }

  @Test
  void mdcTaskIdWinsOverTheCurrentTaskAndOtherMdcEntriesBecomeMetadata() {
    Logger log = LoggerFactory.getLogger("worker.tasks");
    agent.startTask("current-task");
    log.info("from current task");
    MDC.put("task_id", "mdc-task");
    MDC.put("model", "wan2.1");
    try {
      log.info("rendering {} frames", 81);
    } finally {
      MDC.clear();
    }
    agent.flush(Duration.ofSeconds(10));

    assertThat(stored).extracting(LogRecord::message, LogRecord::taskId)
        .containsExactly(tuple("from current task", "current-task"), tuple("rendering 81 frames", "mdc-task"));
    assertThat(stored.get(1).metadata())
        .containsEntry("model", "wan2.1")
        .containsEntry("logger", "worker.tasks")
        .containsEntry("method", "mdcTaskIdWinsOverTheCurrentTaskAndOtherMdcEntriesBecomeMetadata")
        .doesNotContainKey("task_id");
  }

  @Test
  void taskMdcKeyFilesRecordsUnderTheTaskTheWorkersOwnMdcEntryNames() {
    ch.qos.logback.classic.LoggerContext context = contextWithAppender(appender -> {
      appender.setTaskMdcKey("jobId");
      appender.setTaskMdcKey(" ");   // refused: the key stays jobId
    });
    try {
      context.getMDCAdapter().put("jobId", "job-77");
      context.getMDCAdapter().put("queue", "renders");
      context.getLogger("worker.jobs").info("claimed");
      context.getMDCAdapter().clear();
      context.getMDCAdapter().put("task_id", "not-a-task-here");
      context.getLogger("worker.jobs").info("between jobs");
    } finally {
      context.getMDCAdapter().clear();
      context.stop();
    }
    agent.flush(Duration.ofSeconds(10));

    assertThat(stored).extracting(LogRecord::message, LogRecord::taskId)
        .containsExactly(tuple("claimed", "job-77"), tuple("between jobs", null));
    assertThat(stored.get(0).metadata()).containsEntry("queue", "renders").doesNotContainKey("jobId");
    assertThat(stored.get(1).metadata()).as("another key is an entry like any other")
        .containsEntry("task_id", "not-a-task-here");
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .anySatisfy(status -> assertThat(status.getMessage()).isEqualTo("taskMdcKey must not be empty; keeping jobId"));
  }

  @Test
  void keyValuePairsOfTheFluentApiBecomeMetadataAndCanNameTheTask() {
    ch.qos.logback.classic.LoggerContext context = contextWithAppender(appender -> { });
    List<Integer> frames = new java.util.ArrayList<>(List.of(1, 2));
    try {
      context.getMDCAdapter().put("task_id", "mdc-task");
      context.getMDCAdapter().put("model", "wan2.1");
      context.getLogger("worker.kv").atInfo()
          .addKeyValue("task_id", 4711L)
          .addKeyValue("frame", 12)
          .addKeyValue("fps", 23.976)
          .addKeyValue("model", "wan2.2")
          .addKeyValue("frames", frames)
          .addKeyValue(null, "a pair without a key")
          .log("frame encoded");
      frames.add(3);   // after the call: the record keeps what the call saw
      context.getMDCAdapter().clear();
      context.getLogger("worker.kv").atWarn().addMarker(org.slf4j.MarkerFactory.getMarker("BILLING"))
          .log("quota near");
    } finally {
      context.getMDCAdapter().clear();
      context.stop();
    }
    agent.flush(Duration.ofSeconds(10));

    assertThat(stored).extracting(LogRecord::message, LogRecord::taskId)
        .containsExactly(tuple("frame encoded", "4711"), tuple("quota near", null));
    assertThat(stored.get(0).metadata())
        .containsEntry("frame", 12)
        .containsEntry("fps", 23.976)
        .as("the call's pair wins over the thread's MDC entry").containsEntry("model", "wan2.2")
        .containsEntry("frames", "[1, 2]")
        .containsEntry("null", "a pair without a key")
        .containsEntry("logger", "worker.kv")
        .doesNotContainKey("task_id");
    assertThat(stored.get(1).metadata()).containsEntry("markers", List.of("BILLING"));
  }

  @Test
  void aKeyValuePairNamingTheComponentDecidesItsLevel() {
    agent.setLevels(dev.heartlog.agent.ComponentLevels.parse("WARNING,worker.render=DEBUG"));
    Logger log = LoggerFactory.getLogger("worker.queue");
    log.atDebug().addKeyValue("component", "worker.render").log("kept: the pair's component is worker.render");
    log.debug("not kept: worker.queue is below WARNING");
    agent.flush(Duration.ofSeconds(10));

    assertThat(stored).extracting(LogRecord::message).containsExactly("kept: the pair's component is worker.render");
  }

  @Test
  void aRetryLoopsFloodIsTenRecordsAndACountNotAFullBuffer() {
    Logger log = LoggerFactory.getLogger("worker.uploads");
    java.net.ConnectException refused = new java.net.ConnectException("Connection refused");
    log.info("task started");
    for (int i = 0; i < 100_000; i++) {
      log.warn("connection to {} refused, retrying", "redis:6379", refused);
    }
    log.info("connected");
    assertThat(agent.flush(Duration.ofSeconds(10))).isTrue();

    String retrying = "connection to redis:6379 refused, retrying";
    assertThat(stored.subList(0, 11)).extracting(LogRecord::message).containsExactly(
        "task started", retrying, retrying, retrying, retrying, retrying, retrying, retrying, retrying, retrying, retrying);
    assertThat(stored.get(1).metadata()).containsKey("exception");
    assertThat(stored).last().extracting(LogRecord::message).isEqualTo("connected");
    // A heartbeat that comes during the flood (the agent's first one may, on a loaded machine)
    // sends the count so far, so the rest is one count per heartbeat at most, adding up to all
    // (one that came after a single repeat says "1 more time").
    List<LogRecord> counts = stored.subList(11, stored.size() - 1);
    assertThat(counts).isNotEmpty().hasSizeLessThanOrEqualTo((int) agent.heartbeatsSent()).allSatisfy(count -> {
      long repeated = (Long) count.metadata().get("repeated");
      assertThat(count.message()).isEqualTo("repeated " + repeated + (repeated == 1 ? " more time: " : " more times: ") + retrying);
      assertThat(count.metadata()).containsEntry("logger", "worker.uploads").doesNotContainKey("exception");
    });
    assertThat(counts.stream().mapToLong(count -> (Long) count.metadata().get("repeated")).sum()).isEqualTo(99_990L);
    assertThat(agent.stats().totalDropped()).isZero();
  }

  @Test
  void withoutCallerDataEachRecordCarriesItsLoggerAndThreadAsTheyWereAtTheCall() {
    // An appender without caller data, as most configurations have it: records with nothing but
    // logger and thread share their metadata, which must still follow loggers and thread renames.
    ch.qos.logback.classic.LoggerContext context = contextWithAppender(appender -> { });
    String original = Thread.currentThread().getName();
    try {
      Thread.currentThread().setName("render-1");
      context.getLogger("worker.a").info("one {}", 1);
      context.getLogger("worker.b").info("two");
      context.getLogger("worker.a").info("three");
      Thread.currentThread().setName("render-2");
      context.getLogger("worker.a").info("four {}", 4);
      context.getMDCAdapter().put("model", "wan2.1");
      context.getLogger("worker.a").info("five");
    } finally {
      Thread.currentThread().setName(original);
      context.stop();
    }
    agent.flush(Duration.ofSeconds(10));

    assertThat(stored).extracting(LogRecord::message, r -> r.metadata().get("logger"), r -> r.metadata().get("thread"))
        .containsExactly(
            tuple("one 1", "worker.a", "render-1"),
            tuple("two", "worker.b", "render-1"),
            tuple("three", "worker.a", "render-1"),
            tuple("four 4", "worker.a", "render-2"),
            tuple("five", "worker.a", "render-2"));
    assertThat(stored.get(4).metadata()).containsEntry("model", "wan2.1");
    assertThat(stored.get(3).metadata()).doesNotContainKey("model").doesNotContainKey("method");
  }

  @Test
  void exceptionsTravelAsTextWithTheirCauseAndSuppressedExceptions() {
    IllegalStateException thrown = new IllegalStateException("VAE decode", new OutOfMemoryError("CUDA"));
    thrown.addSuppressed(new java.io.IOException("closing the frame file failed"));
    LoggerFactory.getLogger("worker.errors").error("generation failed", thrown);
    agent.flush(Duration.ofSeconds(10));

    assertThat(stored).singleElement().satisfies(r -> assertThat(r.metadata().get("exception").toString())
        .startsWith("java.lang.IllegalStateException: VAE decode\n\tat dev.heartlog.logback.HeartlogAppenderTest.")
        .contains("\n\tSuppressed: java.io.IOException: closing the frame file failed\n")
        .contains("\nCaused by: java.lang.OutOfMemoryError: CUDA\n")
        .doesNotEndWith("\n"));
  }

  @Test
  void recordsOfThePipelineItselfAreLeftOut() {
    LoggerFactory.getLogger("org.postgresql.core.v3.ConnectionFactoryImpl").warn("Connection refused");
    LoggerFactory.getLogger("dev.heartlog.agent.Something").warn("internal");
    LoggerFactory.getLogger("worker.real").warn("kept");
    agent.flush(Duration.ofSeconds(10));

    assertThat(stored).extracting(LogRecord::message).containsExactly("kept");
  }

  /**
   * A Logback context of its own whose root logger writes to a started appender that feeds the
   * installed agent, configured by {@code configure} before it starts (not through
   * logback-test.xml).
   */
  @Test
  void aRecordFromANamelessThreadIsNamedByItsIdOnLogback14As15NamesIt() throws Exception {
    // A virtual thread (Java 21) has no name: Logback 1.5 records "unnamed-<id>" ("virtual-<id>"
    // for a virtual one), Logback 1.4, Spring Boot 3.2's, an empty name. A thread named "" stands in.
    ch.qos.logback.classic.LoggerContext context = contextWithAppender(appender -> { });
    Thread nameless = new Thread(() -> context.getLogger("worker.a").info("from a thread with no name"), "");
    try {
      nameless.start();
      nameless.join();
    } finally {
      context.stop();
    }
    agent.flush(Duration.ofSeconds(10));

    assertThat(stored).extracting(LogRecord::message, r -> r.metadata().get("thread"))
        .containsExactly(tuple("from a thread with no name", "unnamed-" + threadId(nameless)));
  }

  @SuppressWarnings("deprecation")   // Thread.threadId() is Java 19's
  private static long threadId(Thread thread) {
    return thread.getId();
  }

  private static ch.qos.logback.classic.LoggerContext contextWithAppender(
      java.util.function.Consumer<HeartlogAppender> configure) {
    ch.qos.logback.classic.LoggerContext context = new ch.qos.logback.classic.LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    context.start();
    HeartlogAppender appender = new HeartlogAppender();
    appender.setContext(context);
    appender.setStartAgent(false);
    configure.accept(appender);
    appender.start();
    context.getLogger("ROOT").addAppender(appender);
    return context;
  }
}
