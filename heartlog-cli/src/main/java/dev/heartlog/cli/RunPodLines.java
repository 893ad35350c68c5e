package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What RunPod's serverless SDK prints for a worker (runpod-python's {@code RunPodLogger}, which
 * its handlers log through too), on stdout:
 *
 * <ul>
 *   <li>on RunPod ({@code RUNPOD_ENDPOINT_ID} set), a JSON object a line, its job's id in {@code
 *       requestId}: {@code {"requestId": "8f2c...-u1", "message": "Started.", "level": "INFO"}};
 *   <li>elsewhere (a local test), the level padded to 7 characters, then {@code | }, the job's id
 *       and {@code | } where there is one: {@code INFO   | 8f2c...-u1 | Started.}.
 * </ul>
 *
 * The job is the record's task, and the worker's current one: from its {@code Started.} the lines
 * its handler prints are filed under it, and its {@code Finished.} ends it (where jobs run at
 * once, the one started last of those still running is current again). A handler that raised
 * is logged as {@code Captured Handler Exception} and then a JSON document of the error (its
 * type, message, traceback, host); the document is read as the traceback it holds
 * ({@link #expand}), so that the error is one record with its exception, named by the exception
 * as any error with a traceback is. Before, the job was the record's {@code requestId} (or in the
 * message), the document a second error whose kind was its first line, {@code {}, for every
 * failure of every handler.
 */
final class RunPodLines {

  /** The level's column: {@code message_level.ljust(7)}, then the bar. */
  private static final int BAR = 7;
  /** The message that ends a job, once its result is sent. */
  private static final String FINISHED = "Finished.";
  /** The start of a line of the JSON form: {@code json.dumps} keeps the dict's order and spaces. */
  private static final String JSON_START = "{\"requestId\": ";
  /** The first line of an error document in the local form ({@code json.dumps(error_info, indent=4)}). */
  private static final String DOCUMENT_START = "ERROR  | {";
  private static final String TRACEBACK_FIELD = "error_traceback";
  /**
   * How a job's lines change the worker's current task: a worker may run several jobs at once
   * ({@code concurrency_modifier}), and when one finishes, the one started last of those still
   * running is current again.
   */
  static final ChildLineParser.TaskScope SCOPE = ChildLineParser.TaskScope.CONCURRENT;
  /** The most lines of a document held before they are read as they are, as any lines. */
  private static final int MOST_DOCUMENT_LINES = 40;

  /** The lines of a document in the local form read so far; null where none is being read. */
  private List<String> document;

  /**
   * A line of the local form: its level, the job as its task, the message after them; null for
   * any other line.
   */
  static ChildLineParser.Parsed local(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (!isLocalForm(line)) {
      return null;
    }
    String name = line.substring(0, BAR).stripTrailing();
    Level level = name.equals("TIP") ? Level.INFO : LevelNames.levelName(name);   // TIP: its advice
    if (level == null || name.indexOf(' ') >= 0) {
      return null;
    }
    String rest = line.substring(BAR + 2);
    String job = null;
    int bar = rest.indexOf(" | ");
    if (bar > 0 && isJobId(rest, bar)) {
      job = rest.substring(0, bar);
      rest = rest.substring(bar + 3);
    }
    return parsed(level, rest, job, metadata, endsTask);
  }

  /**
   * Whether the line has the local form's bar after its level's column; {@link LoggerFormats#levelFirst}
   * asks it of a line that begins with a level's first letter, at two characters' cost.
   */
  static boolean isLocalForm(String line) {
    return line.length() > BAR + 2 && line.charAt(BAR) == '|' && line.charAt(BAR + 1) == ' ';
  }

  /**
   * The fields of a line of the JSON form, with the job's id under the name a task goes by; null
   * for any other object. {@code requestId} is null for the SDK's lines of no job, and left out.
   */
  static Map<String, Object> jsonRecord(Map<String, Object> fields) {
    if (fields.size() != 3 || !fields.containsKey("requestId") || !(fields.get("message") instanceof String)
        || !(fields.get("level") instanceof String)) {
      return null;
    }
    Object job = fields.remove("requestId");
    if (job != null) {
      fields.put("task_id", job.toString());
    }
    if (fields.get("level").equals("TIP")) {
      fields.put("level", "INFO");   // its advice, printed whatever the level set
    }
    return fields;
  }

  /** Whether a record of the JSON form ends its job: its {@code Finished.}. */
  static boolean endsJob(String task, String message) {
    return task != null && message.equals(FINISHED);
  }

  /**
   * The lines to read in place of this one: null for most lines, which are read as they are; the
   * traceback an error document holds, a line each, at the document's end; none while a document
   * in the local form is being read. A document that turns out to be no error's is given back as
   * its lines.
   */
  List<String> expand(String line) {
    if (document != null) {
      document.add(line);
      if (line.equals("}")) {
        List<String> lines = document;
        document = null;
        // Its first line's "{" after the level, and the lines below it: the document json.dumps wrote.
        List<String> traceback = traceback(StructuredLine.object("{\n" + String.join("\n", lines.subList(1, lines.size()))));
        return traceback != null ? traceback : lines;
      }
      if (!line.startsWith("    \"") || document.size() > MOST_DOCUMENT_LINES) {
        return end();   // no document of json.dumps(indent=4)
      }
      return List.of();
    }
    if (line.equals(DOCUMENT_START)) {
      document = new ArrayList<>();
      document.add(line);
      return List.of();
    }
    if (line.startsWith(JSON_START) && line.contains(TRACEBACK_FIELD)) {
      Map<String, Object> fields = StructuredLine.object(line);
      if (fields != null && jsonRecord(fields) != null) {
        return traceback(StructuredLine.object((String) fields.get("message")));
      }
    }
    return null;
  }

  /** The lines of a document being read, to be read as they are: the stream has ended, or they were no document. */
  List<String> end() {
    List<String> lines = document == null ? List.of() : document;
    document = null;
    return lines;
  }

  /** The traceback of an error document, a line each; null where it is no such document. */
  private static List<String> traceback(Map<String, Object> document) {
    if (document == null || !(document.get(TRACEBACK_FIELD) instanceof String traceback) || traceback.isBlank()) {
      return null;
    }
    return traceback.strip().lines().toList();
  }

  /**
   * Whether the text before the first {@code " | "} is a job's id: a word of letters, digits,
   * dashes and underscores with a digit, a dash or an underscore in it ({@code 8f2c...-u1}, {@code
   * local_test}), not a message's first word ({@code Started. | ...}).
   */
  private static boolean isJobId(String rest, int end) {
    boolean marked = false;
    for (int i = 0; i < end; i++) {
      char c = rest.charAt(i);
      if (c == '-' || c == '_' || c >= '0' && c <= '9') {
        marked = true;
      } else if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
        return false;
      }
    }
    return marked;
  }

  private static ChildLineParser.Parsed parsed(Level level, String message, String job, RecordMetadata metadata,
      Predicate<String> endsTask) {
    return new ChildLineParser.Parsed(level, message, job, metadata, endsJob(job, message) || endsTask.test(message),
        null, SCOPE);
  }
}
