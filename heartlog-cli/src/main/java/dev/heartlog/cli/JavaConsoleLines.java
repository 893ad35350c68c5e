package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console lines of the JVM's loggers and frameworks other than Logback's, Log4j2's and
 * Spring Boot's defaults ({@link LoggerFormats#javaDefault}, {@link SpringBootLines}), each in
 * the format it prints untold:
 *
 * <ul>
 *   <li>SLF4J's simple logger ({@code slf4j-simple}, the smallest binding, on stderr): {@code
 *       [main] INFO com.example.Worker - Rendering task 42}; with {@code showDateTime}, the
 *       milliseconds since it started or a date before it ({@code 26 [main] INFO ...}), and with
 *       {@code levelInBrackets} the level in brackets.
 *   <li>JBoss LogManager's, as Quarkus, WildFly and Keycloak print it: {@code 2026-12-06
 *       10:40:01,123 INFO  [io.quarkus] (main) Profile prod activated.} (WildFly's console: the
 *       time of day alone), its level JBoss's ({@code WARN}, {@code ERROR}, {@code FATAL}) or
 *       {@code java.util.logging}'s ({@code SEVERE}, {@code FINE}). An exception comes after the
 *       message on the same line ({@code Render failed: java.lang.IllegalStateException: ...}),
 *       its frames below: {@link Tracebacks} takes it into the record's exception.
 *   <li>Dropwizard's: {@code WARN  [2026-12-06 10:40:02,001] com.example.RenderJob: VRAM nearly
 *       full}, an exception below it with {@code "! "} before each of its lines ({@link
 *       #unprefixed}).
 *   <li>Apache Spark's ({@code %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex}, on stderr): {@code
 *       26/12/06 10:40:05 ERROR Executor: Exception in task 0.0 in stage 0.0 (TID 0)}.
 * </ul>
 *
 * <p>Each is read as its level, its logger as the record's {@code logger}, its thread as {@code
 * thread}, and the message after them; before, the level was read from such a line, but its
 * time, logger and thread stayed in the message (and so in the task list's and {@code heartlog
 * errors}' line of a failure). A time with a zone is the record's time; the others (all four
 * print one without, in the machine's zone or in UTC as configured) leave the record the time
 * the line came.
 */
final class JavaConsoleLines {

  private static final String LEVELS = "TRACE|DEBUG|INFO|WARN|ERROR";

  /** The levels JBoss LogManager prints: its own, and those of {@code java.util.logging}. */
  private static final String JBOSS_LEVELS = "FATAL|ERROR|WARN|INFO|DEBUG|TRACE|SEVERE|WARNING|CONFIG|FINE|FINER|FINEST";

  /** A logger's name as the JVM's loggers print it, whole or shortened: {@code c.e.render.Worker}. */
  private static final String LOGGER = "[A-Za-z_$][\\w.$-]{0,199}";

  /**
   * SLF4J's simple logger: what it prints before the thread (nothing, the milliseconds since it
   * started, or a date and time), the thread, the level (in brackets where told), the logger.
   */
  private static final Pattern SIMPLE = Pattern.compile(
      "(?:(?<uptime>\\d{1,12}) |(?<time>\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d{1,9})?"
          + "(?<zone>Z|[+-]\\d\\d:?\\d\\d)?) )?"
          + "\\[(?<thread>[^\\]]{1,100})\\] \\[?(?<level>" + LEVELS + ")\\]? (?<logger>" + LOGGER + ") - (?<message>.*)");

  /**
   * JBoss LogManager's ({@code %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c{3.}] (%t) %s%e%n}): the
   * level padded to five columns, then the logger in brackets and the thread in parentheses.
   */
  private static final Pattern JBOSS = Pattern.compile(
      "(?:\\d{4}-\\d\\d-\\d\\d )?\\d\\d:\\d\\d:\\d\\d,\\d{3} (?<level>" + JBOSS_LEVELS + ") +"
          + "\\[(?<logger>[^\\]\\s]{1,200})\\] \\((?<thread>[^()]{1,100})\\) (?<message>.*)");

  /** Dropwizard's ({@code %-5p [%d{ISO8601,UTC}] %c: %m%n%rEx}). */
  private static final Pattern DROPWIZARD = Pattern.compile(
      "(?<level>" + LEVELS + ") +\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}\\] (?<logger>" + LOGGER + "): (?<message>.*)");

  /** Spark's ({@code %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex}). */
  private static final Pattern SPARK = Pattern.compile(
      "\\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d (?<level>" + LEVELS + "|FATAL) (?<logger>" + LOGGER + "): (?<message>.*)");

  /** What Dropwizard prints before each line of an exception. */
  private static final String DROPWIZARD_PREFIX = "! ";

  private JavaConsoleLines() {}

  /** The line's record, or null where it is in none of these formats. */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 16) {
      return null;
    }
    // Each format is tried only where the line's first characters fit it: a line in none of
    // them, or of Logback's default ("06:01:16.020 [main] ..."), meets no pattern
    char first = line.charAt(0);
    Matcher matcher = null;
    if (first == '[') {
      matcher = matching(SIMPLE, line);
    } else if (first >= '0' && first <= '9') {
      if (line.charAt(2) == '/') {
        matcher = matching(SPARK, line);
      } else if (jbossShape(line)) {
        matcher = matching(JBOSS, line);
      }
      if (matcher == null && (uptimeFirst(line) || line.charAt(4) == '-' && bracketWithin(line, 34))) {
        matcher = matching(SIMPLE, line);
      }
    } else if ("TDIWE".indexOf(first) >= 0 && bracketWithin(line, 8)) {
      matcher = matching(DROPWIZARD, line);
    }
    if (matcher == null || matcher.pattern() == JBOSS && !paddedToFive(matcher)) {
      return null;
    }
    metadata.put("logger", matcher.group("logger"));
    Instant time = null;
    if (matcher.pattern() == SIMPLE || matcher.pattern() == JBOSS) {
      metadata.put("thread", matcher.group("thread"));
    }
    if (matcher.pattern() == SIMPLE) {
      if (matcher.group("uptime") != null) {
        metadata.put("uptime", matcher.group("uptime") + "ms");
      }
      if (matcher.group("zone") != null) {
        time = IsoTime.parse(matcher.group("time"));
      }
    }
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(Level.fromName(matcher.group("level")), message, null, metadata,
        endsTask.test(message), time);
  }

  /**
   * Whether the level is padded to five columns ({@code %-5p}), as JBoss LogManager's formats
   * print it: {@code INFO  [}. Python's {@code %(levelname)s [%(name)s]} is not ({@code INFO
   * [render] (3/10) frames done}), and a message of its that begins in parentheses keeps them.
   */
  private static boolean paddedToFive(Matcher matcher) {
    int level = matcher.start("level");
    return matcher.start("logger") - 1 == level + Math.max(5, matcher.end("level") - level) + 1;
  }

  /**
   * Whether the line's first characters are JBoss LogManager's: a time with a comma before its
   * milliseconds, a date before it or not, then the logger's bracket where a level padded to five
   * to seven columns puts it. Python's logging's default time is the same; its level and logger
   * are not.
   */
  private static boolean jbossShape(String line) {
    int time = line.charAt(4) == '-' ? 11 : 0;   // the time of day's offset
    return line.length() > time + 24 && line.charAt(time + 8) == ',' && line.charAt(time + 2) == ':'
        && (line.charAt(time + 19) == '[' || line.charAt(time + 20) == '[' || line.charAt(time + 21) == '[');
  }

  /** Whether the line begins with digits, a space and a bracket: slf4j-simple's milliseconds. */
  private static boolean uptimeFirst(String line) {
    int i = 1;
    while (i < 13 && line.charAt(i) >= '0' && line.charAt(i) <= '9') {
      i++;
    }
    return line.charAt(i) == ' ' && line.charAt(i + 1) == '[';
  }

  /** Whether a space and an opening bracket come within the line's first {@code reach} characters. */
  private static boolean bracketWithin(String line, int reach) {
    int end = Math.min(line.length() - 1, reach);
    for (int i = 1; i < end; i++) {
      if (line.charAt(i) == '[' && line.charAt(i - 1) == ' ') {
        return true;
      }
    }
    return false;
  }

  private static Matcher matching(Pattern pattern, String line) {
    Matcher matcher = pattern.matcher(line);
    return matcher.matches() ? matcher : null;
  }

  /**
   * A line of an exception Dropwizard printed without the {@code "! "} before it, as the JVM
   * prints the line: {@code ! at com.example.Render.run(Render.java:42)} is a frame, {@code "\tat
   * ..."}, {@code ! java.io.IOException: ...} the exception's line, {@code ! Causing: ...} the
   * exception its cause caused (Dropwizard prints the deepest cause first). Any other line as it
   * came.
   */
  static String unprefixed(String text) {
    if (!text.startsWith(DROPWIZARD_PREFIX)) {
      return text;
    }
    String rest = text.substring(DROPWIZARD_PREFIX.length());
    if (rest.startsWith("at ") && (rest.endsWith(")") || rest.endsWith("]"))
        || rest.startsWith("... ") && (rest.endsWith(" common frames omitted") || rest.endsWith(" more"))) {
      return "\t" + rest;
    }
    if (rest.startsWith(TracebackLines.DROPWIZARD_CAUSING) || rest.startsWith("Caused by: ")) {
      return rest;
    }
    int colon = rest.indexOf(':');
    boolean qualified = (colon < 0 ? rest : rest.substring(0, colon)).indexOf('.') > 0;
    return qualified && TracebackLines.isExceptionLine(rest) ? rest : text;
  }
}
