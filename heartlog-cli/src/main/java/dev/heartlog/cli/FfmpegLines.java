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

  /**
   * ffmpeg's own lines at info in its default output, which names no level: its banner, the
   * heading of an input, an output and the streams' mapping, its prompt, and the sizes it sums up.
   */
  private static final Pattern DEFAULT_INFO = Pattern.compile(
      "(?:ffmpeg|ffprobe|ffplay) version \\S.*|(?:Input|Output) #\\d+, .*(?: from | to )'.*':|Stream mapping:"
          + "|Press \\[q\\] to stop, \\[\\?\\] for help|video:\\d+kB audio:\\d+kB .*");

  /**
   * x264's lines at info as ffmpeg prints them, its settings and its statistics at the end of an
   * encode: {@code [libx264 @ 0x55e9f6786a40] frame I:1     Avg QP:19.18  size:  2974}. Its
   * warnings and errors look the same, and stay at the stream's level.
   */
  private static final Pattern X264_INFO = Pattern.compile("\\[libx264 @ 0x[0-9a-f]{1,16}\\] (?<message>(?:using SAR="
      + "|using cpu capabilities:|profile |264 - core |frame [IPB]:|consecutive B-frames:|mb [IPB] |8x8 transform intra:"
      + "|coded y,|i16 |i8 |i4 |i8c |Weighted P-Frames:|ref [PB] L[01]:|kb/s:|final ratefactor:|direct mvs ).*)");

  /**
   * x265's lines, and x264's own (its errors about its options), which name their level: {@code
   * x265 [warning]: Source height < 720p; disabling lookahead-slices}, {@code x264 [error]: invalid
   * preset 'nosuch'}.
   */
  private static final Pattern X26X = Pattern.compile("(?<encoder>x26[45]) \\[(?<level>info|warning|error|debug|full)\\]: (?<message>.*)");

  /**
   * The indented lines below ffmpeg's headings: the banner's build and libraries, an input's
   * duration, its streams and their metadata ({@code     encoder         : Lavf59.27.100}, a key
   * padded to 16 characters), and their side data.
   */
  private static final Pattern BLOCK_LINE = Pattern.compile("  +(?:built with |configuration: "
      + "|lib(?:avutil|avcodec|avformat|avdevice|avfilter|swscale|swresample|postproc) +\\d|Duration: |Stream #\\d+:\\d+"
      + "|Metadata:$|Side data:$|Chapters:$|Chapter #\\d+:\\d+|Program \\d+|[\\w][\\w .:/-]{15}: |cpb: )");

  private FfmpegLines() {}

  /**
   * A line of ffmpeg's default output (no {@code -loglevel level+...}) that is at info, though it
   * names no level: INFO, with {@code component} {@code ffmpeg} (or {@code libx264}); a line of
   * x265's or x264's own at the level it names. Null for any other line, which keeps the
   * stream's level: ffmpeg's warnings and errors are printed the same way as the rest of its lines.
   */
  static ChildLineParser.Parsed defaultOutput(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 12) {
      return null;
    }
    char first = line.charAt(0);
    if (first == '[') {
      Matcher x264 = X264_INFO.matcher(line);
      if (!x264.matches()) {
        return null;
      }
      metadata.put("component", "libx264");
      return atInfo(x264.group("message"), metadata);
    }
    if (first == 'x') {
      Matcher encoder = X26X.matcher(line);
      if (!encoder.matches()) {
        return null;
      }
      Level level = switch (encoder.group("level")) {
        case "debug", "full" -> Level.DEBUG;
        case "info" -> Level.INFO;
        case "warning" -> Level.WARNING;
        default -> Level.ERROR;
      };
      metadata.put("component", encoder.group("encoder"));
      String message = encoder.group("message");
      return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message));
    }
    if ("fIOSPv".indexOf(first) < 0 || !DEFAULT_INFO.matcher(line).matches()) {
      return null;
    }
    metadata.put("component", "ffmpeg");
    return atInfo(line, metadata);
  }

  /**
   * INFO by the line's shape: a line read with it, ffmpeg's failure among them ({@code
   * missing.mp4: No such file or directory}), keeps the stream's level, where it took INFO.
   */
  private static ChildLineParser.Parsed atInfo(String message, RecordMetadata metadata) {
    return new ChildLineParser.Parsed(Level.INFO, message, null, metadata, false, null, ChildLineParser.TaskScope.CURRENT,
        false, true, true);
  }

  /**
   * Whether a line naming no level is one of the indented lines below a heading of ffmpeg's
   * ({@link #defaultOutput}): at info too. Where it is read with its heading it joins the
   * heading's record; where it came in a read of its own, as ffmpeg writes each line apart, it
   * was a warning of its own.
   */
  static boolean isBlockLine(String line) {
    return line.length() > 8 && line.charAt(0) == ' ' && line.charAt(1) == ' ' && BLOCK_LINE.matcher(line).lookingAt();
  }

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
