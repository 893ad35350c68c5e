package dev.heartlog.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.store.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
    assertThat(Heartlog.agent()).as("stopping the appender closes its agent").isEmpty();
  }
}
