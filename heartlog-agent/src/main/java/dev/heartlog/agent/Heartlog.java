package dev.heartlog.agent;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The process's agent, where appenders configured by file (Logback's {@code logback.xml}, JUL's
 * {@code logging.properties}) deliver their records.
 *
 * <p>A process that runs several workers (one per GPU, say) binds each worker's threads to its
 * agent with {@link #bind(HeartlogAgent)}; records from a bound thread (or a thread it started)
 * go to that agent, all others to the installed one.
 *
 * <p>Records captured before an agent is installed (the worker's start-up, say) are held, up to
 * {@link #PENDING_CAPACITY}, and handed to the agent when it is installed, with their original
 * timestamps. Past that capacity they are counted as dropped and reported once an agent exists.
 */
public final class Heartlog {

  /** Records held before an agent is installed. */
  public static final int PENDING_CAPACITY = 1_000;

  private static final ReentrantLock LOCK = new ReentrantLock();
  private static final ArrayDeque<Pending> PENDING = new ArrayDeque<>();
  private static final AtomicLong PENDING_DROPPED = new AtomicLong();
  private static final AtomicInteger SLF4J_APPENDERS = new AtomicInteger();
  private static final AtomicInteger LOG4J_APPENDERS = new AtomicInteger();
  private static final Clock CLOCK = Clock.systemUTC();
  private static final InheritableThreadLocal<HeartlogAgent> BOUND = new InheritableThreadLocal<>();
  private static volatile HeartlogAgent agent;

  private record Pending(Instant timestamp, Level level, String message, String taskId, Map<String, Object> metadata) {}

  private Heartlog() {}

  /**
   * Makes {@code newAgent} the process's agent and hands it the records held so far.
   *
   * @throws NullPointerException when {@code newAgent} is null
   */
  public static void install(HeartlogAgent newAgent) {
    LOCK.lock();
    try {
      agent = java.util.Objects.requireNonNull(newAgent, "agent");
      while (!PENDING.isEmpty()) {
        Pending p = PENDING.pollFirst();
        newAgent.capture(p.timestamp(), p.level(), p.message(), p.taskId(), p.metadata());
      }
      long dropped = PENDING_DROPPED.getAndSet(0);
      if (dropped > 0) {
        newAgent.log(
            Level.WARNING,
            "heartlog dropped " + dropped + " records logged before the agent started",
            null,
            Map.of("heartlog_dropped", dropped, "reason", "no_agent_yet"));
      }
    } finally {
      LOCK.unlock();
    }
  }

  /**
   * Says that an appender of SLF4J's backend (heartlog's Logback appender) has started, and takes
   * records. With {@code jul-to-slf4j}'s bridge installed (Spring Boot installs it), records of
   * {@code java.util.logging} reach heartlog through it, and {@link
   * dev.heartlog.agent.jul.HeartlogHandler} leaves them to it rather than storing each twice.
   */
  public static void slf4jAppenderStarted() {
    SLF4J_APPENDERS.incrementAndGet();
  }

  /** Says that an appender {@link #slf4jAppenderStarted} counted has stopped. */
  public static void slf4jAppenderStopped() {
    SLF4J_APPENDERS.decrementAndGet();
  }

  /** Whether an appender of SLF4J's backend takes records now. */
  public static boolean hasSlf4jAppender() {
    return SLF4J_APPENDERS.get() > 0;
  }

  /**
   * Says that heartlog's Log4j 2 appender has started, and takes records. With log4j-jul's {@code
   * Log4jBridgeHandler} on JUL's root logger (Spring Boot's Log4j 2 starter installs it), records
   * of {@code java.util.logging} reach heartlog through it, and {@link
   * dev.heartlog.agent.jul.HeartlogHandler} leaves them to it, as with jul-to-slf4j's bridge.
   */
  public static void log4jAppenderStarted() {
    LOG4J_APPENDERS.incrementAndGet();
  }

  /** Says that an appender {@link #log4jAppenderStarted} counted has stopped. */
  public static void log4jAppenderStopped() {
    LOG4J_APPENDERS.decrementAndGet();
  }

  /** Whether heartlog's Log4j 2 appender takes records now. */
  public static boolean hasLog4jAppender() {
    return LOG4J_APPENDERS.get() > 0;
  }

  /** Forgets {@code installed} if it is the process's agent (called when it shuts down). */
  public static void uninstall(HeartlogAgent installed) {
    LOCK.lock();
    try {
      if (agent == installed) {
        agent = null;
      }
    } finally {
      LOCK.unlock();
    }
  }

  /** The agent the current thread's records go to: its bound agent, else the installed one. */
  public static Optional<HeartlogAgent> agent() {
    HeartlogAgent bound = BOUND.get();
    return Optional.ofNullable(bound != null ? bound : agent);
  }

  /**
   * Sends the records of the current thread, and of threads it starts from now on, to {@code
   * worker} until the returned binding is closed.
   */
  public static Binding bind(HeartlogAgent worker) {
    HeartlogAgent previous = BOUND.get();
    BOUND.set(java.util.Objects.requireNonNull(worker, "agent"));
    return () -> {
      if (previous == null) {
        BOUND.remove();
      } else {
        BOUND.set(previous);
      }
    };
  }

  /**
   * The task, bound when it runs to the agent the calling thread's records go to now: for work
   * handed to a pool that threads of several workers share ({@code CompletableFuture.runAsync},
   * a parallel stream's, an executor made once). A pool's thread takes the binding of the thread
   * that happened to start it, and keeps it, so an unwrapped task's records go to that worker.
   */
  public static Runnable wrap(Runnable task) {
    HeartlogAgent caller = BOUND.get();
    if (caller == null) {
      return task;
    }
    return () -> {
      try (Binding binding = bind(caller)) {
        task.run();
      }
    };
  }

  /** {@link #wrap(Runnable)} for a task with a result. */
  public static <T> java.util.concurrent.Callable<T> wrap(java.util.concurrent.Callable<T> task) {
    HeartlogAgent caller = BOUND.get();
    if (caller == null) {
      return task;
    }
    return () -> {
      try (Binding binding = bind(caller)) {
        return task.call();
      }
    };
  }

  /** Ends a {@link #bind(HeartlogAgent) thread binding}. */
  @FunctionalInterface
  public interface Binding extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Hands a record to the installed agent, or holds it until one is installed. Never blocks on
   * I/O, never throws.
   */
  public static void log(Level level, String message, String taskId, Map<String, Object> metadata) {
    log(null, level, message, taskId, metadata);
  }

  /**
   * Hands a record made at {@code timestamp} (a logging framework's own event time; {@code null}
   * means now) to the installed agent, or holds it until one is installed. Without a {@code
   * taskId} it is filed under the task that ran at {@code timestamp} ({@link HeartlogAgent#taskAt}),
   * which is the current one unless the event comes late, as from behind an asynchronous appender.
   */
  public static void log(Instant timestamp, Level level, String message, String taskId, Map<String, Object> metadata) {
    HeartlogAgent target = target();
    if (target != null) {
      target.log(timestamp, level, message, taskOf(target, timestamp, taskId), metadata);
      return;
    }
    HeartlogAgent current;
    LOCK.lock();
    try {
      current = agent;
      if (current == null) {
        if (PENDING.size() < PENDING_CAPACITY) {
          PENDING.addLast(new Pending(timestamp != null ? timestamp : CLOCK.instant(), level, message, taskId, metadata));
        } else {
          PENDING_DROPPED.incrementAndGet();
        }
        return;
      }
    } finally {
      LOCK.unlock();
    }
    current.log(timestamp, level, message, taskOf(current, timestamp, taskId), metadata);
  }

  /**
   * Hands a record whose message is formatted only if it is sent (see {@link MessagePattern}) to
   * the installed agent; held formatted until one is installed.
   */
  public static void log(Instant timestamp, Level level, MessagePattern message, String taskId, Map<String, Object> metadata) {
    HeartlogAgent target = target();
    if (target != null) {
      target.log(timestamp, level, message, taskOf(target, timestamp, taskId), metadata);
    } else {
      log(timestamp, level, message == null ? null : message.toString(), taskId, metadata);
    }
  }

  private static String taskOf(HeartlogAgent target, Instant timestamp, String taskId) {
    return taskId != null || timestamp == null ? taskId : target.taskAt(timestamp);
  }

  /** The agent this thread's records go to: the one bound to it, else the installed one, if any. */
  private static HeartlogAgent target() {
    HeartlogAgent bound = BOUND.get();
    return bound != null ? bound : agent;
  }

  /** Whether a record of this level would be kept; before an agent exists, every level is held. */
  public static boolean isEnabled(Level level) {
    return isEnabled(level, null);
  }

  /**
   * Whether a record of this level from this component (a logger's name, say) would be kept, by
   * the agent's {@link HeartlogAgent#levels() levels per component}; before an agent exists,
   * every record is held, and checked when the agent takes it.
   */
  public static boolean isEnabled(Level level, String component) {
    HeartlogAgent target = target();
    return target == null || target.isEnabled(level, component);
  }
}
