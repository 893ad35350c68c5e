package dev.heartlog.log4j2;

import dev.heartlog.agent.ComponentLevels;
import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.HeartlogAgent;
import java.util.function.Supplier;

/**
 * The agent a heartlog appender started, and the appender that holds it now.
 *
 * <p>Log4j starts the appenders of a new configuration before it stops those of the old one (a
 * changed {@code log4j2.xml} under {@code monitorInterval}, {@code LoggerContext.reconfigure}).
 * The new appender with the same settings takes the running agent over, so that the worker goes
 * on in the same session, with no heartbeat saying "stopped" in between; the old appender's stop
 * then leaves the agent alone. Only the appender holding the agent closes it.
 */
final class AppenderAgent {

  /** What an agent was built from: an appender with the same settings carries on with it. */
  record Settings(String workerId, String url, String user, String password, Boolean debug,
      Integer heartbeatIntervalSeconds, Integer bufferSize) {}

  private static HeartlogAgent agent;   // guarded by AppenderAgent.class
  private static Settings settings;
  private static Object holder;

  private AppenderAgent() {}

  /**
   * Makes {@code appender} the holder of an agent with these settings: the one another appender
   * started with them, else a new one from {@code build}, installed as the process's agent. An
   * agent the application installed itself is left as it is, and fed.
   */
  static synchronized void hold(Object appender, Settings wanted, ComponentLevels levels, Supplier<HeartlogAgent> build) {
    boolean oursInstalled = agent != null && Heartlog.agent().orElse(null) == agent;
    if (oursInstalled && wanted.equals(settings)) {
      holder = appender;
      agent.setLevels(levels);
      return;
    }
    if (oursInstalled) {   // configured again with other settings: the old agent makes way
      agent.close();
    }
    if (Heartlog.agent().isEmpty()) {
      agent = build.get();
      settings = wanted;
      holder = appender;
      Heartlog.install(agent);
    }
  }

  /**
   * {@code appender} stops: the agent it holds, unless another appender took it over, is closed
   * with a last heartbeat saying "stopped". Not at the JVM's exit: there the agent's own shutdown
   * hook sends that heartbeat, after what the worker's other hooks log as they stop it.
   */
  static void release(Object appender) {
    HeartlogAgent held;
    synchronized (AppenderAgent.class) {
      if (holder != appender) {
        return;
      }
      held = agent;
      agent = null;
      settings = null;
      holder = null;
    }
    if (!jvmExiting()) {
      held.close();
    }
  }

  /** Whether the JVM runs its shutdown hooks now: it then takes no more. */
  private static boolean jvmExiting() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException shuttingDown) {
      return true;
    }
  }
}
