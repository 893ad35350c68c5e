package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The JVM's own log lines ({@code -Xlog}, the unified logging of JDK 9 and later): each of the
 * decorations it was told to print in brackets, one right after the other, then the message.
 * Its warnings go to stdout even untold ({@code [0.001s][warning][pagesize] UseLargePages
 * disabled, ...}; {@code [12.3s][warning][os,thread] Failed to start thread "Unknown thread" -
 * pthread_create failed (EAGAIN) ...}, a container out of threads), and a worker's GC log
 * ({@code -Xlog:gc*:stdout}) prints {@code [0.004s][info][gc] Using G1} and the like on every
 * collection; where several {@code -Xlog} write to one stream, the level and the tags are padded
 * with spaces ({@code [info   ][gc,cpu      ]}). Before, each was its stream's level, the brackets
 * in its message.
 *
 * <p>The level ({@code trace}, {@code debug}, {@code info}, {@code warning}, {@code error}) is the
 * record's; the tags after it are its {@code component}, {@code jvm.} before them and their
 * commas dots ({@code jvm.gc.heap} of {@code [gc,heap]}: {@code --component jvm.gc} keeps every GC
 * line); a time ({@code time} or {@code utctime}, {@code [2026-12-06T08:49:22.883+0000]}) is
 * the record's time, as is one in milliseconds or nanoseconds since 1970 ({@code timemillis},
 * {@code timenanos}), and the JVM's uptime ({@code [0.004s]}, {@code [39ms]}) is kept in {@code
 * uptime}; a decoration of another kind (a pid, a thread's id, a host) in {@code decorations},
 * as printed. A line is read so only where its level has the tags after it, or a time or an uptime
 * before it: {@code [info] Compiling 3 Scala sources} of sbt is no line of the JVM's.
 */
final class JvmUnifiedLogLines {

  private static final List<String> LEVELS = List.of("trace", "debug", "info", "warning", "error");

  /** The tags of a line: {@code gc}, {@code gc,heap,exit}. */
  private static final Pattern TAGS = Pattern.compile("[a-z][a-z0-9]*(?:,[a-z][a-z0-9]*)*");

  /** The JVM's uptime: {@code 0.004s}, {@code 39ms}, {@code 39000ns}. */
  private static final Pattern UPTIME = Pattern.compile("\\d+(?:[.,]\\d+s|ms|ns)");

  /**
   * The wall clock in milliseconds or nanoseconds ({@code timemillis}, {@code timenanos}): as
   * an uptime is written, but the time since 1970, more digits than any JVM's uptime has
   * (1,000,000,000,000 ms is 31 years).
   */
  private static final Pattern EPOCH = Pattern.compile("(\\d{13})ms|(\\d{19})ns");

  /** A {@code time} or {@code utctime} decoration: {@code 2026-12-06T08:49:22.883+0000}. */
  private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4}");

  private JvmUnifiedLogLines() {}

  /** The line's record, or null where it is no line of the JVM's unified logging. */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 8 || line.charAt(0) != '[') {
      return null;
    }
    int firstClose = line.indexOf(']');
    if (firstClose < 0 || firstClose + 1 == line.length() || line.charAt(firstClose + 1) != '[') {
      // a line of the JVM's has two brackets at least, one right after the other: the level and
      // its tags, or a time before the level. A test that turned away other lines that begin with
      // a bracket (Laravel's "[2026-12-06 08:00:00] local.ERROR: ..."), which took 3-4% longer
      return null;
    }
    List<String> groups = new ArrayList<>(6);
    int at = 0;
    int levelAt = -1;
    while (at < line.length() && line.charAt(at) == '[' && groups.size() < 12) {
      int close = line.indexOf(']', at);
      if (close < 0) {
        return null;
      }
      String group = line.substring(at + 1, close).stripTrailing();   // padded, where lines of several -Xlog share the stream
      if (levelAt < 0 && LEVELS.contains(group)) {
        levelAt = groups.size();
      }
      groups.add(group);
      at = close + 1;
    }
    if (levelAt < 0 || groups.size() > levelAt + 2) {
      return null;
    }
    boolean tagged = groups.size() == levelAt + 2 && TAGS.matcher(groups.get(levelAt + 1)).matches();
    if (groups.size() == levelAt + 2 && !tagged) {
      return null;   // a bracket after the level that is no tags
    }
    Instant time = null;
    String uptime = null;
    List<String> others = new ArrayList<>(2);
    for (String decoration : groups.subList(0, levelAt)) {
      if (time == null && TIME.matcher(decoration).matches()) {
        int offset = decoration.length() - 2;
        time = IsoTime.parse(decoration.substring(0, offset) + ":" + decoration.substring(offset));
      } else if (time == null && EPOCH.matcher(decoration).matches()) {
        long count = Long.parseLong(decoration.substring(0, decoration.length() - 2));
        time = decoration.endsWith("ms") ? Instant.ofEpochMilli(count) : Instant.ofEpochSecond(0, count);
      } else if (uptime == null && UPTIME.matcher(decoration).matches()) {
        uptime = decoration;
      } else {
        others.add(decoration);
      }
    }
    if (!tagged && time == null && uptime == null) {
      return null;
    }
    if (tagged) {
      metadata.put("component", "jvm." + groups.get(levelAt + 1).replace(',', '.'));
    }
    if (uptime != null) {
      metadata.put("uptime", uptime);
    }
    if (!others.isEmpty()) {
      metadata.put("decorations", String.join(" ", others));
    }
    String message = at < line.length() && line.charAt(at) == ' ' ? line.substring(at + 1) : line.substring(at);
    Level level = Level.fromName(groups.get(levelAt));
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message), time,
        ChildLineParser.TaskScope.CURRENT, false, true);
  }
}
