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
 *       which names no level, stays its stream's.
 * </ul>
 */
final class JavaNoticeLines {

  private static final String VM_WARNING = " VM warning: ";
  private static final String PICKED_UP = "Picked up ";
  private static final String LAUNCHER_NOTE = "NOTE: ";
  /** The variables the JVM and its launcher take options from, as they name them after {@link #PICKED_UP}. */
  private static final String[] OPTIONS_VARIABLES = {"JAVA_TOOL_OPTIONS: ", "_JAVA_OPTIONS: ", "JDK_JAVA_OPTIONS: "};
  private static final String SLF4J = "SLF4J(";

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

  private static ChildLineParser.Parsed notice(Level level, String component, String message, RecordMetadata metadata,
      Predicate<String> endsTask) {
    metadata.put("component", component);
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message), null,
        ChildLineParser.TaskScope.CURRENT, false, true);
  }
}
