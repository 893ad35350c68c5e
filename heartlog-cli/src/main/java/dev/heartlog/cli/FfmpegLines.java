package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of ffmpeg (and ffprobe) run with its level shown, {@code -loglevel level+info}: {@code
 * [error] /videos/in.mp4: No such file or directory}, {@code [libx264 @ 0x55ea1261b940] [info]
 * using SAR=1/1}. A worker that renders video runs it for each task; by default it names no level,
 * and every line it writes to stderr, its banner among them, is a warning (README, "ffmpeg").
 */
final class FfmpegLines {

  /** The component and its address, if any, then the level in brackets, as {@code level+} prints them. */
  private static final Pattern LINE = Pattern.compile(
      "(?:\\[(?<component>[^\\]\\[@ ]{1,64}) @ 0x[0-9a-f]{1,16}\\] )?"
          + "\\[(?<level>trace|debug|verbose|info|warning|error|fatal|panic)\\] (?<message>.*)");

  private FfmpegLines() {}

  /**
   * A line of ffmpeg's with its level: that level (verbose and trace are DEBUG, fatal and panic
   * CRITICAL), the message after the brackets, and the component that logged it (a codec, a
   * muxer, a filter) in {@code component}. Null for any other line.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 8 || line.charAt(0) != '[') {
      return null;
    }
    Matcher matcher = LINE.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    Level level = switch (matcher.group("level")) {
      case "trace", "debug", "verbose" -> Level.DEBUG;
      case "info" -> Level.INFO;
      case "warning" -> Level.WARNING;
      case "error" -> Level.ERROR;
      default -> Level.CRITICAL;
    };
    if (matcher.group("component") != null) {
      metadata.put("component", matcher.group("component"));
    }
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message));
  }
}
