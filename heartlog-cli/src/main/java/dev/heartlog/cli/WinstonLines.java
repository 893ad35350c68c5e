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
 * and {@code fatal: ...} of command-line tools a worker runs (git's) are read so too.
 */
final class WinstonLines {

  /** The longest level name read: {@code verbose}, {@code warning}. */
  private static final int LONGEST_LEVEL = 7;
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
      return null;
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
      return null;
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
}
