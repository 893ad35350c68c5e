package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the JDK itself prints in shapes of several lines: HotSpot's report of the JVM's crash
 * ({@code #} before each line), its dump of the threads' stacks ({@code kill -3}, {@code
 * jstack}), and the record of two lines of {@code java.util.logging}'s console handler. Written
 * as {@link TracebackLines} says.
 */
final class JdkLines {

  /** The line HotSpot begins and ends its report of the JVM's crash with, and puts between its parts. */
  static final String JVM_CRASH_MARGIN = "#";

  /** The second line of HotSpot's report of the JVM's crash, where it was no lack of memory. */
  static final String JVM_FATAL_ERROR = "# A fatal error has been detected by the Java Runtime Environment:";

  /** The line of HotSpot's report over the frame it crashed in. */
  static final String JVM_CRASH_FRAME = "# Problematic frame:";

  /** The line of HotSpot's report that says it prints the whole report, for want of a file to write it to. */
  static final String JVM_DUMPED_TO_SCREEN = "# Can not save log file, dump to screen..";

  /** The line of that whole report over its registers' values, a hundred lines and more of hex. */
  static final String JVM_DUMP_REGISTERS = "Registers:";

  /** That whole report's last line. */
  static final String JVM_DUMP_END = "END.";

  /** The line of HotSpot's report over the file it writes the whole report to. */
  static final String JVM_CRASH_REPORT_SAVED = "# An error report file with more information is saved as:";

  /** What follows what a HotSpot crash was: where, in the process ({@code  at pc=0x...}), and whose. */
  private static final Pattern JVM_CRASH_PLACE = Pattern.compile("(?: at pc=|, pid=).*");

  /** The second line of HotSpot's report of the JVM's crash (on stdout), with what it was. */
  private static final Set<String> JVM_CRASH = Set.of(
      JVM_FATAL_ERROR,
      "# There is insufficient memory for the Java Runtime Environment to continue.");

  /**
   * The first line of a record of {@code java.util.logging}'s console handler in its default
   * format: {@code Nov 29, 2026 10:00:00 AM com.example.Worker render}, the time in English, then
   * the class and the method. {@link #JUL_LEVEL} is the second.
   */
  private static final Pattern JUL_SOURCE = Pattern.compile(
      "[A-Z][a-z]{2} \\d{1,2}, \\d{4} \\d{1,2}:\\d{2}:\\d{2} [AP]M (?<class>[\\w$.]+)(?: (?<method>\\S+))?");

  /** The second line of a record of {@code java.util.logging}'s: {@code INFO: Loading model}. */
  private static final Pattern JUL_LEVEL = Pattern.compile(
      "(?<level>SEVERE|WARNING|INFO|CONFIG|FINE|FINER|FINEST): (?<message>.*)");

  private JdkLines() {}

  static boolean isJvmCrash(String text) {
    return JVM_CRASH.contains(text);
  }

  /**
   * What a HotSpot crash was, of its first line after the report's heading: {@code SIGSEGV (0xb)}
   * of {@code #  SIGSEGV (0xb) at pc=0x00007f..., pid=4242, tid=4243}, {@code Internal Error
   * (g1ConcurrentMark.cpp:1183)} of an internal error's; the address and the process, different
   * in every crash, are in the report.
   */
  static String jvmCrashWhat(String text) {
    return JVM_CRASH_PLACE.matcher(text.substring(1).strip()).replaceFirst("");
  }

  /** The frame below {@link #JVM_CRASH_FRAME}, its columns' spaces one: {@code V [libjvm.so+0xed2f94] Unsafe_PutLong+0x124}. */
  static String jvmCrashFrame(String text) {
    return text.substring(1).strip().replaceAll("\\s+", " ");
  }

  /** A line of HotSpot's report of the JVM's crash after its first two: each begins with {@code #}. */
  static boolean isJvmCrashLine(String text) {
    return text.startsWith(JVM_CRASH_MARGIN);
  }

  /**
   * The first line of HotSpot's dump of its threads' stacks, which a JVM prints on stdout when
   * sent SIGQUIT ({@code kill -3}), and {@code jstack} and {@code jcmd PID Thread.print} print
   * too: {@code Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode, sharing):}.
   */
  static boolean isJvmThreadDump(String text) {
    return text.startsWith("Full thread dump ") && text.endsWith(":");
  }

  /**
   * The line of the time HotSpot prints above its thread dump, in the JVM's time zone: {@code
   * 2026-12-06 16:02:42}.
   */
  static boolean isJvmThreadDumpTime(String text) {
    return text.length() == 19 && text.charAt(10) == ' ' && JVM_THREAD_DUMP_TIME.matcher(text).matches();
  }

  private static final Pattern JVM_THREAD_DUMP_TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");

  /**
   * A line of HotSpot's thread dump after its first: a thread's header ({@code "main" #1 prio=5
   * ... tid=0x... nid=0x... waiting on condition}), its state and frames, indented, the blank
   * lines between threads, the list of threads' addresses before them ({@code Threads class SMR
   * info:}, {@code _java_thread_list=...}, lines of {@code 0x...}, {@code }}), the count of JNI's
   * references, the deadlocks it found ({@code Found one Java-level deadlock:}, a rule of {@code
   * =}, the threads named in quotes, {@code Java stack information for the threads listed
   * above:}, {@code Found 1 deadlock.}) and the heap's summary ({@code Heap}, indented lines).
   */
  static boolean isJvmThreadDumpLine(String text) {
    if (text.isEmpty()) {
      return true;
    }
    char first = text.charAt(0);
    return first == ' ' || first == '\t' || first == '"' || text.startsWith("0x") || text.equals("}")
        || text.equals("Heap") || text.startsWith("===") || text.startsWith("Threads class SMR info:")
        || text.startsWith("_java_thread_list=") || text.startsWith("JNI global ref")
        || text.equals(JVM_DEADLOCK) || text.equals("Java stack information for the threads listed above:")
        || jvmDeadlocksFound(text) > 0;
  }

  /** What HotSpot's thread dump prints over each deadlock it found among the threads. */
  static final String JVM_DEADLOCK = "Found one Java-level deadlock:";

  /** The deadlocks HotSpot's thread dump says it found, in its line after them ({@code Found 2 deadlocks.}); 0 for any other line. */
  static int jvmDeadlocksFound(String text) {
    if (!text.startsWith("Found ") || !(text.endsWith(" deadlock.") || text.endsWith(" deadlocks."))) {
      return 0;
    }
    String count = text.substring("Found ".length(), text.indexOf(' ', "Found ".length()));
    return count.chars().allMatch(Character::isDigit) && !count.isEmpty() ? Integer.parseInt(count) : 0;
  }

  static boolean isJulSource(String text) {
    return text.charAt(0) >= 'A' && text.charAt(0) <= 'Z' && JUL_SOURCE.matcher(text).matches();
  }

  /** The class and method ({@code class}, {@code method}) of a first line of JUL's, else null. */
  static Matcher julSource(String text) {
    Matcher matcher = JUL_SOURCE.matcher(text);
    return matcher.matches() ? matcher : null;
  }

  /** The level and message ({@code level}, {@code message}) of a second line of JUL's, else null. */
  static Matcher julLevel(String text) {
    Matcher matcher = JUL_LEVEL.matcher(text);
    return matcher.matches() ? matcher : null;
  }

  /** JUL's level as heartlog's: SEVERE is ERROR; CONFIG, FINE, FINER and FINEST are DEBUG. */
  static Level julLevelOf(String name) {
    return switch (name) {
      case "SEVERE" -> Level.ERROR;
      case "WARNING" -> Level.WARNING;
      case "INFO" -> Level.INFO;
      default -> Level.DEBUG;
    };
  }
}
