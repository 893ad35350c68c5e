package dev.heartlog.agent.jul;

import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.HeartlogAgent;
import java.util.logging.LogManager;

/**
 * JUL's {@link LogManager}, but its handlers stay in place at the JVM's exit until heartlog's
 * agent has delivered what the worker's shutdown hooks log through JUL. Select it when the JVM
 * starts:
 *
 * <pre>{@code java -Djava.util.logging.manager=dev.heartlog.agent.jul.HeartlogLogManager ...}</pre>
 *
 * <p>The JDK's own shutdown hook resets JUL, taking every handler away, while the worker's hooks
 * run beside it: what a hook logged as it stopped the worker ("asked to stop, finishing the
 * task") went nowhere. This manager's reset, called from that hook, first waits for the installed
 * agent's shutdown hook, which delivers what the others log until they are quiet and sends the
 * final heartbeat (at most the agent's shutdown timeout); every other reset is JUL's. The class
 * must be on the class path the JVM starts with (not inside a Spring Boot jar), as JUL loads it
 * through the system class loader. As Tomcat's own manager does, it knows the JDK's hook by the
 * class of the thread that calls it.
 */
public class HeartlogLogManager extends LogManager {

  /** The class of the JDK's shutdown hook thread that resets JUL ({@code LogManager.Cleaner}). */
  private static final String JDK_EXIT_HOOK = LogManager.class.getName() + "$";

  @Override
  public void reset() {
    if (Thread.currentThread().getClass().getName().startsWith(JDK_EXIT_HOOK)) {
      Heartlog.agent().ifPresent(HeartlogAgent::awaitShutdownHook);
    }
    super.reset();
  }
}
