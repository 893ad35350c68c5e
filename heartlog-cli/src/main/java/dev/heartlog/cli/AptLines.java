package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;

/**
 * apt's lines on stderr, as a worker's start prints them installing what it needs ({@code apt-get
 * install -y ffmpeg}): {@code E: Unable to locate package ...} (an error, which fails the
 * command), {@code W: Failed to fetch ...} (a warning) and {@code N: ...} (a notice), each a
 * warning before. They are at their level, the message after the letter, {@code component}
 * {@code apt}. apt's messages begin with a capital letter; a line such as {@code N: 3} is not
 * read as one.
 */
final class AptLines {

  private AptLines() {}

  /** A line of apt's, at its level; null for any other line. */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata) {
    if (line.length() < 4 || line.charAt(1) != ':' || line.charAt(2) != ' ' || !Character.isUpperCase(line.charAt(3))) {
      return null;
    }
    Level level = switch (line.charAt(0)) {
      case 'E' -> Level.ERROR;
      case 'W' -> Level.WARNING;
      case 'N' -> Level.INFO;
      default -> null;
    };
    if (level == null) {
      return null;
    }
    metadata.put("component", "apt");
    String message = line.substring(3);
    return new ChildLineParser.Parsed(level, message, null, metadata, false);
  }
}
