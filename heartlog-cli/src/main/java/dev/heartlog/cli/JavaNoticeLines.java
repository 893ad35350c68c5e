package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.function.Predicate;

/**
 * What a Java worker's JVM and SLF4J print of their own, beside the worker's logger, one line
 * each:
 *
 * <ul>
 *   <li>HotSpot's warnings, on stdout ({@code OpenJDK 64-Bit Server VM warning: Sharing is only
 *       supported for boot loader classes because bootstrap classpath has been appended}; {@code
 *       ... warning: INFO: os::commit_memory(...) failed; error='Not enough space' (errno=12)}
 *       before the JVM ends for want of memory): WARNING, {@code component} {@code jvm}, the
 *       message after {@code warning: }, where each was INFO;
 *   <li>the options the JVM took from the environment, on stderr, every start of every container
 *       that sets them ({@code Picked up JAVA_TOOL_OPTIONS: -Xmx2g}, {@code _JAVA_OPTIONS}, the
 *       launcher's {@code NOTE: Picked up JDK_JAVA_OPTIONS: ...}): INFO, {@code component}
 *       {@code jvm}, where each was a warning;
 *   <li>SLF4J 2's reports of itself ({@code SLF4J(W): No SLF4J providers were found.}; {@code
 *       (I)}, {@code (D)}, {@code (E)}), on stderr: their level, {@code component} {@code slf4j},
 *       the message after the prefix, where each was a warning. SLF4J 1's {@code SLF4J: ...},
 *       which names no level, stays its stream's;
 *   <li>what HotSpot prints on stdout where its heap runs out and {@code
 *       -XX:+HeapDumpOnOutOfMemoryError} is set, as a container's JVM often is: {@code
 *       java.lang.OutOfMemoryError: Java heap space}, a WARNING (the error is the worker's to
 *       report, or the exception's the JVM prints when nothing caught it; of no {@code
 *       component}, as a stack trace the worker prints begins with the same line), where it was
 *       INFO;
 *       {@code Dumping heap to /dumps/java_pid7.hprof ...}, INFO, the file in {@code heap_dump};
 *       {@code Heap dump file created [17872208 bytes in 0.024 secs]}, INFO, the size in {@code
 *       heap_dump_bytes}; and {@code Unable to create /dumps/render.hprof: File exists}, the dump
 *       that was not written (a fixed {@code -XX:HeapDumpPath} file left by the last run, a
 *       folder that is not there), a WARNING with the file in {@code heap_dump}, where it was
 *       INFO. The last three {@code component} {@code jvm}.
 * </ul>
 */
final class JavaNoticeLines {

  private static final String VM_WARNING = " VM warning: ";
  private static final String PICKED_UP = "Picked up ";
  private static final String LAUNCHER_NOTE = "NOTE: ";
  /** The variables the JVM and its launcher take options from, as they name them after {@link #PICKED_UP}. */
  private static final String[] OPTIONS_VARIABLES = {"JAVA_TOOL_OPTIONS: ", "_JAVA_OPTIONS: ", "JDK_JAVA_OPTIONS: "};
  private static final String SLF4J = "SLF4J(";
  private static final String OUT_OF_MEMORY = "java.lang.OutOfMemoryError: ";
  private static final String DUMPING_HEAP = "Dumping heap to ";
  private static final String DUMPING_HEAP_END = " ...";
  private static final String HEAP_DUMPED = "Heap dump file created [";
  private static final String NOT_DUMPED = "Unable to create ";
  /** The end of a heap dump's file name, as HotSpot names one ({@code java_pid7.hprof}) and as most name theirs. */
  private static final String HPROF = ".hprof: ";

  private JavaNoticeLines() {}

  /** The line's record, or null where it is none of these. */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.startsWith(SLF4J) && line.length() > 10 && line.charAt(7) == ')' && line.charAt(8) == ':') {
      Level level = switch (line.charAt(6)) {
        case 'D' -> Level.DEBUG;
        case 'I' -> Level.INFO;
        case 'W' -> Level.WARNING;
        case 'E' -> Level.ERROR;
        default -> null;
      };
      return level == null ? null : notice(level, "slf4j", line.substring(9).stripLeading(), metadata, endsTask);
    }
    if ((line.startsWith("OpenJDK ") || line.startsWith("Java HotSpot(TM) ")) && line.indexOf(VM_WARNING) > 0) {
      int warning = line.indexOf(VM_WARNING);
      return notice(Level.WARNING, "jvm", line.substring(warning + VM_WARNING.length()), metadata, endsTask);
    }
    ChildLineParser.Parsed heapDump = heapDump(line, metadata, endsTask);
    if (heapDump != null) {
      return heapDump;
    }
    String picked = line.startsWith(LAUNCHER_NOTE) ? line.substring(LAUNCHER_NOTE.length()) : line;
    if (picked.startsWith(PICKED_UP)) {
      for (String variable : OPTIONS_VARIABLES) {
        if (picked.startsWith(variable, PICKED_UP.length())) {
          return notice(Level.INFO, "jvm", line, metadata, endsTask);
        }
      }
    }
    return null;
  }

  /** The lines of {@code -XX:+HeapDumpOnOutOfMemoryError}'s, or null. */
  private static ChildLineParser.Parsed heapDump(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    switch (line.isEmpty() ? ' ' : line.charAt(0)) {
      case 'j' -> {
        if (line.startsWith(OUT_OF_MEMORY) && line.length() > OUT_OF_MEMORY.length()) {
          // no component: the worker's printStackTrace(System.out) begins with the same line
          return new ChildLineParser.Parsed(Level.WARNING, line, null, metadata, endsTask.test(line), null,
              ChildLineParser.TaskScope.CURRENT, false, true);
        }
      }
      case 'D' -> {
        if (line.startsWith(DUMPING_HEAP) && line.endsWith(DUMPING_HEAP_END)
            && line.length() > DUMPING_HEAP.length() + DUMPING_HEAP_END.length()) {
          metadata.put("heap_dump", line.substring(DUMPING_HEAP.length(), line.length() - DUMPING_HEAP_END.length()));
          return notice(Level.INFO, "jvm", line, metadata, endsTask);
        }
      }
      case 'H' -> {
        int bytes = line.indexOf(" bytes in ");
        if (line.startsWith(HEAP_DUMPED) && bytes > HEAP_DUMPED.length() && line.endsWith(" secs]")
            && line.substring(HEAP_DUMPED.length(), bytes).chars().allMatch(Character::isDigit)) {
          metadata.put("heap_dump_bytes", Long.parseLong(line.substring(HEAP_DUMPED.length(), bytes)));
          return notice(Level.INFO, "jvm", line, metadata, endsTask);
        }
      }
      case 'U' -> {
        int file = line.indexOf(HPROF);
        if (line.startsWith(NOT_DUMPED) && file > NOT_DUMPED.length()) {
          metadata.put("heap_dump", line.substring(NOT_DUMPED.length(), file + HPROF.length() - 2));
          metadata.put("component", "jvm");
          // A level heartlog gives it, not one it names: the stack trace the worker prints right
          // after it is not this warning's, as a logger's warning's own would be.
          return new ChildLineParser.Parsed(Level.WARNING, line, null, metadata, endsTask.test(line), null,
              ChildLineParser.TaskScope.CURRENT, false, false, true);
        }
      }
      default -> {
        return null;
      }
    }
    return null;
  }

  private static ChildLineParser.Parsed notice(Level level, String component, String message, RecordMetadata metadata,
      Predicate<String> endsTask) {
    metadata.put("component", component);
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message), null,
        ChildLineParser.TaskScope.CURRENT, false, true);
  }
}
