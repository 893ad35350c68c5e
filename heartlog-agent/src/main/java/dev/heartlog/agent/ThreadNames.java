package dev.heartlog.agent;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The name a record gives the thread that logged it. A virtual thread (Java 21) has none unless
 * its maker gives it one, and {@code Executors.newVirtualThreadPerTaskExecutor()} gives none, so
 * every record of a worker that runs its tasks on virtual threads would say {@code "thread": ""}.
 * Such a thread is named {@code virtual-<id>} here, any other nameless one {@code unnamed-<id>}:
 * the names Logback 1.5 gives them, so that records from Logback, {@code java.util.logging} and
 * Log4j read alike and a task's records still tell its threads apart.
 */
public final class ThreadNames {

  /** {@code Thread.isVirtual()}, or null before Java 21. */
  private static final MethodHandle IS_VIRTUAL = isVirtualMethod();

  private ThreadNames() {}

  /** The name of {@code thread}: its own, or {@code virtual-<id>} or {@code unnamed-<id>} when it has none. */
  public static String of(Thread thread) {
    String name = thread.getName();
    return name.isEmpty() ? nameless(thread) : name;
  }

  /**
   * The name a framework recorded for the thread with {@code threadId}, or, when it recorded an
   * empty one, the name {@link #of(Thread)} gives that thread. Whether it is virtual can be told
   * only on that thread: called on another (behind an asynchronous logger), a nameless thread is
   * {@code unnamed-<id>}.
   */
  public static String of(String recorded, long threadId) {
    if (recorded != null && !recorded.isEmpty()) {
      return recorded;
    }
    Thread current = Thread.currentThread();
    return idOf(current) == threadId ? of(current) : "unnamed-" + threadId;
  }

  @SuppressWarnings("deprecation")   // Thread.threadId() is Java 19's; getId() is the same number
  private static long idOf(Thread thread) {
    return thread.getId();
  }

  private static String nameless(Thread thread) {
    return (isVirtual(thread) ? "virtual-" : "unnamed-") + idOf(thread);
  }

  private static boolean isVirtual(Thread thread) {
    if (IS_VIRTUAL == null) {
      return false;
    }
    try {
      return (boolean) IS_VIRTUAL.invokeExact(thread);
    } catch (Throwable e) {
      return false;
    }
  }

  private static MethodHandle isVirtualMethod() {
    try {
      return MethodHandles.publicLookup()
          .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;   // Java 17 to 20: no virtual threads
    }
  }
}
