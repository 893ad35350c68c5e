package dev.heartlog.logback;

import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.HeartlogAgent;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The agent an appender started, kept running for a few seconds after the appender stops, for
 * the appender that Logback makes next with the same settings to carry on with.
 *
 * <p>Logback stops every appender and makes new ones whenever it is configured again: a changed
 * {@code logback.xml} under {@code scan="true"}, or Spring Boot's start, which configures Logback
 * a second time. Closing the agent then sent a heartbeat saying "stopped" and started a new
 * session, so the worker read as stopped between two configurations. An agent nobody claims
 * within {@link #WINDOW} is closed; at the JVM's exit the agent's own shutdown hook sends its
 * last heartbeat.
 */
final class AgentHandover {

  /** How long a released agent waits to be claimed. Logback configures again within milliseconds. */
  static final Duration WINDOW = Duration.ofSeconds(5);

  /** What an agent was built from: an appender with the same settings may carry on with it. */
  record Settings(String workerId, String url, String user, String password, Boolean debug,
      Duration heartbeatInterval, Integer bufferSize) {}

  private record Released(HeartlogAgent agent, Settings settings, ScheduledFuture<?> closing) {}

  /** Its thread ends a second after its last task, so that none is left behind an undeployed application. */
  private static final ScheduledExecutorService CLOSER = closer();

  private static Released released;   // guarded by AgentHandover.class

  private AgentHandover() {}

  private static ScheduledExecutorService closer() {
    ScheduledThreadPoolExecutor closer = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, "heartlog-appender-handover");
      thread.setDaemon(true);
      return thread;
    });
    closer.setRemoveOnCancelPolicy(true);
    closer.setKeepAliveTime(1, TimeUnit.SECONDS);
    closer.allowCoreThreadTimeOut(true);
    return closer;
  }

  /** Keeps {@code agent} for {@link #WINDOW}, then closes it unless an appender claimed it. */
  static void release(HeartlogAgent agent, Settings settings) {
    HeartlogAgent unclaimed;
    synchronized (AgentHandover.class) {
      unclaimed = takeReleased();
      released = new Released(agent, settings,
          CLOSER.schedule(() -> expire(agent), WINDOW.toMillis(), TimeUnit.MILLISECONDS));
    }
    closeLater(unclaimed);
  }

  /**
   * The agent released with these settings, if one waits. One released with other settings is
   * no longer the process's agent, and is closed.
   */
  static Optional<HeartlogAgent> claim(Settings settings) {
    HeartlogAgent other;
    synchronized (AgentHandover.class) {
      Released waiting = released;
      if (waiting != null && waiting.settings().equals(settings)) {
        released = null;
        waiting.closing().cancel(false);
        return Optional.of(waiting.agent());
      }
      other = takeReleased();
    }
    closeLater(other);
    return Optional.empty();
  }

  private static HeartlogAgent takeReleased() {
    if (released == null) {
      return null;
    }
    Released taken = released;
    released = null;
    taken.closing().cancel(false);
    Heartlog.uninstall(taken.agent());
    return taken.agent();
  }

  private static void expire(HeartlogAgent agent) {
    synchronized (AgentHandover.class) {
      if (released == null || released.agent() != agent) {
        return;   // claimed meanwhile
      }
      released = null;
    }
    agent.close();
  }

  /** Closes off the caller's thread: Logback's configuration should not wait for a last heartbeat. */
  private static void closeLater(HeartlogAgent agent) {
    if (agent != null) {
      CLOSER.execute(agent::close);
    }
  }
}
