package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ImageMagick's messages, which a worker making thumbnails or frames prints on stderr: {@code
 * convert-im6.q16: unable to open image `in.png': No such file or directory @
 * error/blob.c/OpenBlob/3029.} The severity and the place in ImageMagick's source come after the
 * {@code @}. Each was a warning, as any stderr line naming no level, its errors too.
 */
final class ImageMagickLines {

  private static final Pattern LINE = Pattern.compile(
      "(?<program>[\\w.-]{1,40}): (?<message>.+) @ (?<severity>warning|error|fatal)/(?<file>[\\w.-]+)/(?<function>\\w+)/(?<line>\\d{1,9})\\.");

  private ImageMagickLines() {}

  /**
   * A message of ImageMagick's: its severity as the level (fatal is CRITICAL), the message
   * before the {@code @}, the program in {@code component}, and ImageMagick's {@code file},
   * {@code function} and {@code line}. Null for any other line.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 20 || line.charAt(line.length() - 1) != '.' || !line.contains(" @ ")) {
      return null;
    }
    Matcher matcher = LINE.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    Level level = switch (matcher.group("severity")) {
      case "warning" -> Level.WARNING;
      case "error" -> Level.ERROR;
      default -> Level.CRITICAL;
    };
    metadata.put("component", matcher.group("program"));
    metadata.put("file", matcher.group("file"));
    metadata.put("function", matcher.group("function"));
    metadata.put("line", Integer.parseInt(matcher.group("line")));
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message));
  }
}
