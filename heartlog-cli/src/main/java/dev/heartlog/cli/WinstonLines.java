package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The lines of winston, Node.js's most used logger, in its console's {@code format.simple()}:
 * {@code error: upload failed {"code":503,"task_id":"t-42"}}, its level in lower case, the
 * message, and the record's other fields as JSON after it. Its console writes every level to
 * stdout, so without this its errors were INFO. The same {@code error: ...}, {@code warning: ...}
 * and {@code fatal: ...} of command-line tools a worker runs (git's) are read so too, and after a
 * program's name ({@code psql: error: ...}; {@link #programs}).
 */
final class WinstonLines {

  /** The longest level name read: {@code verbose}, {@code warning}. */
  private static final int LONGEST_LEVEL = 7;
  /** The longest program name read before an error ({@code pg_basebackup}). */
  private static final int LONGEST_PROGRAM = 40;
  /** How many places where the fields' JSON might begin are tried: a message may hold braces. */
  private static final int MOST_TRIES = 4;

  private WinstonLines() {}

  /**
   * A line of winston's simple format: its level (verbose and silly are DEBUG, http INFO), the
   * message, and the fields after it into metadata: a {@code task_id} (or the other names a task
   * goes by) the record's task, a {@code stack} its exception. Null for any other line.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    int colon = line.indexOf(':');
    if (colon < 4 || colon > LONGEST_LEVEL || line.length() < colon + 2 || line.charAt(colon + 1) != ' '
        || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
      return programs(line, colon, metadata, endsTask);
    }
    Level level = switch (line.substring(0, colon)) {
      case "error" -> Level.ERROR;
      case "warn", "warning" -> Level.WARNING;
      case "info", "http" -> Level.INFO;
      case "verbose", "debug", "silly" -> Level.DEBUG;
      case "fatal" -> Level.CRITICAL;
      default -> null;
    };
    if (level == null) {
      return programs(line, colon, metadata, endsTask);
    }
    String message = line.substring(colon + 2);
    Map<String, Object> fields = null;
    if (message.endsWith("}")) {
      int from = message.indexOf(" {");
      for (int tries = 0; from >= 0 && fields == null && tries < MOST_TRIES; tries++) {
        fields = StructuredLine.object(message.substring(from + 1));
        if (fields == null) {
          from = message.indexOf(" {", from + 2);
        } else {
          message = message.substring(0, from);
        }
      }
    }
    String task = fields == null ? null : PrintedFields.takeTask(fields);
    if (fields != null) {
      if (fields.remove("stack") instanceof String stack && !stack.isBlank()) {
        metadata.put("exception", stack);
      }
      fields.forEach(metadata::putIfAbsent);
    }
    return new ChildLineParser.Parsed(level, message, task, metadata, endsTask.test(message));
  }

  /**
   * A command-line program's error or warning after its name, as C programs and Python's argparse
   * write them: {@code psql: error: connection to server ... failed}, {@code worker.py: error:
   * the following arguments are required: --queue}, {@code pg_dump: warning: ...}. Its level,
   * the message after it, and the program in {@code component}. Null for any other line.
   */
  private static ChildLineParser.Parsed programs(String line, int colon, RecordMetadata metadata,
      Predicate<String> endsTask) {
    if (colon < 1 || colon > LONGEST_PROGRAM) {
      return null;
    }
    Level level = line.startsWith(" error: ", colon + 1) ? Level.ERROR
        : line.startsWith(" warning: ", colon + 1) ? Level.WARNING
        : line.startsWith(" fatal: ", colon + 1) ? Level.CRITICAL : null;
    if (level == null) {
      return null;
    }
    for (int i = 0; i < colon; i++) {
      char c = line.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '+')) {
        return null;   // a file and line (gcc's "main.c:3:5: error: ..."), a sentence
      }
    }
    int from = line.indexOf(' ', colon + 2) + 1;
    String message = line.substring(from);
    metadata.put("component", line.substring(0, colon));
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message));
  }
}
