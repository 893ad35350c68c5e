package dev.heartlog.logback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.CoreConstants;
import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An appender configured with a worker id and a URL starts the agent itself, with its settings. */
@Timeout(60)
class AppenderOwnAgentTest {

  @Test
  void theAgentItStartsKeepsTheLevelsPerComponentItWasGiven() {
    assertThat(Heartlog.agent()).as("no agent installed by another test").isEmpty();
    HeartlogAppender appender = new HeartlogAppender();
    appender.setContext(new LoggerContext());
    appender.setWorkerId("own-agent-worker");
    appender.setUrl(TestDatabase.freshUrl());
    appender.setLevels("ERROR,worker.render=DEBUG");
    appender.start();
    try {
      HeartlogAgent agent = Heartlog.agent().orElseThrow();
      assertThat(agent.levels()).hasToString("ERROR,worker.render=DEBUG");
      assertThat(agent.isEnabled(Level.DEBUG, "worker.render.Frames")).isTrue();
      assertThat(agent.isEnabled(Level.WARNING, "worker.queue")).isFalse();
    } finally {
      appender.stop();
    }
    // Kept for a few seconds for an appender that Logback would make if it were configured again.
    await("stopping the appender closes its agent").atMost(Duration.ofSeconds(20))
        .until(() -> Heartlog.agent().isEmpty());
  }

  @Test
  void aUrlFromAnUnsetVariableIsNoUrlAndTheAgentKeepsItsRecordsUntilOneIsGiven(@TempDir Path spool) {
    assertThat(Heartlog.agent()).as("no agent installed by another test").isEmpty();
    LoggerContext context = new LoggerContext();
    HeartlogAppender appender = new HeartlogAppender();
    appender.setContext(context);
    appender.setWorkerId("laptop-worker");
    // What Logback makes of <url>${HEARTLOG_DB_URL}</url> where the variable is not set.
    appender.setUrl("HEARTLOG_DB_URL" + CoreConstants.UNDEFINED_PROPERTY_SUFFIX);
    System.setProperty("heartlog.spool.dir", spool.toString());
    try {
      appender.start();
      assertThat(appender.isStarted()).as(context.getStatusManager().getCopyOfStatusList().toString()).isTrue();
      HeartlogAgent agent = Heartlog.agent().orElseThrow();
      // Records other tests logged while no agent was installed are handed to it at start.
      long handedOver = agent.stats().totalLogsBuffered();
      Heartlog.log(Level.INFO, "kept until a destination is given", null, java.util.Map.of());
      assertThat(agent.stats().totalLogsBuffered()).isEqualTo(handedOver + 1);
      assertThat(agent.stats().totalSent()).isZero();
      assertThat(context.getStatusManager().getCopyOfStatusList()).extracting(Object::toString)
          .anySatisfy(status -> assertThat(status).contains("HEARTLOG_DB_URL is not set"));
    } finally {
      appender.stop();
      System.clearProperty("heartlog.spool.dir");
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> Heartlog.agent().isEmpty());
  }
}
