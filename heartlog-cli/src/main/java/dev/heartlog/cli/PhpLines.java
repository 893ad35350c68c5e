package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PHP's lines of its errors, which a PHP worker (a Laravel or Symfony queue worker, a script)
 * prints: logged to stderr, {@code PHP Fatal error:  Uncaught RuntimeException: bad frame 13 in
 * /srv/app/worker.php:3} (Debian's php.ini), or shown on stdout, {@code Fatal error: Uncaught
 * ...} and {@code Warning: Undefined variable $x in /srv/app/worker.php on line 9} (PHP's
 * defaults, which the official Docker images keep). An uncaught exception's stack trace follows
 * its line ({@code Stack trace:}, {@code #0 ...}, {@code   thrown in ... on line 3}) and joins
 * its record.
 */
final class PhpLines {

  /** PHP's names of its errors' types, as it prints them. */
  private static final String TYPES =
      "Fatal error|Parse error|Recoverable fatal error|Catchable fatal error|Warning|Notice|Deprecated|Strict Standards";

  /** Logged: after {@code PHP }, the type, a colon and two spaces, and the message. */
  private static final Pattern LOGGED = Pattern.compile("PHP (?<type>" + TYPES + "):  (?<message>.+)");

  /**
   * Shown: the type, a colon and a space, and a message that says where, as PHP's own do: {@code
   * in /srv/app/worker.php on line 9}, or an uncaught exception's {@code in
   * /srv/app/worker.php:3}. Without that, {@code Warning: low disk} is a line of the worker's own.
   */
  private static final Pattern SHOWN = Pattern.compile(
      "(?<type>" + TYPES + "): (?<message>(?:.+ on line \\d{1,9}|Uncaught .+ in \\S+:\\d{1,9}))");

  /** Where the error happened, at the end of its message. */
  private static final Pattern PLACE = Pattern.compile(" in (?<file>\\S+?)(?: on line |:)(?<line>\\d{1,9})$");

  private PhpLines() {}

  /**
   * A line of a PHP error: its level (a fatal, parse or recoverable error is ERROR; a warning, a
   * deprecation or a strict standard WARNING; a notice INFO), the message after the type, the
   * type in {@code error_type}, and the {@code file} and {@code line} it names. Before, the
   * lines on stderr were warnings and those on stdout INFO, a fatal error's too, and each line
   * of its stack trace was a record of its own. Null for any other line.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    Matcher matcher;
    if (line.startsWith("PHP ")) {
      matcher = LOGGED.matcher(line);
    } else if (!line.isEmpty() && "FPRCWNDS".indexOf(line.charAt(0)) >= 0 && line.indexOf(": ") > 0) {
      matcher = SHOWN.matcher(line);
    } else {
      return null;
    }
    if (!matcher.matches()) {
      return null;
    }
    String type = matcher.group("type");
    Level level = switch (type) {
      case "Warning", "Deprecated", "Strict Standards" -> Level.WARNING;
      case "Notice" -> Level.INFO;
      default -> Level.ERROR;
    };
    metadata.put("error_type", type);
    String message = matcher.group("message");
    Matcher place = PLACE.matcher(message);
    if (place.find()) {
      metadata.put("file", place.group("file"));
      metadata.put("line", Integer.parseInt(place.group("line")));
    }
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message));
  }
}
